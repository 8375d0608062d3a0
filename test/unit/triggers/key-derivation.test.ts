import { createHmac, hkdfSync } from "node:crypto";
import { createCreateAuthChallengeHandler } from "../../../triggers/create-auth-challenge";
import type { OutgoingMessage } from "../../../triggers/delivery/delivery-port";
import { otpCodeMac, otpMacKey, provideRoundMetadata } from "../../../triggers/round-metadata";
import { createEvent, PROOF_SECRET, round, testConfig, USER_NAME } from "./events";

/**
 * The triggers derive one key per purpose from the shared trigger secret (RFC 5869 HKDF-SHA256,
 * salt "tobira", a distinct `info` each): the code MACs of OTP rounds and the per-round codes.
 * These known answers pin each derivation, so that a change of salt or label, which would let
 * two purposes share a key or break the seals of rounds in flight, cannot pass unnoticed.
 */

const hkdf = (info: string) => Buffer.from(hkdfSync("sha256", PROOF_SECRET, "tobira", info, 32));

describe("key derivation in the triggers", () => {
  it("derives the OTP code-MAC key with HKDF-SHA256, salt 'tobira', info 'tobira otp code mac v1'", () => {
    expect(testConfig.passkeyProofSecret).toBe(PROOF_SECRET);
    expect(otpMacKey(PROOF_SECRET).equals(hkdf("tobira otp code mac v1"))).toBe(true);
  });

  it("MACs user, expiry and code together, so a seal moved to another user or expiry no longer matches", () => {
    const key = otpMacKey(PROOF_SECRET);
    const mac = otpCodeMac(key, USER_NAME, 1_750_000_300_000, "314159");
    expect(mac).toBe(createHmac("sha256", hkdf("tobira otp code mac v1")).update(`${USER_NAME}.1750000300000.314159`).digest("base64url"));
    expect(otpCodeMac(key, "another-user", 1_750_000_300_000, "314159")).not.toBe(mac);
    expect(otpCodeMac(key, USER_NAME, 1_750_000_900_000, "314159")).not.toBe(mac);
  });

  it("draws a named attempt's code from its own key (info 'tobira otp round code v1'), not the MAC key", async () => {
    const sent: OutgoingMessage[] = [];
    const create = createCreateAuthChallengeHandler({ config: testConfig, delivery: { send: async (message) => void sent.push(message) } });
    const nonce = "attempt-nonce-0123456789ab";
    await create(createEvent({ session: [round("PROVIDE_AUTH_PARAMETERS", true, provideRoundMetadata(nonce))], clientMetadata: { signInMethod: "OTP" } }));

    const codeFor = (key: Buffer) => {
      const mac = createHmac("sha256", key).update(`${USER_NAME}.${nonce}.1`).digest();
      return String(mac.readBigUInt64BE(0) % 1_000_000n).padStart(6, "0");
    };
    expect(sent[0]!.code).toBe(codeFor(hkdf("tobira otp round code v1")));
    expect(hkdf("tobira otp round code v1").equals(otpMacKey(PROOF_SECRET))).toBe(false);
  });
});
