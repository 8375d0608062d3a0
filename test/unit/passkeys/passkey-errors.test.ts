import { describe, expect, it } from "vitest";
import { PasskeyRejectedError, passkeyMessages, unknownCredential } from "../../../bff/passkeys/passkey-errors";

describe("passkey rejections (bff/passkeys/passkey-errors.ts)", () => {
  it("answers 400 passkey_rejected with a sentence a person can act on, and keeps the reason for the logs only", () => {
    const error = new PasskeyRejectedError("signature did not verify");
    expect(error.status).toBe(400);
    expect(error.code).toBe("passkey_rejected");
    expect(error.message).toBe("We couldn't verify your passkey. Try again, or use another way to confirm it's you.");
    expect(error.reason).toBe("signature did not verify");
    expect(Object.keys(error.extra)).toEqual([]);
  });

  it("names its class, so that a logged rejection says what it was", () => {
    expect(new PasskeyRejectedError("x").name).toBe("PasskeyRejectedError");
  });

  it("tells the browser that the credential is unknown, so it can stop offering it", () => {
    const error = unknownCredential("no such credential");
    expect(error).toBeInstanceOf(PasskeyRejectedError);
    expect(error.message).toBe(passkeyMessages.unknownCredential);
    expect(error.extra).toStrictEqual({ reason: "unknown_credential" });
    expect(error.reason).toBe("no such credential");
  });
});
