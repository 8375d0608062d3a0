import { describe, expect, it } from "vitest";
import { describeAmr } from "../../web/features/account/utils/claims";

/** How the account page words RFC 8176 `amr`: a built-in authenticator is not a "hardware key". */
describe("sign-in methods in words", () => {
  it("calls hwk a device-bound passkey and swk a synced passkey, never a hardware or software key", () => {
    expect(describeAmr(["pwd", "hwk", "user", "mfa"])).toBe("Password and device-bound passkey");
    expect(describeAmr(["swk", "user"])).toBe("Synced passkey");
    expect(describeAmr(["hwk", "user"])).not.toMatch(/hardware|software/i);
  });

  it("keeps password and one-time code", () => {
    expect(describeAmr(["pwd", "otp", "mfa"])).toBe("Password and one-time code");
  });
});
