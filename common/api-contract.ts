import * as z from "zod/mini";

/**
 * The BFF's JSON API (docs/architecture.md, "The JSON API"): one set of zod schemas shared by the SPA
 * (to parse answers) and the BFF (to validate bodies). Tests outside the project drive this
 * contract, so shapes here change only with the old shape kept working.
 *
 * Written with `zod/mini` (the same validation engine as classic zod, with functions instead of
 * methods) so the SPA's sign-in page downloads only the checks it uses: classic zod is about
 * 25 kB gzip in the browser (README, "Performance of the first visit"). Its issue messages are the
 * ones classic zod installs on import; the BFF imports classic zod, so its `fields` read as before.
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
  "resend_too_soon",
  "passkey_rejected",
  "reauthentication_required",
  "step_up_required",
  "limit_exceeded",
  "delivery_failed",
  "service_unavailable",
  "internal_error",
] as const;
export const apiErrorCodeSchema = z.enum(apiErrorCodes);
export type ApiErrorCode = z.infer<typeof apiErrorCodeSchema>;

/**
 * `{"error": {"code", "message"}}`; `attemptsLeft` accompanies `code_mismatch` on sign-in,
 * `retryAfterSeconds` a `resend_too_soon`, `reason` names which check refused a passkey
 * (`unknown_credential`: the account does not know it, so the browser may forget it), and
 * `passkeyAvailable` accompanies `step_up_required` (the account has a passkey that can confirm it).
 */
/** A whole number of at least 0 (classic zod's `z.number().int().nonnegative()`). */
function count() {
  return z.int().check(z.nonnegative());
}

export const apiErrorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    attemptsLeft: z.optional(count()),
    fields: z.optional(z.record(z.string(), z.string())),
    retryAfterSeconds: z.optional(count()),
    reason: z.optional(z.string()),
    passkeyAvailable: z.optional(z.boolean()),
  }),
  attemptsLeft: z.optional(count()),
});
export type ApiErrorBody = z.infer<typeof apiErrorBodySchema>;

// ---- building blocks ------------------------------------------------------------------------

// RFC 5321 caps a path at 256 octets and a mailbox at 254 in practice.
export const emailSchema = z.pipe(z.string().check(z.trim(), z.toLowerCase()), z.email({ message: "Enter a valid email address." }).check(z.maxLength(254)));
// Cognito: at most 256 characters, no whitespace ([\S]+); the pool's policy is checked by Cognito.
export const passwordSchema = z.string().check(z.minLength(1, "Enter your password."), z.maxLength(256, "Passwords are at most 256 characters."));
export const otpCodeSchema = z.string().check(z.trim(), z.regex(/^\d{6}$/, "Enter the 6-digit code."));
export const confirmationCodeSchema = z.string().check(z.trim(), z.regex(/^\d{1,10}$/, "Enter the code from the email."));

export const deliverySchema = z.object({
  medium: z.enum(["EMAIL", "SMS"]),
  destination: z.string(),
});
export type Delivery = z.infer<typeof deliverySchema>;

export const signInMethodSchema = z.enum(["passkey", "otp"]);
export type SignInMethod = z.infer<typeof signInMethodSchema>;

// ---- requests -------------------------------------------------------------------------------

/** The SPA's languages; at sign-up the active one becomes the user's `locale` attribute, which picks the language of their mails. */
export const localeSchema = z.enum(["en", "ja"]);
export type UiLocale = z.infer<typeof localeSchema>;
/** `locale` is optional: clients older than the language choice send none, and Cognito's default applies. */
export const signUpRequestSchema = z.object({ email: emailSchema, password: passwordSchema, locale: z.optional(localeSchema) });
/**
 * With `password` (the one just chosen, which the SPA holds in memory only), a confirmation that
 * succeeds also signs the user in: the emailed code and the password are the two factors.
 */
export const confirmSignUpRequestSchema = z.object({ email: emailSchema, code: confirmationCodeSchema, password: z.optional(passwordSchema) });
export const resendSignUpCodeRequestSchema = z.object({ email: emailSchema });
export const signInRequestSchema = z.object({ email: emailSchema, password: passwordSchema });
export const emptyRequestSchema = z.strictObject({});
/** `rememberDevice`: "don't ask for a code on this device" (a trusted device; README, "Your account"). */
export const otpRequestSchema = z.object({ code: otpCodeSchema, rememberDevice: z.optional(z.boolean()) });
export const passkeySignInRequestSchema = z.object({ credential: z.record(z.string(), z.unknown()) });
/**
 * `passkey-first`: usernameless options (no allow-list), whatever sign-in is pending;
 * `second-factor`: the pending user's credentials only. `{}` keeps its first meaning: the
 * pending user's credentials when a sign-in with a passkey is waiting, otherwise usernameless.
 */
export const passkeyOptionsPurposeSchema = z.enum(["passkey-first", "second-factor"]);
export type PasskeyOptionsPurpose = z.infer<typeof passkeyOptionsPurposeSchema>;
export const passkeySignInOptionsRequestSchema = z.strictObject({ purpose: z.optional(passkeyOptionsPurposeSchema) });
export const forgotPasswordRequestSchema = z.object({ email: emailSchema });
export const resetPasswordRequestSchema = z.object({
  email: emailSchema,
  code: confirmationCodeSchema,
  password: passwordSchema,
});
export const passkeyNameSchema = z.string().check(z.trim(), z.minLength(1, "Give the passkey a name."), z.maxLength(64, "Names are at most 64 characters."));
export const registerPasskeyRequestSchema = z.object({
  credential: z.record(z.string(), z.unknown()),
  name: z.optional(passkeyNameSchema),
});
export const renamePasskeyRequestSchema = z.object({ name: passkeyNameSchema });
/**
 * The step-up before adding a passkey (`POST /api/passkeys/step-up`): the account's password, or
 * an assertion of one of its passkeys over the challenge of `POST /api/passkeys/step-up/options`.
 */
export const stepUpPasswordRequestSchema = z.strictObject({ password: passwordSchema });
export const stepUpPasskeyRequestSchema = z.strictObject({ credential: z.record(z.string(), z.unknown()) });
export const stepUpRequestSchema = z.union([stepUpPasswordRequestSchema, stepUpPasskeyRequestSchema]);
export type StepUpRequest = z.infer<typeof stepUpRequestSchema>;
/** `factorProvedUntil`: epoch seconds until which a passkey may be added without another step-up. */
export const stepUpResponseSchema = z.object({ factorProvedUntil: z.int() });
export type StepUpResponse = z.infer<typeof stepUpResponseSchema>;

export type SignUpRequest = z.infer<typeof signUpRequestSchema>;
export type ConfirmSignUpRequest = z.infer<typeof confirmSignUpRequestSchema>;
export type SignInRequest = z.infer<typeof signInRequestSchema>;
export type OtpRequest = z.infer<typeof otpRequestSchema>;
export type ResetPasswordRequest = z.infer<typeof resetPasswordRequestSchema>;

// ---- answers --------------------------------------------------------------------------------

export const signUpResponseSchema = z.object({ next: z.literal("confirm"), delivery: deliverySchema });
export const nextSignInResponseSchema = z.object({ next: z.literal("signin") });
/** `{next:"signin"}`, or `{next:"done"}` when the confirmation carried the password and signed the user in. */
export const confirmSignUpResponseSchema = z.discriminatedUnion("next", [nextSignInResponseSchema, z.object({ next: z.literal("done"), redirectTo: z.string() })]);
export type ConfirmSignUpResponse = z.infer<typeof confirmSignUpResponseSchema>;
export const deliveryResponseSchema = z.object({ delivery: deliverySchema });

/**
 * A code was sent: where to, and (newer BFFs) when another may be asked for and how many more
 * this sign-in allows.
 */
const codeSentFields = {
  delivery: deliverySchema,
  resendAvailableInSeconds: z.optional(count()),
  resendsLeft: z.optional(count()),
};

export const signInResponseSchema = z.discriminatedUnion("next", [
  z.object({ next: z.literal("otp"), ...codeSentFields }),
  z.object({ next: z.literal("choose"), methods: z.array(signInMethodSchema) }),
  /** A trusted device of the user: the password was enough, the sign-in is complete (no code sent). */
  z.object({ next: z.literal("done"), redirectTo: z.string() }),
]);
export type SignInResponse = z.infer<typeof signInResponseSchema>;

export const otpSentResponseSchema = z.object({ next: z.literal("otp"), ...codeSentFields });
export type OtpSentResponse = z.infer<typeof otpSentResponseSchema>;

/** `GET /api/signin`: the sign-in this browser has pending, if any (the code and choose pages ask on arrival). */
export const signInStatusResponseSchema = z.union([
  z.object({ pending: z.literal(false) }),
  z.discriminatedUnion("next", [
    z.object({ pending: z.literal(true), next: z.literal("otp"), methods: z.array(signInMethodSchema), ...codeSentFields }),
    z.object({ pending: z.literal(true), next: z.literal("choose"), methods: z.array(signInMethodSchema) }),
  ]),
]);
export type SignInStatusResponse = z.infer<typeof signInStatusResponseSchema>;
export const signInDoneResponseSchema = z.object({ next: z.literal("done"), redirectTo: z.string() });
export type SignInDoneResponse = z.infer<typeof signInDoneResponseSchema>;

export const amrValues = ["pwd", "otp", "hwk", "swk", "user", "mfa"] as const;
export const sessionResponseSchema = z.discriminatedUnion("authenticated", [
  z.object({ authenticated: z.literal(false) }),
  z.object({
    authenticated: z.literal(true),
    user: z.object({ sub: z.string(), email: z.string(), username: z.string() }),
    amr: z.array(z.string()),
    authTime: z.int(),
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
  lastUsedAt: z.nullable(z.string()),
  deviceType: z.enum(["singleDevice", "multiDevice"]),
  backedUp: z.boolean(),
  transports: z.array(z.string()),
  /** Who keeps it, from the authenticator's AAGUID ("iCloud Keychain"); null when unknown. */
  provider: z._default(z.nullable(z.string()), null),
  /** As the browser reported it at registration (WebAuthn L3 §5.4.5); null when it did not say. */
  attachment: z._default(z.nullable(z.enum(["platform", "cross-platform"])), null),
  /** Paused by a password reset: it signs in again once the owner confirms it (POST /api/passkeys/:id/confirm). */
  needsConfirmation: z._default(z.boolean(), false),
});
export type Passkey = z.infer<typeof passkeySchema>;
export const passkeyListResponseSchema = z.array(passkeySchema);

/**
 * `GET /api/passkeys/signals`: what the WebAuthn Signal API needs to tell the browser's passkey
 * provider about this account (WebAuthn L3 §5.1.10): the RP ID, the user handle (base64url),
 * every credential id the account accepts, and the user's name and display name.
 */
export const passkeySignalsResponseSchema = z.object({
  rpId: z.string(),
  userId: z.string(),
  allAcceptedCredentialIds: z.array(z.string()),
  name: z.string(),
  displayName: z.string(),
});
export type PasskeySignalsResponse = z.infer<typeof passkeySignalsResponseSchema>;

/**
 * The user pool's password policy in Cognito's terms (UserPool PasswordPolicyType), so the SPA's
 * checklist asks for what Cognito will enforce — no more, no less.
 */
export const passwordPolicyRulesSchema = z.object({
  minimumLength: z.int().check(z.gte(6), z.lte(99)),
  requireUppercase: z.boolean(),
  requireLowercase: z.boolean(),
  requireNumbers: z.boolean(),
  requireSymbols: z.boolean(),
});
export type PasswordPolicyRules = z.infer<typeof passwordPolicyRulesSchema>;

/**
 * `GET /api/config`: how this BFF runs, so the SPA shows only the pages that exist in that mode,
 * and (sign-in mode) the pool's password policy for the new-password checklist.
 */
export const clientConfigResponseSchema = z.object({ mode: z.enum(["sign-in", "alb"]), passwordPolicy: z.optional(passwordPolicyRulesSchema) });
export type ClientConfigResponse = z.infer<typeof clientConfigResponseSchema>;

export const logoutResponseSchema = z.object({ redirectTo: z.string() });
export const interactionResponseSchema = z.object({
  client: z.object({ id: z.string(), name: z.string() }),
  prompt: z.string(),
  /** With prompt `consent`: the scopes the app asks for (OpenID Connect Core §5.4), for the consent page. */
  scopes: z.optional(z.array(z.string())),
  /** The app's `login_hint` when it is an email address: the sign-in and sign-up forms start with it. */
  loginHint: z.optional(z.string()),
  /** The app's `ui_locales` (BCP 47, most preferred first): the language the SPA should speak. */
  uiLocales: z.optional(z.array(z.string())),
  /** The sign-in levels the app asks for (`acr_values`); `urn:tobira:acr:passkey`: only a passkey will do. */
  acrValues: z.optional(z.array(z.string())),
});
export type InteractionResponse = z.infer<typeof interactionResponseSchema>;

// ---- consent ---------------------------------------------------------------------------------

/** `POST /api/consent`: the user's answer to the app waiting on the consent page. */
export const consentDecisionRequestSchema = z.strictObject({ decision: z.enum(["allow", "deny"]) });
export type ConsentDecisionRequest = z.infer<typeof consentDecisionRequestSchema>;
/** Where the browser goes next: the provider, which answers the app. */
export const consentDecisionResponseSchema = z.object({ redirectTo: z.string() });

// ---- the account security centre (docs/architecture.md, "The account security centre") ----------

/** What the security-events module records; the history shows them, some also send a mail. */
export const securityEventTypes = [
  "sign_in_succeeded",
  "sign_in_failed",
  "password_changed",
  "email_change_requested",
  "email_changed",
  "passkey_added",
  "passkey_removed",
  "session_revoked",
  "signed_out_everywhere",
  "trusted_device_added",
  "trusted_device_removed",
  "account_deleted",
] as const;
export const securityEventTypeSchema = z.enum(securityEventTypes);
export type SecurityEventType = z.infer<typeof securityEventTypeSchema>;

/** How a sign-in was made (or, for a failure, which step refused it). */
export const signInMethodLabels = ["password_code", "password_passkey", "passkey", "password_trusted_device", "password", "code"] as const;
export const signInMethodLabelSchema = z.enum(signInMethodLabels);
export type SignInMethodLabel = z.infer<typeof signInMethodLabelSchema>;

export const changePasswordRequestSchema = z
  .object({ currentPassword: passwordSchema, newPassword: passwordSchema })
  .check(z.refine((body) => body.currentPassword !== body.newPassword, { message: "Choose a password different from your current one.", path: ["newPassword"] }));
export type ChangePasswordRequest = z.infer<typeof changePasswordRequestSchema>;
/** This browser stays signed in; `otherSessionsEnded` counts the Tobira sessions ended elsewhere. */
export const changePasswordResponseSchema = z.object({ otherSessionsEnded: count() });

export const changeEmailRequestSchema = z.object({ email: emailSchema });
export type ChangeEmailRequest = z.infer<typeof changeEmailRequestSchema>;
export const changeEmailResponseSchema = z.object({ next: z.literal("verify"), delivery: deliverySchema });
export const verifyEmailRequestSchema = z.object({ code: confirmationCodeSchema });
export type VerifyEmailRequest = z.infer<typeof verifyEmailRequestSchema>;
export const verifyEmailResponseSchema = z.object({ email: z.string() });

/** The typed confirmation is the account's email address. */
export const deleteAccountRequestSchema = z.object({ confirmation: z.string().check(z.trim(), z.minLength(1, "Type your email address to confirm."), z.maxLength(254)) });
export type DeleteAccountRequest = z.infer<typeof deleteAccountRequestSchema>;

/** `GET /api/account`: the overview, and whether sensitive actions need a new sign-in first. */
export const accountOverviewResponseSchema = z.object({
  email: z.string(),
  /** A new address waiting for its code; the current one stays until then. */
  pendingEmail: z.nullable(z.string()),
  /** Epoch seconds of this browser's sign-in, and until when it counts as recent. */
  authTime: z.int(),
  recentSignInUntil: z.int(),
  trustedDevicesEnabled: z.boolean(),
  historyDays: z.int().check(z.positive()),
});
export type AccountOverviewResponse = z.infer<typeof accountOverviewResponseSchema>;

export const deviceDescriptionSchema = z.object({ browser: z.nullable(z.string()), os: z.nullable(z.string()), label: z.string() });

export const accountSessionSchema = z.object({
  id: z.string(),
  current: z.boolean(),
  createdAt: z.int(),
  lastActiveAt: z.int(),
  device: deviceDescriptionSchema,
  ip: z.string(),
  method: z.nullable(signInMethodLabelSchema),
});
export type AccountSession = z.infer<typeof accountSessionSchema>;

export const trustedDeviceSchema = z.object({
  id: z.string(),
  current: z.boolean(),
  createdAt: z.int(),
  lastUsedAt: z.nullable(z.int()),
  expiresAt: z.int(),
  device: deviceDescriptionSchema,
  ip: z.string(),
});
export type TrustedDevice = z.infer<typeof trustedDeviceSchema>;

/** A relying party holding a grant from this account (the OpenID Provider's grants). */
export const connectedAppSchema = z.object({ clientId: z.string(), name: z.string(), grantedAt: z.nullable(z.int()), scopes: z.array(z.string()) });
export type ConnectedApp = z.infer<typeof connectedAppSchema>;

export const accountSessionsResponseSchema = z.object({
  sessions: z.array(accountSessionSchema),
  trustedDevices: z.array(trustedDeviceSchema),
  apps: z.array(connectedAppSchema),
});
export type AccountSessionsResponse = z.infer<typeof accountSessionsResponseSchema>;

export const securityEventSchema = z.object({
  id: z.string(),
  type: securityEventTypeSchema,
  /** Epoch seconds. */
  at: z.int(),
  device: z.string(),
  ip: z.string(),
  method: z.nullable(signInMethodLabelSchema),
  app: z.nullable(z.string()),
  /** Whether the browser had signed in to this account before; null when not known. */
  knownDevice: z.nullable(z.boolean()),
  detail: z.nullable(z.string()),
});
export type SecurityEventView = z.infer<typeof securityEventSchema>;
export const securityHistoryResponseSchema = z.object({ events: z.array(securityEventSchema), days: z.int().check(z.positive()) });
export type SecurityHistoryResponse = z.infer<typeof securityHistoryResponseSchema>;

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
  "/passkeys/add",
  "/consent",
] as const;
export type SpaPagePath = (typeof spaPagePaths)[number];

/**
 * `GET /api/connected-apps`: the apps holding a grant from this account or a consent the user
 * gave on the consent page (`connectedAppSchema` above); `DELETE /api/connected-apps/:clientId`
 * revokes one: its consent, its grants and every token issued under them.
 */
export const connectedAppsResponseSchema = z.array(connectedAppSchema);
