import { describe, expect, it } from "vitest";
import type { AuthenticatedSession, StoredSession } from "../../../bff/session/session-records";
import { endedSession, openSession, sealSession, sessionStoreKey } from "../../../bff/session/token-sealing";

/**
 * Cognito's tokens at rest (bff/session/token-sealing.ts), through its exports: what a record
 * sealed for one session id opens to, and what a sign-out from elsewhere gets of it.
 */

const sessionId = "fixture-session-id-0123456789abcdefghijklmn";
const cookieKey = "cookie-key-fixture-of-32-characters-0000";

const session: AuthenticatedSession = {
  sub: "sub-fixture",
  email: "f@example.com",
  username: "internal-f",
  amr: ["pwd"],
  authTime: 1_700_000_000,
  tokens: { idToken: "id-fixture", accessToken: "access-fixture", refreshToken: "refresh-fixture", accessTokenExpiresAt: 1_700_003_600 },
  createdAt: 1_700_000_000,
  expiresAt: 1_700_028_800,
};

const { tokens: _tokens, ...summary } = session;

/** Written by this release for `sessionId` under `cookieKey`: records like it are in the table when the next release starts. */
const sealedEarlier: StoredSession = {
  ...summary,
  sealedTokens:
    "v1.7_INj6nxa3yLZxzR.58WLVA4CB8PY7Yw_FcKlL7rbGCZNpbRFKc1oZsoBIBtcyzlFAE_2zmq2-X3IYqJgmyCbPHjNyODhtc0NREu4fQX-cOqtT5BeXrKTskuP_krAYQ-jsxCZsEbqv13LbA-T2Tcq559d0ox6QqIfBvcKZGA1HwPxNKhr0WY.VZirI_5Zd5WeXpa-n3GgoQ",
  sealedRefreshToken: "v1.S5tDIEEa8yWBPKol.j7dRmcDq51fTX_7CWpNl.Lfr5rsA4pzX52TmmqOggJw",
};
const storeKeyEarlier = "aHc4-6xgXBYxuowSus2xaQ3xlcWTsSr0YgjHKcRnwHw";

/** The sealed tokens with one of their dot-separated parts changed. */
function withSealedTokens(record: StoredSession, change: (parts: string[]) => string[]): StoredSession {
  return { ...record, sealedTokens: change(record.sealedTokens.split(".")).join(".") };
}

describe("records sealed by an earlier release (the store key, the sealed format and the key derivation are stored data)", () => {
  it("finds the record under the same store key", () => {
    expect(sessionStoreKey(sessionId)).toBe(storeKeyEarlier);
  });

  it("opens its tokens with the browser's session id", () => {
    expect(openSession(sessionId, sealedEarlier)).toEqual(session);
  });

  it("opens its refresh token with the cookie key for a sign-out from elsewhere", () => {
    expect(endedSession(storeKeyEarlier, sealedEarlier, [cookieKey])).toEqual({ ...summary, refreshToken: "refresh-fixture" });
  });
});

describe("sealed values that do not open", () => {
  const record = sealSession(sessionId, session, [cookieKey]);

  it("opens a freshly sealed record (the cases below differ from it in one way)", () => {
    expect(openSession(sessionId, record)?.tokens).toEqual(session.tokens);
  });

  it("does not open a value labelled with another format", () => {
    expect(
      openSession(
        sessionId,
        withSealedTokens(record, ([, ...rest]) => ["v2", ...rest]),
      ),
    ).toBeUndefined();
  });

  it("does not open a value with a part appended", () => {
    expect(
      openSession(
        sessionId,
        withSealedTokens(record, (parts) => [...parts, "extra"]),
      ),
    ).toBeUndefined();
  });

  it("does not open a value with a part missing", () => {
    expect(
      openSession(
        sessionId,
        withSealedTokens(record, (parts) => parts.slice(0, 3)),
      ),
    ).toBeUndefined();
  });
});

describe("the refresh token of a session ended from elsewhere", () => {
  const newKey = "a-new-cookie-key-of-32-characters-00000";

  it("opens with the first cookie key while older keys are still listed (rotation)", () => {
    const record = sealSession(sessionId, session, [newKey, cookieKey]);
    expect(endedSession(sessionStoreKey(sessionId), record, [newKey, cookieKey]).refreshToken).toBe("refresh-fixture");
  });

  it("opens with an older key listed after the one that now signs (rotation)", () => {
    expect(endedSession(storeKeyEarlier, sealedEarlier, [newKey, cookieKey]).refreshToken).toBe("refresh-fixture");
  });

  it("is absent when the key it was sealed under is no longer listed", () => {
    expect(endedSession(storeKeyEarlier, sealedEarlier, [newKey]).refreshToken).toBeUndefined();
  });

  it("is the clear refresh token of a record written before tokens were sealed, so that it can still be revoked", () => {
    const legacy = { ...summary, tokens: session.tokens } as unknown as StoredSession;
    expect(endedSession(storeKeyEarlier, legacy, [cookieKey]).refreshToken).toBe("refresh-fixture");
  });
});
