import * as oidc from "openid-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestStack } from "../support/stack";
import { codeFlow, newUser, newUserWithAttributes, startOidcStack } from "./support";

/**
 * The profile and phone scopes (OpenID Connect Core §5.4) release Cognito's standard attributes;
 * discovery's `claims_supported` names exactly what some scope releases.
 */

let stack: TestStack;
let metadata: Record<string, unknown>;

beforeAll(async () => {
  stack = await startOidcStack();
  metadata = (await (await fetch(`${stack.bffUrl}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
});

afterAll(async () => {
  await stack?.close();
});

const profileAttributes = {
  name: "Ada Lovelace",
  given_name: "Ada",
  family_name: "Lovelace",
  nickname: "true",
  locale: "en-GB",
  zoneinfo: "Europe/London",
  website: "https://ada.example.com",
  phone_number: "+15555550100",
  updated_at: "1700000000",
};

describe("discovery", () => {
  it("announces the profile and phone scopes", () => {
    expect(metadata.scopes_supported).toEqual(expect.arrayContaining(["openid", "email", "profile", "phone", "offline_access"]));
  });

  it("lists the claims the scopes release, and none Cognito cannot back (address)", () => {
    const claims = metadata.claims_supported as string[];
    expect(claims).toEqual(
      expect.arrayContaining(["sub", "email", "email_verified", "name", "given_name", "family_name", "locale", "updated_at", "phone_number", "phone_number_verified"]),
    );
    expect(claims).not.toContain("address");
  });
});

describe("the profile and phone scopes", () => {
  it("release Cognito's standard attributes in /userinfo and the ID token, typed as OIDC says", async () => {
    const user = await newUserWithAttributes(stack, profileAttributes);
    const { tokens, config } = await codeFlow(stack, stack.client(), user, { params: { scope: "openid profile phone" } });
    const idClaims = tokens.claims()!;
    const userInfo = await oidc.fetchUserInfo(config, tokens.access_token, idClaims.sub);
    for (const claims of [idClaims, userInfo] as Record<string, unknown>[]) {
      expect(claims).toMatchObject({ name: "Ada Lovelace", given_name: "Ada", family_name: "Lovelace", nickname: "true", locale: "en-GB", phone_number: "+15555550100" });
      expect(claims.phone_number_verified).toBe(false);
      expect(claims.email).toBeUndefined();
    }
    expect(userInfo.updated_at).toBe(1700000000);
  });

  it("are released only when granted: openid email gets no profile or phone claims", async () => {
    const user = await newUserWithAttributes(stack, profileAttributes);
    const { tokens, config } = await codeFlow(stack, stack.client(), user, { params: { scope: "openid email" } });
    const userInfo = await oidc.fetchUserInfo(config, tokens.access_token, tokens.claims()!.sub);
    expect(userInfo.email).toBe(user.email);
    for (const name of ["name", "given_name", "locale", "phone_number", "phone_number_verified"]) expect(userInfo[name]).toBeUndefined();
  });

  it("are granted to a user with none of these attributes, who simply has fewer claims", async () => {
    const user = await newUser(stack);
    const { tokens } = await codeFlow(stack, stack.client(), user, { params: { scope: "openid profile phone" } });
    expect(tokens.scope?.split(" ").sort()).toEqual(["openid", "phone", "profile"]);
    expect(tokens.claims()!.name).toBeUndefined();
  });
});
