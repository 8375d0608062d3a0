import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { createAlbModeApp } from "../../../bff/alb/alb-app";
import type { FetchUserInfo } from "../../../bff/alb/hosted-user-info";
import type { AlbRequestVerifier, AlbVerifiedRequest } from "../../../bff/alb/verify-alb-request";
import { loadAlbModeConfig } from "../../../bff/config";
import { createLogger } from "../../../bff/logger";

/**
 * GET /api/account/claims in ALB mode shows the hosted userInfo answer next to the verified
 * tokens: it must describe the same user as the verified headers, or the page would show one
 * user's data under another's sign-in.
 */

const SUB = "5b0e7c1a-7f39-4d6b-9a3c-1e2f3a4b5c6d";

const verified: AlbVerifiedRequest = {
  identity: SUB,
  rawAccessToken: "access-token",
  oidcData: { sub: SUB, email: "ada@example.com", exp: 0, iss: "issuer" } as unknown as AlbVerifiedRequest["oidcData"],
  accessToken: { sub: SUB, token_use: "access", client_id: "client" },
};
const verifier: AlbRequestVerifier = { verify: async () => verified };

let server: Server | undefined;
afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

async function claimsWith(fetchUserInfo: FetchUserInfo): Promise<Response> {
  const config = loadAlbModeConfig({ TOBIRA_MODE: "local", ALB_MODE: "true", COGNITO_ENDPOINT: "http://127.0.0.1:9" });
  const app = createAlbModeApp({ config, verifier, fetchUserInfo, logger: createLogger("silent") });
  server = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server!.once("listening", resolve));
  return fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/api/account/claims`, { headers: { accept: "application/json" } });
}

describe("ALB mode: the account claims", () => {
  it("answers with the user info when its sub is the verified identity", async () => {
    const response = await claimsWith(async () => ({ sub: SUB, email: "ada@example.com" }));
    expect(response.status).toBe(200);
    // The verified tokens' claims next to the userInfo answer.
    expect(await response.json()).toEqual({
      idToken: { sub: SUB, email: "ada@example.com", exp: 0, iss: "issuer" },
      accessToken: { sub: SUB, token_use: "access", client_id: "client" },
      userInfo: { sub: SUB, email: "ada@example.com" },
    });
  });

  it.each([
    ["another user's sub", { sub: "00000000-0000-4000-8000-000000000000", email: "mallory@example.com" }],
    ["no sub", { email: "ada@example.com" }],
  ])("answers 401 unauthenticated, showing nothing, when the user info has %s", async (_what, userInfo) => {
    const response = await claimsWith(async () => userInfo);
    expect(response.status).toBe(401);
    const body = await response.text();
    expect(JSON.parse(body)).toEqual({ error: { code: "unauthenticated", message: "Your sign-in is no longer valid. Sign in again." } });
    expect(body).not.toContain("mallory");
    expect(body).not.toContain("ada@example.com");
  });
});
