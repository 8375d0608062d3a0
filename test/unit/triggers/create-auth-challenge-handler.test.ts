import type { OutgoingMessage } from "../../../triggers/delivery/delivery-port";
import { PROOF_SECRET, createEvent, round } from "./events";

/**
 * The Create Lambda entry point with its AWS delivery replaced by one that never answers, as a
 * stalled SES would (docs/cognito-behaviour.md, "Custom authentication (CUSTOM_AUTH)": Cognito
 * waits 5 seconds for the trigger).
 */

const stalled = vi.hoisted(() => ({ built: 0, sent: [] as OutgoingMessage[] }));
vi.mock("../../../triggers/delivery/aws-delivery", () => ({
  createAwsDelivery: () => {
    stalled.built += 1;
    return { send: (message: OutgoingMessage) => (stalled.sent.push(message), new Promise<void>(() => undefined)) };
  },
}));

const { handler } = await import("../../../triggers/create-auth-challenge");
const noContext = [{} as never, () => undefined] as const;
const otpRound = () => createEvent({ session: [round("PROVIDE_AUTH_PARAMETERS", true)], clientMetadata: { signInMethod: "OTP" } });

afterEach(() => {
  vi.unstubAllEnvs();
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe("create-auth-challenge Lambda entry point", () => {
  it("answers the round when the delivery outlives its budget, and warns the operator without the code or the address", async () => {
    vi.stubEnv("PASSKEY_PROOF_SECRET", PROOF_SECRET);
    vi.stubEnv("SES_FROM_ADDRESS", "no-reply@tobira.example");
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const answered = handler(otpRound(), ...noContext);
    await vi.advanceTimersByTimeAsync(3000);
    const result = await answered;
    expect(result?.response.publicChallengeParameters.step).toBe("OTP");
    expect(warn).toHaveBeenCalledTimes(1);
    const warning = String(warn.mock.calls[0]![0]);
    expect(warning).toMatch(/delivery outlived its budget/);
    expect(warning).not.toContain(stalled.sent[0]!.code);
    expect(warning).not.toContain("jane.doe");
  });

  it("builds its configuration and delivery once, on the first invocation", async () => {
    vi.stubEnv("PASSKEY_PROOF_SECRET", PROOF_SECRET);
    await handler(createEvent(), ...noContext);
    const built = stalled.built;
    vi.stubEnv("PASSKEY_PROOF_SECRET", undefined);
    const result = await handler(createEvent(), ...noContext);
    expect(result?.response.privateChallengeParameters.step).toBe("PROVIDE_AUTH_PARAMETERS");
    expect(stalled.built).toBe(built);
  });
});
