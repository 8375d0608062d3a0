import { describe, expect, it } from "vitest";
import { passwordClaim, srpTimestamp, startSrpHandshake as startClient } from "../../../bff/cognito/srp-client";
import {
  SRP_PRIME,
  createSrpVerifier,
  formatSrpTimestamp,
  padHex,
  parseSrpA,
  parseSrpTimestamp,
  srpPoolName,
  startSrpHandshake as startServer,
  verifyPasswordClaim,
} from "../../../emulator/srp";

const POOL_ID = "local_Tobira1";
const USER = "5b1c7c0e-8a55-4a29-9d3b-000000000001";

function handshake(password: string, claimedPassword: string, at = new Date(Date.UTC(2024, 8, 3, 7, 5, 9))) {
  const poolName = srpPoolName(POOL_ID);
  const verifier = createSrpVerifier(poolName, USER, password);
  const client = startClient();
  const server = startServer(verifier);
  const secretBlock = Buffer.from("opaque secret block").toString("base64");
  const claim = passwordClaim({
    handshake: client,
    userPoolId: POOL_ID,
    password: claimedPassword,
    parameters: { SALT: verifier.salt, SRP_B: server.B, SECRET_BLOCK: secretBlock, USER_ID_FOR_SRP: USER },
    at,
  });
  const A = parseSrpA(client.srpA)!;
  const valid = verifyPasswordClaim(A, server, verifier, {
    poolName,
    userIdForSrp: USER,
    secretBlock: claim.PASSWORD_CLAIM_SECRET_BLOCK,
    timestamp: claim.TIMESTAMP,
    signature: claim.PASSWORD_CLAIM_SIGNATURE,
  });
  return { valid, claim, A, server, verifier, poolName };
}

describe("Cognito SRP: the BFF's client half against the emulator's server half", () => {
  it("uses the RFC 3526 3072-bit prime", () => {
    expect(SRP_PRIME.toString(16)).toHaveLength(768);
    expect(SRP_PRIME.toString(16).startsWith("ffffffffffffffffc90fdaa22168c234")).toBe(true);
  });

  it("accepts the claim made with the right password", () => {
    expect(handshake("Correct-horse-1", "Correct-horse-1").valid).toBe(true);
  });

  it("refuses the claim made with a wrong password", () => {
    expect(handshake("Correct-horse-1", "Correct-horse-2").valid).toBe(false);
  });

  it("refuses a claim whose timestamp was changed after signing", () => {
    const { claim, A, server, verifier, poolName } = handshake("Correct-horse-1", "Correct-horse-1");
    const altered = { poolName, userIdForSrp: USER, secretBlock: claim.PASSWORD_CLAIM_SECRET_BLOCK, signature: claim.PASSWORD_CLAIM_SIGNATURE };
    expect(verifyPasswordClaim(A, server, verifier, { ...altered, timestamp: "Tue Sep 3 07:05:10 UTC 2024" })).toBe(false);
  });

  it("pads hex as Cognito does: a leading 00 when the first nibble is 8 or more", () => {
    expect(padHex(0x80n)).toBe("0080");
    expect(padHex(0x7fn)).toBe("7f");
    expect(padHex(0xfffn)).toBe("0fff");
  });

  it("refuses an SRP_A that is zero modulo N or not hex", () => {
    expect(parseSrpA("0")).toBeUndefined();
    expect(parseSrpA(SRP_PRIME.toString(16))).toBeUndefined();
    expect(parseSrpA("xyz")).toBeUndefined();
  });

  it("formats and parses TIMESTAMP as 'ddd MMM D HH:mm:ss UTC YYYY'", () => {
    const at = Date.UTC(2024, 8, 3, 7, 5, 9);
    expect(srpTimestamp(new Date(at))).toBe("Tue Sep 3 07:05:09 UTC 2024");
    expect(formatSrpTimestamp(at)).toBe("Tue Sep 3 07:05:09 UTC 2024");
    expect(parseSrpTimestamp("Tue Sep 3 07:05:09 UTC 2024")).toBe(at);
    expect(parseSrpTimestamp("Wed Sep 3 07:05:09 UTC 2024")).toBeUndefined();
    expect(parseSrpTimestamp("Tue Sep 03 07:05:09 UTC 2024")).toBeUndefined();
    expect(parseSrpTimestamp("2024-09-03T07:05:09Z")).toBeUndefined();
  });
});
