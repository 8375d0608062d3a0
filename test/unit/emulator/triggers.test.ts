import type { DefineAuthChallengeTriggerEvent } from "aws-lambda";
import type { StoredUser } from "../../../emulator/state/user-store";
import { type ChallengeTriggers, TriggerRunner, eventUserAttributes } from "../../../emulator/triggers";

const user: StoredUser = {
  username: "0b1c",
  sub: "0b1c",
  attributes: { email: "a@example.com", email_verified: "true" },
  passwordHash: "x",
  status: "CONFIRMED",
  enabled: true,
  createdAt: 0,
  updatedAt: 0,
};
const pool = { region: "us-east-1", userPoolId: "us-east-1_P", usernameAttributes: ["email"] };
const subject = { userName: "0b1c", user, clientId: "client" };

function runner(define: ChallengeTriggers["defineAuthChallenge"]) {
  const unused = async () => {
    throw new Error("not called");
  };
  return new TriggerRunner({ defineAuthChallenge: define, createAuthChallenge: unused, verifyAuthChallengeResponse: unused }, pool);
}

test("userAttributes carry sub, status and the email alias marker as strings", () => {
  expect(eventUserAttributes(user, ["email"])).toEqual({
    sub: "0b1c",
    email: "a@example.com",
    email_verified: "true",
    "cognito:user_status": "CONFIRMED",
    "cognito:email_alias": "a@example.com",
  });
});

test("an unknown user has no attributes", () => {
  expect(eventUserAttributes(undefined, ["email"])).toEqual({});
});

test("a handler cannot change the emulator's state through the event", async () => {
  const session = [{ challengeName: "CUSTOM_CHALLENGE" as const, challengeResult: true, challengeMetadata: "X" }];
  await runner(async (event: DefineAuthChallengeTriggerEvent) => {
    event.request.session.length = 0;
    event.response.issueTokens = true;
    return event;
  }).define(subject, session);
  expect(session).toHaveLength(1);
});

test("a non-Error throw still becomes UserLambdaValidationException", async () => {
  await expect(
    runner(async () => {
      throw "plain string";
    }).define(subject, []),
  ).rejects.toMatchObject({ type: "UserLambdaValidationException", message: "DefineAuthChallenge failed with error plain string." });
});

test("a handler returning nothing is an invalid Lambda response", async () => {
  await expect(runner(async () => undefined as unknown as DefineAuthChallengeTriggerEvent).define(subject, [])).rejects.toMatchObject({
    type: "InvalidLambdaResponseException",
  });
});

test("a handler that never answers within 5 seconds, three invocations in a row, is an unexpected Lambda failure", async () => {
  vi.useFakeTimers();
  try {
    let invocations = 0;
    const pending = runner(() => {
      invocations += 1;
      return new Promise(() => undefined);
    }).define(subject, []);
    const outcome = expect(pending).rejects.toMatchObject({ type: "UnexpectedLambdaException", message: "DefineAuthChallenge failed due to a timeout." });
    await vi.advanceTimersByTimeAsync(5000);
    expect(invocations).toBe(2);
    await vi.advanceTimersByTimeAsync(5000);
    expect(invocations).toBe(3);
    await vi.advanceTimersByTimeAsync(5000);
    await outcome;
    expect(invocations).toBe(3);
  } finally {
    vi.useRealTimers();
  }
});

test("a handler slower than 5 seconds is invoked again while the first keeps running, and the answer in time counts", async () => {
  vi.useFakeTimers();
  try {
    let invocations = 0;
    const pending = runner(async (event: DefineAuthChallengeTriggerEvent) => {
      invocations += 1;
      if (invocations === 1) {
        // The abandoned first invocation answers late, and differently: its answer is ignored.
        await new Promise((resolve) => setTimeout(resolve, 7000));
        event.response.failAuthentication = true;
        return event;
      }
      event.response.issueTokens = true;
      return event;
    }).define(subject, []);
    await vi.advanceTimersByTimeAsync(5000);
    await expect(pending).resolves.toMatchObject({ issueTokens: true, failAuthentication: false });
    await vi.advanceTimersByTimeAsync(5000);
    expect(invocations).toBe(2);
  } finally {
    vi.useRealTimers();
  }
});

test("a handler that throws is not invoked again", async () => {
  let invocations = 0;
  await expect(
    runner(async () => {
      invocations += 1;
      throw new Error("boom");
    }).define(subject, []),
  ).rejects.toMatchObject({ type: "UserLambdaValidationException" });
  expect(invocations).toBe(1);
});
