import { createCreateAuthChallengeHandler } from "../../../triggers/create-auth-challenge";
import type { OutgoingMessage } from "../../../triggers/delivery/delivery-port";
import { createEvent, round, testConfig } from "./events";

const randomInt = vi.hoisted(() => vi.fn());
vi.mock("node:crypto", async (importOriginal) => ({ ...(await importOriginal<typeof import("node:crypto")>()), randomInt }));

describe("create-auth-challenge code generation", () => {
  it("draws the code with crypto.randomInt over [0, 1 000 000) and zero-pads it to 6 digits", async () => {
    randomInt.mockReturnValue(42);
    const sent: OutgoingMessage[] = [];
    const create = createCreateAuthChallengeHandler({ config: testConfig, delivery: { send: async (m) => void sent.push(m) } });
    const { response } = await create(createEvent({ session: [round("PROVIDE_AUTH_PARAMETERS", true)], clientMetadata: { signInMethod: "OTP" } }));
    expect(randomInt).toHaveBeenCalledWith(0, 1_000_000);
    expect(response.privateChallengeParameters.code).toBeUndefined();
    expect(sent[0]!.code).toBe("000042");
  });
});
