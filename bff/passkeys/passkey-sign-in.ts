import type { Request } from "express";
import type { PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/server";
import type { SignInDoneResponse } from "../../common/api-contract";
import { computePasskeyProof } from "../../common/passkey-proof";
import type { CognitoGateway, CustomChallenge } from "../cognito/cognito-gateway";
import { ApiError } from "../errors";
import type { Logger } from "../logger";
import type { SessionManager } from "../session/session-manager";
import type { PendingSignIn } from "../session/session-records";
import { challengeSteps, provideAnswer, type SignInService } from "../signin/sign-in-service";
import type { ChallengeStore } from "./challenge-store";
import { parseAuthenticationResponse } from "./credential-schemas";
import { generatePasskeyAuthenticationOptions } from "./generate-authentication-options";
import { PasskeyRejectedError, passkeyMessages } from "./passkey-errors";
import type { PasskeyRepository, StoredPasskey } from "./passkey-store";
import type { RelyingParty } from "./relying-party";
import { verifyPasskeyAuthentication, type VerifiedPasskeyAuthentication } from "./verify-authentication";

/**
 * Sign-in with a passkey, as the second step after the password or on its own (passkey-first).
 * The BFF verifies the assertion itself, then walks Cognito's CUSTOM_AUTH: PROVIDE with
 * signInMethod PASSKEY → the PASSKEY round's nonce → `WEBAUTHN_SUCCESS` with the HMAC proof
 * (common/passkey-proof.ts) that the verify trigger checks. Tokens end the sign-in the same way
 * the code path does.
 */

export const passkeyAnswer = "WEBAUTHN_SUCCESS";

export interface PasskeySignIn {
  options(req: Request): Promise<PublicKeyCredentialRequestOptionsJSON>;
  finish(req: Request, credential: unknown): Promise<SignInDoneResponse>;
}

const challengeFailed = () => new ApiError(502, "challenge_failed", "Sign-in could not be completed. Start again.", { expose: true });

/** RFC 8176: a passkey is a key in hardware (single-device) or a synced software key; UV adds "user". */
export function passkeyAmr(verified: Pick<VerifiedPasskeyAuthentication, "deviceType" | "userVerified">, afterPassword: boolean): string[] {
  const key = verified.deviceType === "singleDevice" ? "hwk" : "swk";
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
  passkeys: PasskeyRepository;
  challenges: ChallengeStore;
  logger: Logger;
}): PasskeySignIn {
  const { rp, passkeyProofSecret, cognito, sessions, signIn, passkeys, challenges, logger } = deps;

  /** Answers PROVIDE with the PASSKEY method; Cognito's next round carries the nonce to bind the proof to. */
  async function providePasskey(username: string, session: string): Promise<CustomChallenge> {
    const outcome = await cognito.respondToCustomChallenge({
      username,
      session,
      answer: provideAnswer,
      clientMetadata: { signInMethod: challengeSteps.passkey },
    });
    if (outcome.type !== "challenge" || outcome.challenge.parameters.step !== challengeSteps.passkey || !outcome.challenge.parameters.nonce) {
      throw challengeFailed();
    }
    return outcome.challenge;
  }

  async function freshPasskeyRound(username: string): Promise<CustomChallenge> {
    const provide = await cognito.startCustomAuth({ username });
    if (provide.parameters.step !== challengeSteps.provide) throw challengeFailed();
    return providePasskey(provide.username, provide.session);
  }

  /** The PASSKEY round: the waiting PROVIDE round of a second step when there is one, else a new CUSTOM_AUTH. */
  async function passkeyRound(username: string, pending: PendingSignIn | undefined): Promise<CustomChallenge> {
    if (pending?.step !== "choose") return freshPasskeyRound(username);
    return providePasskey(pending.username, pending.cognitoSession).catch(async (error: unknown) => {
      if (error instanceof ApiError && error.code === "session_expired") return freshPasskeyRound(username);
      throw error;
    });
  }

  async function answerWithProof(round: CustomChallenge) {
    const proof = computePasskeyProof(passkeyProofSecret, round.username, round.parameters.nonce!);
    const outcome = await cognito.respondToCustomChallenge({
      username: round.username,
      session: round.session,
      answer: passkeyAnswer,
      clientMetadata: { passkeyProof: proof },
    });
    if (outcome.type !== "tokens") {
      logger.warn("the verify trigger refused a passkey proof the BFF made");
      throw challengeFailed();
    }
    return outcome.tokens;
  }

  return {
    async options(req) {
      const pending = await sessions.readPending(req);
      if (offersPasskey(pending)) {
        const allow = await passkeys.listForUser(pending.username);
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

      const passkey: StoredPasskey | undefined = await passkeys.find(response.id);
      if (passkey === undefined) throw new PasskeyRejectedError("unknown credential", passkeyMessages.unknownCredential);

      let pending: PendingSignIn | undefined;
      if (issued.purpose === "second-factor") {
        pending = await sessions.readPending(req);
        if (!offersPasskey(pending) || pending.username !== issued.username) {
          throw new ApiError(401, "session_expired", "Your sign-in has expired. Start again.");
        }
        // The credential must belong to the user who gave the password (WebAuthn L3 §7.2 step 6).
        if (passkey.username !== pending.username) throw new PasskeyRejectedError("credential of another user", passkeyMessages.notYours);
      }

      const verified = await verifyPasskeyAuthentication({ rp, response, expectedChallenge: issued.challenge, passkey });
      const updated = await passkeys.update({
        ...passkey,
        counter: verified.newCounter,
        backedUp: verified.backedUp,
        deviceType: verified.deviceType,
        lastUsedAt: new Date().toISOString(),
      });
      // Removed from the account while this ceremony ran: no sign-in with it, and no resurrection.
      if (!updated) throw new PasskeyRejectedError("credential removed during the ceremony", passkeyMessages.unknownCredential);

      const round = await passkeyRound(passkey.username, pending);
      const tokens = await answerWithProof(round);
      return signIn.complete(
        req,
        { username: round.username, email: pending?.email ?? "" },
        tokens,
        passkeyAmr(verified, issued.purpose === "second-factor"),
      );
    },
  };
}
