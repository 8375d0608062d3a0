import { describe, expect, it } from "vitest";
import { toUserInfo } from "../../../bff/account/account-service";

describe("toUserInfo (GetUser attributes for the account page)", () => {
  it('turns "true"/"false" into booleans and keeps other strings', () => {
    expect(toUserInfo("uuid-1", { sub: "uuid-1", email: "a@example.com", email_verified: "true", phone_number_verified: "false", "custom:tier": "gold" })).toEqual({
      username: "uuid-1",
      sub: "uuid-1",
      email: "a@example.com",
      email_verified: true,
      phone_number_verified: false,
      "custom:tier": "gold",
    });
  });

  it('leaves look-alikes such as "True" or "1" as strings', () => {
    expect(toUserInfo("u", { a: "True", b: "1" })).toEqual({ username: "u", a: "True", b: "1" });
  });
});
