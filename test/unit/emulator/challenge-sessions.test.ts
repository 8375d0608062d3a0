import { type ChallengeSession, ChallengeSessions } from "../../../emulator/state/challenge-sessions";

function session(expiresAt: number): ChallengeSession {
  return {
    username: "u",
    userNotFound: false,
    clientId: "c",
    challengeName: "CUSTOM_CHALLENGE",
    history: [],
    privateChallengeParameters: {},
    challengeMetadata: null,
    expiresAt,
  };
}

test("issues opaque Session strings of at least 20 token characters", () => {
  const id = new ChallengeSessions(() => 0).issue(session(10));
  expect(id.length).toBeGreaterThanOrEqual(20);
  expect(id).toMatch(/^[A-Za-z0-9\-_=.]+$/);
});

test("a Session string works once", () => {
  const sessions = new ChallengeSessions(() => 0);
  const id = sessions.issue(session(10));
  expect(sessions.take(id).kind).toBe("valid");
  expect(sessions.take(id).kind).toBe("unknown");
});

test("a Session string past its expiry is reported as expired", () => {
  let now = 0;
  const sessions = new ChallengeSessions(() => now);
  const id = sessions.issue(session(10));
  now = 10;
  expect(sessions.take(id).kind).toBe("expired");
});

test("an unknown Session string is unknown", () => {
  expect(new ChallengeSessions(() => 0).take("x".repeat(40)).kind).toBe("unknown");
});
