import type { PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/server";
import type { Request } from "express";
import type { PasskeyOptionsPurpose, SignInDoneResponse } from "../../common/api-contract";
import { ChallengeStep } from "../../common/custom-auth-protocol";
import { MetricName } from "../../common/metric-names";
import type { CognitoGateway } from "../cognito/cognito-gateway";
import type { Logger } from "../logger";
import { metricsFor } from "../metrics";
import type { PasswordResets } from "../password/password-resets";
import type { SessionManager } from "../session/session-manager";
import type { PendingSignIn } from "../session/session-records";
import { createCustomAuthRounds } from "../signin/custom-auth-rounds";
import type { PendingSignIns } from "../signin/pending-sign-in";
import type { SignInService } from "../signin/sign-in-service";
import type { ChallengeStore } from "./challenge-store";
import { parseAuthenticationResponse } from "./credential-schemas";
import { generatePasskeyAuthenticationOptions } from "./generate-authentication-options";
import { usablePasskeyFor, verifyAndRecordUse } from "./passkey-assertion";
import { PasskeyRejectedError, passkeyMessages } from "./passkey-errors";
import { providerForAaguid } from "./passkey-providers";
import { isSuspended, type PasskeyRepository, type StoredPasskey } from "./passkey-store";
import type { RelyingParty } from "./relying-party";
import type { VerifiedPasskeyAuthentication } from "./verify-authentication";

/**
 * Sign-in with a passkey, as the second step after the password or on its own (passkey-first).
 * The BFF verifies the assertion itself, then walks Cognito's CUSTOM_AUTH (signin/custom-auth-rounds.ts):
 * the PROVIDE round answered with the PASSKEY method → the PASSKEY round's nonce → the passkey
 * answer with the HMAC proof (common/custom-auth-protocol.ts) that the verify trigger checks.
 * Tokens end the sign-in the same way the code path does.
 */

export interface PasskeySignIn {
  /**
   * `passkey-first`: usernameless, whatever sign-in is pending (the sign-in page's button and
   * autofill: a device holding only another account's passkey must still be offered it);
   * `second-factor`: the pending user's credentials; none given: the second factor when a
   * sign-in with a passkey is pending, else passkey-first (the contract's first meaning of `{}`).
   */
  options(req: Request, purpose?: PasskeyOptionsPurpose): Promise<PublicKeyCredentialRequestOptionsJSON>;
  finish(req: Request, credential: unknown): Promise<SignInDoneResponse>;
}

/**
 * RFC 8176 §2: `hwk` is a proof of possession of a hardware-secured key, `swk` of a software one;
 * UV adds "user". With "none" attestation the backup flags are the authenticator's own word, which
 * any software authenticator can set, so `hwk` is claimed only for a single-device passkey whose
 * AAGUID the shipped list names as a platform authenticator or a security key
 * (passkey-providers.ts); every other passkey is `swk` (docs/architecture.md, "Passkeys").
 */
export function passkeyAmr(verified: Pick<VerifiedPasskeyAuthentication, "deviceType" | "userVerified">, afterPassword: boolean, aaguid?: string): string[] {
  const kind = providerForAaguid(aaguid)?.kind;
  const hardwareBound = verified.deviceType === "singleDevice" && (kind === "device" || kind === "security-key");
  const key = hardwareBound ? "hwk" : "swk";
  const amr = afterPassword ? ["pwd", key] : [key];
  if (verified.userVerified) amr.push("user");
  if (afterPassword) amr.push("mfa");
  return amr;
}

function offersPasskey(pending: PendingSignIn | undefined): pending is PendingSignIn {
  return pending !== undefined && pending.methods.includes("passkey");
}

export function createPasskeySignIn(deps: {
  rp: RelyingParty;
  passkeyProofSecret: string;
  cognito: CognitoGateway;
  sessions: SessionManager;
  signIn: SignInService;
  pendingSignIns: Pick<PendingSignIns, "missing">;
  passkeys: PasskeyRepository;
  challenges: ChallengeStore;
  logger: Logger;
  /** Passkeys older than the owner's last password reset are paused (passkey-store.ts, isSuspended). */
  passwordResets?: Pick<PasswordResets, "lastForSub">;
}): PasskeySignIn {
  const { rp, passkeyProofSecret, cognito, sessions, signIn, pendingSignIns, passkeys, challenges, logger } = deps;

  const rounds = createCustomAuthRounds({ cognito, logger });

  return {
    async options(req, purpose) {
      const pending = purpose === "passkey-first" ? undefined : await sessions.readPending(req);
      if (purpose === "second-factor" && !offersPasskey(pending)) throw await pendingSignIns.missing(req);
      if (offersPasskey(pending)) {
        const owned = await passkeys.listForUser(pending.username);
        const lastReset = owned[0] === undefined ? undefined : await deps.passwordResets?.lastForSub(owned[0].sub);
        const allow = owned.filter((passkey) => !isSuspended(passkey, lastReset));
        const options = await generatePasskeyAuthenticationOptions({ rp, allow });
        await challenges.issue(req, { challenge: options.challenge, purpose: "second-factor", username: pending.username });
        return options;
      }
      const options = await generatePasskeyAuthenticationOptions({ rp });
      await challenges.issue(req, { challenge: options.challenge, purpose: "passkey-first" });
      return options;
    },

    async finish(req, credential) {
      // Spent first, whatever follows: a challenge answers one ceremony only.
      const issued = await challenges.consume(req, "signin");
      const response = parseAuthenticationResponse(credential);
      if (issued === undefined) throw new PasskeyRejectedError("no live challenge for this browser", passkeyMessages.expired);
      // A passkey-first sign-in begins here (the password path counts its start in bff/metrics.ts).
      if (issued.purpose === "passkey-first") metricsFor(logger).count(MetricName.SignInStarted);

      const passkey: StoredPasskey = await usablePasskeyFor({ passkeys, passwordResets: deps.passwordResets }, response);

      let pending: PendingSignIn | undefined;
      if (issued.purpose === "second-factor") {
        pending = await sessions.readPending(req);
        if (!offersPasskey(pending) || pending.username !== issued.username) throw await pendingSignIns.missing(req);
        // The credential must belong to the user who gave the password (WebAuthn L3 §7.2 step 6).
        if (passkey.username !== pending.username) throw new PasskeyRejectedError("credential of another user", passkeyMessages.notYours);
      }

      const verified = await verifyAndRecordUse({ rp, passkeys }, { response, expectedChallenge: issued.challenge, passkey });

      // The waiting PROVIDE round of a second step when there is one, else a new CUSTOM_AUTH.
      const round = await rounds.roundFor(ChallengeStep.passkey, passkey.username, pending?.step === "choose" ? pending.cognitoSession : undefined);
      const tokens = await rounds.answerPasskey(round, passkeyProofSecret);
      return signIn.complete(
        req,
        { username: round.username, email: pending?.email ?? "" },
        tokens,
        passkeyAmr(verified, issued.purpose === "second-factor", passkey.aaguid),
      );
    },
  };
}
