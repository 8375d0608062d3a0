import { getDiffieHellman, randomBytes } from "node:crypto";
import { signSrpSession } from "cognito-srp-helper";
import { describe, expect, it } from "vitest";
import { modPowN, passwordClaim, SrpProtocolError, srpTimestamp, startSrpHandshake } from "../../../bff/cognito/srp-client";

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

  it("refuses an SRP_B or SALT with non-hex characters before or after hex digits", () => {
    for (const bad of ["zz0a", "0azz"]) {
      for (const parameters of [
        { ...serverParameters(), SRP_B: bad },
        { ...serverParameters(), SALT: bad },
      ]) {
        expect(() => passwordClaim({ handshake: startSrpHandshake(), userPoolId: poolId, password, parameters, at })).toThrow(SrpProtocolError);
      }
    }
  });

  it("refuses an SRP_B equal to N, which is zero modulo N", () => {
    const parameters = { ...serverParameters(), SRP_B: getDiffieHellman("modp15").getPrime("hex") };
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

describe("modular exponentiation in the SRP group (OpenSSL, BigInt for the bases it refuses)", () => {
  const N = BigInt(`0x${getDiffieHellman("modp15").getPrime("hex")}`);
  /** Independent reference: square-and-multiply from the most significant bit. */
  function reference(base: bigint, exponent: bigint): bigint {
    let result = 1n;
    for (const bit of exponent.toString(2)) {
      result = (result * result) % N;
      if (bit === "1") result = (result * (base % N)) % N;
    }
    return result;
  }
  const randomBelowN = () => BigInt(`0x${randomBytes(384).toString("hex")}`) % N;
  const randomExponent = (bytes: number) => BigInt(`0x${randomBytes(bytes).toString("hex")}`);

  it("agrees with plain arithmetic for random bases and exponents of a handshake's sizes", () => {
    for (const bytes of [32, 64]) {
      const base = randomBelowN();
      const exponent = randomExponent(bytes);
      expect(modPowN(base, exponent)).toBe(reference(base, exponent));
    }
    const exponent = randomExponent(32);
    expect(modPowN(2n, exponent)).toBe(reference(2n, exponent));
  });

  it("reduces a base of N or more first", () => {
    const exponent = randomExponent(32);
    expect(modPowN(N + 5n, exponent)).toBe(reference(5n, exponent));
  });

  it("answers the bases OpenSSL refuses as a peer's key (0, 1, N - 1) and the ones next to them", () => {
    const odd = randomExponent(32) | 1n;
    expect(modPowN(0n, odd)).toBe(0n);
    expect(modPowN(1n, odd)).toBe(1n);
    expect(modPowN(N, odd)).toBe(0n);
    expect(modPowN(N - 1n, odd)).toBe(N - 1n);
    expect(modPowN(N - 1n, odd + 1n)).toBe(1n);
    expect(modPowN(N - 2n, odd)).toBe(reference(N - 2n, odd));
    expect(modPowN(2n, 5n)).toBe(32n);
  });
});
