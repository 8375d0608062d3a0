import type { AuthenticationResponseJSON, RegistrationResponseJSON } from "@simplewebauthn/server";
import { z } from "zod";
import { PasskeyRejectedError, passkeyMessages } from "./passkey-errors";

/**
 * The shapes of `PublicKeyCredential.toJSON()` (WebAuthn L3 §5.1.8, §5.1.9), checked before
 * SimpleWebAuthn sees them, so a malformed body is a clean `passkey_rejected` and never a 500.
 */
const base64url = z
  .string()
  .min(1)
  .max(16_384)
  .regex(/^[A-Za-z0-9_-]+={0,2}$/);

const common = {
  id: base64url.max(1_400),
  rawId: base64url.max(1_400),
  type: z.literal("public-key"),
  clientExtensionResults: z.record(z.string(), z.unknown()).default({}),
  authenticatorAttachment: z.enum(["platform", "cross-platform"]).optional(),
};

const registrationResponseSchema = z.object({
  ...common,
  response: z.object({
    clientDataJSON: base64url,
    attestationObject: base64url,
    authenticatorData: base64url.optional(),
    transports: z.array(z.string().max(32)).max(10).optional(),
    publicKeyAlgorithm: z.number().int().optional(),
    publicKey: base64url.optional(),
  }),
});

const authenticationResponseSchema = z.object({
  ...common,
  response: z.object({
    clientDataJSON: base64url,
    authenticatorData: base64url,
    signature: base64url,
    userHandle: base64url.optional(),
  }),
});

export function parseRegistrationResponse(credential: unknown): RegistrationResponseJSON {
  const parsed = registrationResponseSchema.safeParse(credential);
  if (!parsed.success || parsed.data.id !== parsed.data.rawId) {
    throw new PasskeyRejectedError("malformed registration response", passkeyMessages.malformed);
  }
  return parsed.data as RegistrationResponseJSON;
}

export function parseAuthenticationResponse(credential: unknown): AuthenticationResponseJSON {
  const parsed = authenticationResponseSchema.safeParse(credential);
  if (!parsed.success || parsed.data.id !== parsed.data.rawId) {
    throw new PasskeyRejectedError("malformed authentication response", passkeyMessages.malformed);
  }
  return parsed.data as AuthenticationResponseJSON;
}
