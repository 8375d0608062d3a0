import { randomBytes } from "node:crypto";
import type { SessionEntry, StringMap } from "../triggers";

/** What Cognito remembers between the rounds of one CUSTOM_AUTH attempt. */
export interface ChallengeSession {
  /** The internal username, or the name given when the user does not exist (PreventUserExistenceErrors). */
  username: string;
  userNotFound: boolean;
  clientId: string;
  /** PASSWORD_VERIFIER: the SRP step Cognito runs itself inside CUSTOM_AUTH (emulator/operations/srp-custom-auth.ts). */
  challengeName: "CUSTOM_CHALLENGE" | "PASSWORD_VERIFIER";
  /** The server's SRP state while a PASSWORD_VERIFIER answer is awaited (hex values, see emulator/srp.ts). */
  srp?: { A: string; b: string; B: string; salt: string; verifier: string; secretBlock: string };
  /** Completed rounds only, one merged entry each (docs/cognito-behaviour.md, "Custom authentication (CUSTOM_AUTH)"). */
  history: SessionEntry[];
  /** From the latest CreateAuthChallenge, for the next VerifyAuthChallengeResponse. */
  privateChallengeParameters: StringMap;
  challengeMetadata: string | null;
  /** Epoch milliseconds. */
  expiresAt: number;
}

export type SessionLookup = { kind: "valid"; session: ChallengeSession } | { kind: "expired" } | { kind: "unknown" };

/**
 * Challenge sessions, in memory. Each Session string is good for one answer and expires after
 * the client's AuthSessionValidity (AWS API: AuthSessionValidity, 3–15 minutes, default 3).
 */
export class ChallengeSessions {
  private readonly sessions = new Map<string, ChallengeSession>();

  constructor(private readonly now: () => number) {}

  /** Stores the state and returns a fresh opaque Session string (≥ 20 chars, token alphabet). */
  issue(session: ChallengeSession): string {
    this.prune();
    const id = randomBytes(96).toString("base64url");
    this.sessions.set(id, session);
    return id;
  }

  /** Single use: a Session string is removed by the lookup that finds it. */
  take(id: string): SessionLookup {
    const session = this.sessions.get(id);
    if (session === undefined) return { kind: "unknown" };
    this.sessions.delete(id);
    return session.expiresAt <= this.now() ? { kind: "expired" } : { kind: "valid", session };
  }

  private prune(): void {
    const now = this.now();
    // Expired sessions stay a while so that late answers hear "session is expired", not "invalid".
    for (const [id, session] of this.sessions) if (session.expiresAt + 3600_000 <= now) this.sessions.delete(id);
  }
}
