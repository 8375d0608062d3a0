import type { Request } from "express";
import type { Delivery } from "../../common/api-contract";
import { maskEmailAddress, type CognitoGateway } from "../cognito/cognito-gateway";
import { ApiError, serviceUnavailable } from "../errors";
import type { Logger } from "../logger";

/**
 * `POST /api/password/forgot` answers every email alike, in content and in time (OWASP Forgot
 * Password Cheat Sheet: "Return a consistent message for both existent and non-existent
 * accounts" and "Ensure that responses return in a consistent amount of time"). Cognito takes
 * longer when it really sends a mail, so the answer leaves a fixed `answerAfterMs` after the
 * request came, whether Cognito has finished by then or not; a send still running then finishes
 * in the background. The masked destination is computed here, as Cognito masks it.
 *
 * What the send meets is logged (and counted by the gateway), never shown: Cognito's per-user
 * limit or a failed delivery would tell that the account exists. Only an outage is told, to
 * everyone alike: 503 service_unavailable when Cognito could not be reached in time, and for a
 * minute after a background send found it unavailable.
 */

/** When the answer leaves: longer than Cognito takes to send a code, short enough to wait for. */
export const forgotPasswordAnswerMs = 400;
/** How long an outage seen by a send is answered with 503. */
export const outageMemorySeconds = 60;

export interface ForgotPassword {
  request(req: Request, email: string): Promise<Delivery>;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms)));

export function createForgotPassword(deps: { cognito: CognitoGateway; answerAfterMs?: number; now?: () => number }): ForgotPassword {
  const { cognito } = deps;
  const answerAfterMs = deps.answerAfterMs ?? forgotPasswordAnswerMs;
  const now = deps.now ?? Date.now;
  let unavailableUntil = 0;

  return {
    async request(req, email) {
      if (now() < unavailableUntil) throw serviceUnavailable(new Error("Cognito was unavailable for a reset code moments ago"));
      const started = now();
      const log = (req as { log?: Logger }).log;
      let outage: ApiError | undefined;
      const sending = cognito.forgotPassword({ email }).then(
        () => undefined,
        (error: unknown) => {
          const failure = error instanceof ApiError ? error : undefined;
          if (failure?.status === 503) {
            outage = failure;
            unavailableUntil = now() + outageMemorySeconds * 1000;
          }
          log?.warn({ errorCode: failure?.code ?? "unknown", requestId: req.id }, "reset code not sent");
        },
      );
      await Promise.race([sending, sleep(answerAfterMs)]);
      await sleep(started + answerAfterMs - now());
      if (outage !== undefined) throw serviceUnavailable(outage);
      return { medium: "EMAIL", destination: maskEmailAddress(email) };
    },
  };
}
