import { OTP_SUBJECT, createCreateAuthChallengeHandler, maskEmail, maskPhone } from "../../../triggers/create-auth-challenge";
import type { OutgoingMessage } from "../../../triggers/delivery/delivery-port";
import { otpCodeMac, otpMacKey, otpRoundMetadata, parseProvideRoundNonce, provideRoundMetadata } from "../../../triggers/round-metadata";
import { createEvent, emailUser, otpSeal, phoneUser, round, testConfig, USER_NAME } from "./events";

const NOW = 1_750_000_000_000;

function setup(config = testConfig) {
  const sent: OutgoingMessage[] = [];
  const create = createCreateAuthChallengeHandler({
    config,
    delivery: { send: async (message) => void sent.push(message) },
    now: () => NOW,
  });
  return { create, sent };
}

const afterProvide = [round("PROVIDE_AUTH_PARAMETERS", true)];
/** A session whose PROVIDE round names its attempt, as Create now writes it. */
const afterNamedProvide = (nonce = "attempt-nonce-0123456789ab") => [round("PROVIDE_AUTH_PARAMETERS", true, provideRoundMetadata(nonce))];

describe("create-auth-challenge", () => {
  it("issues the PROVIDE_AUTH_PARAMETERS round on an empty session, naming the attempt with a random nonce, and sends nothing", async () => {
    const { create, sent } = setup();
    const event = createEvent();
    const result = await create(event);
    expect(result).toBe(event);
    expect(result.response).toEqual({
      publicChallengeParameters: { step: "PROVIDE_AUTH_PARAMETERS" },
      privateChallengeParameters: { step: "PROVIDE_AUTH_PARAMETERS" },
      challengeMetadata: expect.stringMatching(/^PROVIDE_AUTH_PARAMETERS:[\w-]{22}$/),
    });
    const other = await create(createEvent());
    expect(parseProvideRoundNonce(other.response.challengeMetadata)).not.toBe(parseProvideRoundNonce(result.response.challengeMetadata));
    expect(sent).toEqual([]);
  });

  it("issues an OTP round: a 6-digit code emailed to the user, masked destination, all attempts left", async () => {
    const { create, sent } = setup();
    const { response } = await create(createEvent({ session: afterProvide, clientMetadata: { signInMethod: "OTP" } }));
    const code = sent[0]!.code;
    expect(code).toMatch(/^\d{6}$/);
    const expiresAt = NOW + 300_000;
    const codeMac = otpCodeMac(otpMacKey(testConfig.passkeyProofSecret), USER_NAME, expiresAt, code);
    expect(response).toEqual({
      publicChallengeParameters: { step: "OTP", destination: "j***@e***", attemptsLeft: "3" },
      privateChallengeParameters: { step: "OTP", codeMac, expiresAt: String(expiresAt) },
      challengeMetadata: otpRoundMetadata({ expiresAt, codeMac }),
    });
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ channel: "EMAIL", to: "jane.doe@example.com", subject: OTP_SUBJECT, code });
    expect(sent[0]!.text).toContain(code);
    expect(sent[0]!.text).toContain("5 minutes");
  });

  it("mails a Japanese user (locale ja) the code in Japanese, as a text part and an HTML part", async () => {
    const { create, sent } = setup();
    await create(createEvent({ session: afterProvide, clientMetadata: { signInMethod: "OTP" }, userAttributes: { ...emailUser(), locale: "ja" } }));
    const code = sent[0]!.code;
    expect(sent[0]).toMatchObject({ channel: "EMAIL", subject: "Tobira のサインインコード" });
    expect(sent[0]!.text).toBe(`Tobira のサインインコードは ${code} です。有効期限は 5 分です。サインインしようとしていない場合は、このメッセージを無視してください。`);
    expect(sent[0]!.html).toContain('<html lang="ja">');
    expect(sent[0]!.html).toContain(code);
  });

  it("mails an English user an HTML part too, and sends an SMS as text alone", async () => {
    const { create, sent } = setup();
    await create(createEvent({ session: afterProvide, clientMetadata: { signInMethod: "OTP" } }));
    expect(sent[0]!.html).toContain('<html lang="en">');
    await create(createEvent({ session: afterProvide, clientMetadata: { signInMethod: "OTP" }, userAttributes: { ...phoneUser(), locale: "ja-JP" } }));
    expect(sent[1]).toMatchObject({ channel: "SMS", subject: "Tobira のサインインコード" });
    expect(sent[1]!.html).toBeUndefined();
  });

  it("keeps the code itself out of the challenge parameters and the metadata", async () => {
    const { create, sent } = setup();
    const { response } = await create(createEvent({ session: afterProvide, clientMetadata: { signInMethod: "OTP" } }));
    const code = sent[0]!.code;
    expect(JSON.stringify(response)).not.toContain(code);
  });

  it("uses the configured code lifetime for the expiry and the message", async () => {
    const { create, sent } = setup({ ...testConfig, otpTtlSeconds: 60 });
    const { response } = await create(createEvent({ session: afterProvide, clientMetadata: { signInMethod: "OTP" } }));
    expect(response.privateChallengeParameters.expiresAt).toBe(String(NOW + 60_000));
    expect(sent[0]!.text).toContain("1 minute.");
  });

  it("draws a fresh code each round", async () => {
    const { create } = setup();
    const codes = new Set<string>();
    for (let i = 0; i < 5; i += 1) {
      const { response } = await create(createEvent({ session: afterProvide, clientMetadata: { signInMethod: "OTP" } }));
      codes.add(response.privateChallengeParameters.codeMac!);
    }
    expect(codes.size).toBeGreaterThan(1);
  });

  it("sends the code by SMS when the user has a phone number but no email", async () => {
    const { create, sent } = setup();
    const { response } = await create(createEvent({ session: afterProvide, clientMetadata: { signInMethod: "OTP" }, userAttributes: phoneUser("+15555551234") }));
    expect(response.publicChallengeParameters.destination).toBe("+*******1234");
    expect(sent[0]).toMatchObject({ channel: "SMS", to: "+15555551234" });
  });

  it("prefers email when the user has both email and phone number", async () => {
    const { create, sent } = setup();
    await create(
      createEvent({
        session: afterProvide,
        clientMetadata: { signInMethod: "OTP" },
        userAttributes: { ...phoneUser(), ...emailUser() },
      }),
    );
    expect(sent[0]!.channel).toBe("EMAIL");
  });

  it("throws when the user has neither email nor phone number, and sends nothing", async () => {
    const { create, sent } = setup();
    const event = createEvent({ session: afterProvide, clientMetadata: { signInMethod: "OTP" }, userAttributes: { sub: USER_NAME } });
    await expect(create(event)).rejects.toThrow(/no verified email address or phone number/);
    expect(sent).toEqual([]);
  });

  describe("sends codes only to a verified address", () => {
    const otpFor = (userAttributes: Record<string, string>) => createEvent({ session: afterProvide, clientMetadata: { signInMethod: "OTP" }, userAttributes });

    it("refuses an email whose email_verified is false, and sends nothing", async () => {
      const { create, sent } = setup();
      await expect(create(otpFor({ ...emailUser(), email_verified: "false" }))).rejects.toThrow(/no verified email address or phone number/);
      expect(sent).toEqual([]);
    });

    it("refuses an email without email_verified, and sends nothing", async () => {
      const { create, sent } = setup();
      const { email_verified: _dropped, ...unmarked } = emailUser();
      await expect(create(otpFor(unmarked))).rejects.toThrow(/no verified email address or phone number/);
      expect(sent).toEqual([]);
    });

    it("refuses a phone number whose phone_number_verified is false, and sends nothing", async () => {
      const { create, sent } = setup();
      await expect(create(otpFor({ ...phoneUser(), phone_number_verified: "false" }))).rejects.toThrow(/no verified email address or phone number/);
      expect(sent).toEqual([]);
    });

    it("sends to the verified phone number when the email is not verified", async () => {
      const { create, sent } = setup();
      await create(otpFor({ ...phoneUser("+15555550000"), ...emailUser(), email_verified: "false" }));
      expect(sent.map(({ channel, to }) => ({ channel, to }))).toEqual([{ channel: "SMS", to: "+15555550000" }]);
    });

    it("sends to the verified email", async () => {
      const { create, sent } = setup();
      await create(otpFor(emailUser("ada@example.com")));
      expect(sent.map(({ channel, to }) => ({ channel, to }))).toEqual([{ channel: "EMAIL", to: "ada@example.com" }]);
    });
  });

  it("issues a PASSKEY round with a fresh 32-byte base64url nonce and sends nothing", async () => {
    const { create, sent } = setup();
    const first = await create(createEvent({ session: afterProvide, clientMetadata: { signInMethod: "PASSKEY" } }));
    const nonce = first.response.publicChallengeParameters.nonce!;
    expect(Buffer.from(nonce, "base64url")).toHaveLength(32);
    expect(nonce).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(first.response).toEqual({
      publicChallengeParameters: { step: "PASSKEY", nonce },
      privateChallengeParameters: { step: "PASSKEY", nonce },
      challengeMetadata: "PASSKEY",
    });
    const second = await create(createEvent({ session: afterProvide, clientMetadata: { signInMethod: "PASSKEY" } }));
    expect(second.response.publicChallengeParameters.nonce).not.toBe(nonce);
    expect(sent).toEqual([]);
  });

  it("throws a clear error when signInMethod is missing", async () => {
    const { create } = setup();
    await expect(create(createEvent({ session: afterProvide }))).rejects.toThrow('ClientMetadata.signInMethod must be "OTP", "PASSKEY" or "SIGN_UP_CONFIRMED"');
  });

  it("throws when signInMethod is not OTP or PASSKEY", async () => {
    const { create } = setup();
    await expect(create(createEvent({ session: afterProvide, clientMetadata: { signInMethod: "otp" } }))).rejects.toThrow(/signInMethod/);
  });

  it("retries with the previous round's method, ignoring a different signInMethod", async () => {
    const { create, sent } = setup();
    const { response } = await create(createEvent({ session: [...afterProvide, round("PASSKEY", false)], clientMetadata: { signInMethod: "OTP" } }));
    expect(response.challengeMetadata).toBe("PASSKEY");
    expect(sent).toEqual([]);
  });

  it("retries an OTP round without ClientMetadata, keeping the unexpired code (no new message) and counting attemptsLeft down", async () => {
    const { create, sent } = setup();
    const seal = otpSeal(NOW + 120_000);
    const wrong = round("OTP", false, otpRoundMetadata(seal));
    const second = await create(createEvent({ session: [...afterProvide, wrong] }));
    expect(second.response.challengeMetadata).toBe(otpRoundMetadata(seal));
    expect(second.response.privateChallengeParameters).toEqual({ step: "OTP", codeMac: seal.codeMac, expiresAt: String(seal.expiresAt) });
    expect(second.response.publicChallengeParameters.attemptsLeft).toBe("2");
    const third = await create(createEvent({ session: [...afterProvide, wrong, wrong] }));
    expect(third.response.publicChallengeParameters.attemptsLeft).toBe("1");
    expect(sent).toHaveLength(0);
  });

  it("sends a fresh code when the answer asked for a resend, though the previous code is still valid", async () => {
    const { create, sent } = setup();
    const seal = otpSeal(NOW + 120_000);
    const resent = await create(createEvent({ session: [...afterProvide, round("OTP", false, otpRoundMetadata(seal))], clientMetadata: { codeResend: "true" } }));
    expect(sent).toHaveLength(1);
    expect(resent.response.privateChallengeParameters.codeMac).not.toBe(seal.codeMac);
  });

  it("counts only custom rounds after the password step Cognito ran itself (SRP_A, PASSWORD_VERIFIER)", async () => {
    const { create } = setup();
    const passwordStep = [
      { challengeName: "SRP_A", challengeResult: true, challengeMetadata: undefined },
      { challengeName: "PASSWORD_VERIFIER", challengeResult: true, challengeMetadata: undefined },
    ] as unknown as typeof afterProvide;
    const { response } = await create(createEvent({ session: passwordStep }));
    expect(response.publicChallengeParameters).toEqual({ step: "PROVIDE_AUTH_PARAMETERS" });
  });

  it("retries an OTP round whose code has expired with a fresh code, sent", async () => {
    const { create, sent } = setup();
    const expired = round("OTP", false, otpRoundMetadata(otpSeal(NOW)));
    const retry = await create(createEvent({ session: [...afterProvide, expired] }));
    expect(sent).toHaveLength(1);
    expect(retry.response.privateChallengeParameters.expiresAt).toBe(String(NOW + 300_000));
    expect(retry.response.publicChallengeParameters.attemptsLeft).toBe("2");
  });

  it("throws for a challenge other than CUSTOM_CHALLENGE", async () => {
    const { create } = setup();
    await expect(create(createEvent({ challengeName: "PASSWORD_VERIFIER" }))).rejects.toThrow(/CUSTOM_CHALLENGE/);
  });

  it("fails the round when delivery fails (Cognito reports the trigger error)", async () => {
    const create = createCreateAuthChallengeHandler({
      config: testConfig,
      delivery: { send: async () => Promise.reject(new Error("SES throttled")) },
    });
    await expect(create(createEvent({ session: afterProvide, clientMetadata: { signInMethod: "OTP" } }))).rejects.toThrow("SES throttled");
  });
});

describe("one code per round, however often Cognito invokes the trigger", () => {
  const otpEvent = (session = afterNamedProvide()) => createEvent({ session, clientMetadata: { signInMethod: "OTP" } });

  it("mails the same code when Cognito invokes Create again for the same round", async () => {
    const { create, sent } = setup();
    const first = await create(otpEvent());
    const retried = await create(otpEvent());
    expect(sent).toHaveLength(2);
    expect(sent[1]!.code).toBe(sent[0]!.code);
    expect(retried.response.privateChallengeParameters.codeMac).toBe(first.response.privateChallengeParameters.codeMac);
  });

  it("mails a different code for another sign-in attempt of the same user", async () => {
    const { create, sent } = setup();
    await create(otpEvent(afterNamedProvide("attempt-one-0123456789ab")));
    await create(otpEvent(afterNamedProvide("attempt-two-0123456789ab")));
    expect(sent[1]!.code).not.toBe(sent[0]!.code);
  });

  it("mails a different code for a later round of the same attempt (the earlier code expired)", async () => {
    const { create, sent } = setup();
    await create(otpEvent());
    const expired = otpRoundMetadata({ expiresAt: NOW - 1, codeMac: "x".repeat(43) });
    await create(otpEvent([...afterNamedProvide(), round("OTP", false, expired)]));
    expect(sent).toHaveLength(2);
    expect(sent[1]!.code).not.toBe(sent[0]!.code);
  });

  it("mails a different code to another user in an attempt with the same nonce", async () => {
    const { create, sent } = setup();
    await create(otpEvent());
    await create(createEvent({ session: afterNamedProvide(), clientMetadata: { signInMethod: "OTP" }, userName: "another-user" }));
    expect(sent[1]!.code).not.toBe(sent[0]!.code);
  });

  it("keeps codes six digits and spread out (no fixed or short codes from the derivation)", async () => {
    const { create, sent } = setup();
    for (let i = 0; i < 40; i += 1) await create(otpEvent(afterNamedProvide(`attempt-${String(i).padStart(20, "0")}`)));
    expect(sent.every((message) => /^\d{6}$/.test(message.code))).toBe(true);
    expect(new Set(sent.map((message) => message.code)).size).toBeGreaterThan(35);
  });

  it("answers the round within its budget when the mail provider is slow, and the code still verifies", async () => {
    let slow: (() => void) | undefined;
    const sent: OutgoingMessage[] = [];
    let slowReported = 0;
    const create = createCreateAuthChallengeHandler({
      config: testConfig,
      now: () => NOW,
      deliveryBudgetMs: 20,
      onSlowDelivery: () => (slowReported += 1),
      delivery: {
        send: (message) =>
          new Promise<void>((resolve) => {
            sent.push(message);
            slow = resolve;
          }),
      },
    });
    const started = Date.now();
    const { response } = await create(otpEvent());
    expect(Date.now() - started).toBeLessThan(1000);
    expect(slowReported).toBe(1);
    expect(response.privateChallengeParameters.codeMac).toBe(otpCodeMac(otpMacKey(testConfig.passkeyProofSecret), USER_NAME, NOW + 300_000, sent[0]!.code));
    slow?.();
  });

  it("answers the round within its budget when the mail provider is slow and no one asked to be told", async () => {
    let slow: (() => void) | undefined;
    const create = createCreateAuthChallengeHandler({
      config: testConfig,
      now: () => NOW,
      deliveryBudgetMs: 20,
      delivery: { send: () => new Promise<void>((resolve) => (slow = resolve)) },
    });
    const { response } = await create(otpEvent());
    expect(response.privateChallengeParameters.step).toBe("OTP");
    slow?.();
  });

  it("leaves no budget timer running once a prompt delivery has finished (a pending timer keeps the Lambda's event loop busy)", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    try {
      const { create } = setup();
      await create(otpEvent());
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe("destination masking", () => {
  it.each([
    ["a.b@example.com", "a***@e***"],
    ["jane@mail.example.co.jp", "j***@m***"],
    ["x@localhost", "x***@l***"],
  ])("masks email %s as %s", (email, masked) => {
    expect(maskEmail(email)).toBe(masked);
  });

  it.each([
    ["+15555551234", "+*******1234"],
    ["+819012345678", "+*******5678"],
    // Only digits are shown, however the number was written.
    ["+81 90 1234 56 78", "+*******5678"],
  ])("masks phone %s as %s", (phone, masked) => {
    expect(maskPhone(phone)).toBe(masked);
  });
});
