import { randomBytes } from "node:crypto";
import { signSrpSession } from "cognito-srp-helper";
import { describe, expect, it } from "vitest";
import { passwordClaim, SrpProtocolError, srpTimestamp, startSrpHandshake } from "../../../bff/cognito/srp-client";

/**
 * The BFF's SRP client (the password inside CUSTOM_AUTH) against cognito-srp-helper, a published
 * client written against real Cognito: given the same secret `a`, server value B, salt and
 * timestamp, both must sign the same PASSWORD_CLAIM_SIGNATURE.
 */

const poolId = "eu-west-1_AbCdEf123";
const userIdForSrp = "0b6f6d1e-4c1a-4f7e-9d51-3a3f2f1e7c20";
const password = "Correct-horse-9";
const at = new Date("2026-03-05T07:08:09Z");

function serverParameters() {
  return {
    SALT: randomBytes(16).toString("hex"),
    SRP_B: randomBytes(384).toString("hex"),
    SECRET_BLOCK: randomBytes(64).toString("base64"),
    USER_ID_FOR_SRP: userIdForSrp,
  };
}

function publicClientSignature(handshake: ReturnType<typeof startSrpHandshake>, parameters: ReturnType<typeof serverParameters>): string {
  const session = {
    username: userIdForSrp,
    poolId,
    poolIdAbbr: poolId.split("_")[1]!,
    password,
    isHashed: false,
    timestamp: srpTimestamp(at),
    smallA: handshake.secret.toString(16),
    largeA: handshake.srpA,
  };
  return signSrpSession(session, { ChallengeParameters: parameters }).passwordSignature;
}

describe("the BFF's SRP password claim", () => {
  it("signs exactly what the public Cognito SRP client signs for the same handshake", () => {
    for (let run = 0; run < 5; run += 1) {
      const handshake = startSrpHandshake();
      const parameters = serverParameters();
      const claim = passwordClaim({ handshake, userPoolId: poolId, password, parameters, at });
      expect(claim.PASSWORD_CLAIM_SIGNATURE).toBe(publicClientSignature(handshake, parameters));
      expect(claim.PASSWORD_CLAIM_SECRET_BLOCK).toBe(parameters.SECRET_BLOCK);
    }
  });

  it("signs something else for another password", () => {
    const handshake = startSrpHandshake();
    const parameters = serverParameters();
    const claim = passwordClaim({ handshake, userPoolId: poolId, password: "Wrong-horse-9", parameters, at });
    expect(claim.PASSWORD_CLAIM_SIGNATURE).not.toBe(publicClientSignature(handshake, parameters));
  });

  it("stamps Cognito's TIMESTAMP: day of month unpadded, time padded, UTC", () => {
    expect(srpTimestamp(at)).toBe("Thu Mar 5 07:08:09 UTC 2026");
    expect(srpTimestamp(new Date("2026-11-30T23:59:01Z"))).toBe("Mon Nov 30 23:59:01 UTC 2026");
  });

  it("refuses an SRP_B that is not hex", () => {
    const parameters = { ...serverParameters(), SRP_B: "zz" };
    expect(() => passwordClaim({ handshake: startSrpHandshake(), userPoolId: poolId, password, parameters, at })).toThrow(SrpProtocolError);
  });

  it("refuses a SALT that is not hex", () => {
    const parameters = { ...serverParameters(), SALT: "not-hex" };
    expect(() => passwordClaim({ handshake: startSrpHandshake(), userPoolId: poolId, password, parameters, at })).toThrow(SrpProtocolError);
  });

  it("refuses an SRP_B that is zero modulo N (RFC 5054 §2.5.4)", () => {
    const parameters = { ...serverParameters(), SRP_B: "0" };
    expect(() => passwordClaim({ handshake: startSrpHandshake(), userPoolId: poolId, password, parameters, at })).toThrow(SrpProtocolError);
  });

  it("makes a fresh secret and SRP_A for every handshake", () => {
    const first = startSrpHandshake();
    const second = startSrpHandshake();
    expect(first.srpA).not.toBe(second.srpA);
    expect(first.srpA).toMatch(/^[0-9a-f]+$/);
  });
});
