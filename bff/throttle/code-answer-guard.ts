import type { Request, RequestHandler, Response } from "express";
import type { Logger } from "../logger";
import type { SessionManager } from "../session/session-manager";
import { codeDigestOf, keptWrongAnswer, roundIdOf } from "../signin/kept-wrong-code";
import { openWritesWithAnswer, pendingOf, rememberPending, takeWritesWithAnswer } from "../signin/request-records";
import type { Store } from "../store/store";
import { beforeAnswer } from "./before-answer";

/**
 * A code is judged once per round (`POST /api/signin/otp`): a double click, a retrying client or
 * a second tab sends the same code twice, and Cognito accepts one answer per challenge Session —
 * the second answer would find the Session used, end the sign-in and count a second wrong code
 * (OWASP Authentication Cheat Sheet: count failed attempts, not requests).
 *
 * - The first request for a round claims it (an atomic counter in the store, shared by every
 *   instance) and is judged; its answer is kept for a moment.
 * - A concurrent request for the same round waits for that answer: the same code gets the same
 *   answer, without being judged or counted again; another code is judged on the next round.
 * - A code already judged wrong is answered wrong again without a guess being spent, also when
 *   it arrives after the first answer (it would be wrong on the next round too): the sign-in
 *   keeps its last wrong code (bff/signin/kept-wrong-code.ts).
 */

export const codeAnswerKind = "signin-answer";

/** How long a duplicate waits for the first request's answer before being judged itself. */
const waitForFirstMs = 15_000;
const pollEveryMs = 50;
/** Claims and answers outlive any one request. */
const claimTtlSeconds = 120;

interface KeptAnswer {
  codeDigest: string;
  status: number;
  body: unknown;
}

export function createCodeAnswerGuard(deps: { store: Store; sessions: SessionManager; signInTtlSeconds: number; logger: Logger }): RequestHandler {
  const { store, sessions, logger } = deps;

  const replay = (res: Response, answer: KeptAnswer) => {
    res.status(answer.status).json(answer.body);
  };

  async function waitForAnswer(roundId: string): Promise<KeptAnswer | undefined> {
    const until = Date.now() + waitForFirstMs;
    while (Date.now() < until) {
      const answer = await store.get<KeptAnswer>(codeAnswerKind, `result:${roundId}`);
      if (answer !== undefined) return answer;
      await new Promise((resolve) => setTimeout(resolve, pollEveryMs));
    }
    return undefined;
  }

  return async (req, res, next) => {
    const raw = (req.body as { code?: unknown } | undefined)?.code;
    const code = typeof raw === "string" ? raw.trim() : "";
    // Anything but a well-formed code is the route's to refuse.
    if (!/^\d{6}$/.test(code)) return next();

    // A round is claimed at most a few times in a row (each loser moves on to the next round).
    for (let attempt = 0; attempt < 3; attempt += 1) {
      // The first read is shared with the rest of this request (request-records.ts); a later round reads again.
      const pending = attempt === 0 ? await pendingOf(req, sessions) : await sessions.readPending(req);
      if (attempt > 0) rememberPending(req, pending);
      if (pending === undefined || pending.step !== "otp") return next();
      const roundId = roundIdOf(pending.cognitoSession);
      const codeDigest = codeDigestOf(roundId, code);

      // The wrong code of the round before, sent again: kept in the pending sign-in itself.
      const keptWrong = keptWrongAnswer(pending, code);
      if (keptWrong !== undefined) return next(keptWrong);

      const claim = await store.increment(codeAnswerKind, `claim:${roundId}`, claimTtlSeconds);
      if (claim.count === 1) {
        // What the sign-in writes about its outcome (its history) goes in the same round-trip as the answer kept here.
        openWritesWithAnswer(req);
        beforeAnswer(res, ({ status, body }) => keep(roundId, codeDigest, status, body, req), logger);
        return next();
      }
      const first = await waitForAnswer(roundId);
      if (first === undefined) return next();
      if (first.codeDigest === codeDigest) return replay(res, first);
      // Another code was judged on this round; this one meets the next round.
    }
    return next();
  };

  /** For a duplicate waiting on this round. A wrong code for the next round is kept by the sign-in itself (kept-wrong-code.ts). */
  async function keep(roundId: string, codeDigest: string, status: number, body: unknown, req: Request): Promise<void> {
    const answer: KeptAnswer = { codeDigest, status, body };
    await store.putMany([{ kind: codeAnswerKind, id: `result:${roundId}`, value: answer, options: { ttlSeconds: claimTtlSeconds } }, ...takeWritesWithAnswer(req)]);
  }
}
