import { z } from "zod";

/**
 * The BFF's JSON API (docs/architecture.md, "The JSON API"): one set of zod schemas shared by the SPA
 * (to parse answers) and the BFF (to validate bodies). Tests outside the project drive this
 * contract, so shapes here change only with the old shape kept working.
 */

// ---- errors ---------------------------------------------------------------------------------

export const apiErrorCodes = [
  "bad_request",
  "unsupported_media_type",
  "cross_site_request",
  "not_found",
  "unauthenticated",
  "rate_limited",
  "username_exists",
  "invalid_password",
  "invalid_credentials",
  "user_not_confirmed",
  "code_mismatch",
  "expired_code",
  "challenge_failed",
  "session_expired",
  "no_pending_signin",
  "passkey_rejected",
  "reauthentication_required",
  "limit_exceeded",
  "delivery_failed",
  "service_unavailable",
  "internal_error",
] as const;
export const apiErrorCodeSchema = z.enum(apiErrorCodes);
export type ApiErrorCode = z.infer<typeof apiErrorCodeSchema>;

/** `{"error": {"code", "message"}}`; `attemptsLeft` accompanies `code_mismatch` on sign-in. */
export const apiErrorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    attemptsLeft: z.number().int().nonnegative().optional(),
    fields: z.record(z.string(), z.string()).optional(),
  }),
  attemptsLeft: z.number().int().nonnegative().optional(),
});
export type ApiErrorBody = z.infer<typeof apiErrorBodySchema>;

// ---- building blocks ------------------------------------------------------------------------

// RFC 5321 caps a path at 256 octets and a mailbox at 254 in practice.
export const emailSchema = z.string().trim().toLowerCase().pipe(z.email({ message: "Enter a valid email address." }).max(254));
// Cognito: at most 256 characters, no whitespace ([\S]+); the pool's policy is checked by Cognito.
export const passwordSchema = z.string().min(1, "Enter your password.").max(256, "Passwords are at most 256 characters.");
export const otpCodeSchema = z.string().trim().regex(/^\d{6}$/, "Enter the 6-digit code.");
export const confirmationCodeSchema = z.string().trim().regex(/^\d{1,10}$/, "Enter the code from the email.");

export const deliverySchema = z.object({
  medium: z.enum(["EMAIL", "SMS"]),
  destination: z.string(),
});
export type Delivery = z.infer<typeof deliverySchema>;

export const signInMethodSchema = z.enum(["passkey", "otp"]);
export type SignInMethod = z.infer<typeof signInMethodSchema>;

// ---- requests -------------------------------------------------------------------------------

export const signUpRequestSchema = z.object({ email: emailSchema, password: passwordSchema });
export const confirmSignUpRequestSchema = z.object({ email: emailSchema, code: confirmationCodeSchema });
export const resendSignUpCodeRequestSchema = z.object({ email: emailSchema });
export const signInRequestSchema = z.object({ email: emailSchema, password: passwordSchema });
export const emptyRequestSchema = z.object({}).strict();
export const otpRequestSchema = z.object({ code: otpCodeSchema });
export const passkeySignInRequestSchema = z.object({ credential: z.record(z.string(), z.unknown()) });
export const forgotPasswordRequestSchema = z.object({ email: emailSchema });
export const resetPasswordRequestSchema = z.object({
  email: emailSchema,
  code: confirmationCodeSchema,
  password: passwordSchema,
});
export const passkeyNameSchema = z.string().trim().min(1, "Give the passkey a name.").max(64, "Names are at most 64 characters.");
export const registerPasskeyRequestSchema = z.object({
  credential: z.record(z.string(), z.unknown()),
  name: passkeyNameSchema.optional(),
});
export const renamePasskeyRequestSchema = z.object({ name: passkeyNameSchema });

export type SignUpRequest = z.infer<typeof signUpRequestSchema>;
export type ConfirmSignUpRequest = z.infer<typeof confirmSignUpRequestSchema>;
export type SignInRequest = z.infer<typeof signInRequestSchema>;
export type OtpRequest = z.infer<typeof otpRequestSchema>;
export type ResetPasswordRequest = z.infer<typeof resetPasswordRequestSchema>;

// ---- answers --------------------------------------------------------------------------------

export const signUpResponseSchema = z.object({ next: z.literal("confirm"), delivery: deliverySchema });
export const nextSignInResponseSchema = z.object({ next: z.literal("signin") });
export const deliveryResponseSchema = z.object({ delivery: deliverySchema });

export const signInResponseSchema = z.discriminatedUnion("next", [
  z.object({ next: z.literal("otp"), delivery: deliverySchema }),
  z.object({ next: z.literal("choose"), methods: z.array(signInMethodSchema) }),
]);
export type SignInResponse = z.infer<typeof signInResponseSchema>;

export const otpSentResponseSchema = z.object({ next: z.literal("otp"), delivery: deliverySchema });
export const signInDoneResponseSchema = z.object({ next: z.literal("done"), redirectTo: z.string() });
export type SignInDoneResponse = z.infer<typeof signInDoneResponseSchema>;

export const amrValues = ["pwd", "otp", "hwk", "swk", "user", "mfa"] as const;
export const sessionResponseSchema = z.discriminatedUnion("authenticated", [
  z.object({ authenticated: z.literal(false) }),
  z.object({
    authenticated: z.literal(true),
    user: z.object({ sub: z.string(), email: z.string(), username: z.string() }),
    amr: z.array(z.string()),
    authTime: z.number().int(),
  }),
]);
export type SessionResponse = z.infer<typeof sessionResponseSchema>;

const claimsSchema = z.record(z.string(), z.unknown());
export const accountClaimsResponseSchema = z.object({
  idToken: claimsSchema,
  accessToken: claimsSchema,
  userInfo: claimsSchema,
});
export type AccountClaimsResponse = z.infer<typeof accountClaimsResponseSchema>;

export const passkeySchema = z.object({
  id: z.string(),
  name: z.string(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  deviceType: z.enum(["singleDevice", "multiDevice"]),
  backedUp: z.boolean(),
  transports: z.array(z.string()),
});
export type Passkey = z.infer<typeof passkeySchema>;
export const passkeyListResponseSchema = z.array(passkeySchema);

export const logoutResponseSchema = z.object({ redirectTo: z.string() });
export const interactionResponseSchema = z.object({
  client: z.object({ id: z.string(), name: z.string() }),
  prompt: z.string(),
});
export type InteractionResponse = z.infer<typeof interactionResponseSchema>;

// ---- pages ----------------------------------------------------------------------------------

/**
 * The SPA's pages. The BFF sends browsers to them (`redirectTo`, the provider's interaction) and
 * serves the SPA's document at each with 200; at any other page address the document is served
 * with 404, and the SPA shows its "page not found" (RFC 9110 §15.5.5: the status says what the
 * page says). A page added to the SPA's router is added here too (a test compares the lists).
 */
export const spaPagePaths = [
  "/",
  "/signin",
  "/signin/code",
  "/signin/choose",
  "/signup",
  "/signup/confirm",
  "/password/forgot",
  "/password/reset",
  "/account",
  "/consent",
] as const;
export type SpaPagePath = (typeof spaPagePaths)[number];
