import { ATTEMPT_LIMIT_MESSAGE, DAILY_EMAIL_LIMIT_MESSAGE, Quotas, quotaSettings } from "../../../emulator/quotas";

function quotas(options?: Parameters<typeof quotaSettings>[0]) {
  let now = 1_750_000_000_000;
  return { quotas: new Quotas(quotaSettings(options), () => now), advance: (ms: number) => void (now += ms) };
}

test("counts per user and per operation: one user's calls never limit another's, nor another operation", () => {
  const { quotas: q } = quotas();
  for (let call = 0; call < 5; call += 1) q.takeUserAttempt("alice", "ResendConfirmationCode");
  expect(() => q.takeUserAttempt("alice", "ResendConfirmationCode")).toThrow(ATTEMPT_LIMIT_MESSAGE);
  expect(() => q.takeUserAttempt("bob", "ResendConfirmationCode")).not.toThrow();
  expect(() => q.takeUserAttempt("alice", "ConfirmSignUp")).not.toThrow();
});

test("a refused call does not count: the window frees up an hour after the calls that filled it", () => {
  const { quotas: q, advance } = quotas();
  for (let call = 0; call < 5; call += 1) q.takeUserAttempt("alice", "ChangePassword");
  advance(30 * 60_000);
  expect(() => q.takeUserAttempt("alice", "ChangePassword")).toThrow();
  advance(30 * 60_000 + 1);
  expect(() => q.takeUserAttempt("alice", "ChangePassword")).not.toThrow();
});

test("takes changed allowances and can be switched off", () => {
  const { quotas: lowered } = quotas({ perUserPerHour: { VerifyUserAttribute: 1 } });
  lowered.takeUserAttempt("alice", "VerifyUserAttribute");
  expect(() => lowered.takeUserAttempt("alice", "VerifyUserAttribute")).toThrow();
  const { quotas: off } = quotas(false);
  for (let call = 0; call < 100; call += 1) off.takeUserAttempt("alice", "ResendConfirmationCode");
  for (let mail = 0; mail < 100; mail += 1) off.takeDefaultSenderMail();
});

test("allows the default sender 50 mails in a rolling day", () => {
  const { quotas: q, advance } = quotas();
  for (let mail = 0; mail < 50; mail += 1) q.takeDefaultSenderMail();
  expect(() => q.takeDefaultSenderMail()).toThrow(DAILY_EMAIL_LIMIT_MESSAGE);
  advance(24 * 3600_000 + 1);
  expect(() => q.takeDefaultSenderMail()).not.toThrow();
});
