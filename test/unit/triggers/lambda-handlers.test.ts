import { handler as createHandler } from "../../../triggers/create-auth-challenge";
import { handler as verifyHandler } from "../../../triggers/verify-auth-challenge-response";
import { PROOF_SECRET, createEvent, verifyEvent } from "./events";

// Importing the modules above without any trigger variables set must not throw (the emulator imports them).

afterEach(() => {
  vi.unstubAllEnvs();
});

const noContext = [{} as never, () => undefined] as const;

describe("Lambda entry points", () => {
  it("verify: rejects with the configuration problem when the environment lacks the secret, then recovers once it is set", async () => {
    vi.stubEnv("PASSKEY_PROOF_SECRET", undefined);
    vi.stubEnv("CODE_DELIVERY", "emulator");
    const event = () =>
      verifyEvent({ privateChallengeParameters: { step: "PROVIDE_AUTH_PARAMETERS" }, challengeAnswer: "PROVIDE", clientMetadata: { signInMethod: "OTP" } });
    await expect(verifyHandler(event(), ...noContext)).rejects.toThrow(/PASSKEY_PROOF_SECRET: is required/);
    vi.stubEnv("PASSKEY_PROOF_SECRET", PROOF_SECRET);
    expect((await verifyHandler(event(), ...noContext))?.response.answerCorrect).toBe(true);
  });

  it("create: builds the AWS delivery from the environment and issues the PROVIDE round without sending", async () => {
    vi.stubEnv("PASSKEY_PROOF_SECRET", PROOF_SECRET);
    vi.stubEnv("SES_FROM_ADDRESS", "no-reply@tobira.example");
    vi.stubEnv("AWS_REGION", "us-east-1");
    const result = await createHandler(createEvent(), ...noContext);
    expect(result?.response.challengeMetadata).toMatch(/^PROVIDE_AUTH_PARAMETERS:[\w-]{22}$/);
  });
});
