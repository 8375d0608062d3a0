import { once } from "node:events";
import { createServer, type AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startRelyingParty, type RunningRelyingParty } from "../../../examples/relying-party/relying-party";
import { authorizeInBrowser, newUser, type TestUser } from "../../conformance/support";
import { startTestStack, type TestStack } from "../../support/stack";

/**
 * The demo app with an API of its own registered at Tobira (README, "Register an API"): it signs
 * the person in, gets an access token for its API with a refresh naming the API, and its API
 * checks that JWT on its own against Tobira's keys.
 */

const clientId = "demo-app-with-api";
const clientSecret = "demo-app-with-api-secret-000000000000";
let stack: TestStack;
let rp: RunningRelyingParty;
let user: TestUser;

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

beforeAll(async () => {
  const port = await freePort();
  const rpUrl = `http://localhost:${port}`;
  const api = { audience: `${rpUrl}/api`, scope: "notes:read" };
  stack = await startTestStack({
    configure: (config) => ({
      ...config,
      oidc: {
        ...config.oidc,
        clients: [
          ...config.oidc.clients,
          { clientId, clientSecret, name: "Demo app with an API", redirectUris: [`${rpUrl}/callback`], postLogoutRedirectUris: [`${rpUrl}/`], firstParty: true },
        ],
        resourceServers: [
          ...config.oidc.resourceServers,
          {
            clientId: "demo-app-notes-api",
            clientSecret: "demo-app-notes-api-secret-0000000000",
            name: "Notes API",
            audience: api.audience,
            scopes: [api.scope],
            accessTokenFormat: "jwt",
          },
        ],
      },
    }),
  });
  rp = await startRelyingParty({ issuerUrl: stack.bffUrl, clientId, clientSecret, port, publicUrl: rpUrl, api });
  user = await newUser(stack);
});

afterAll(async () => {
  await rp?.close();
  await stack?.close();
});

/** The demo app in one browser: its own cookie, redirects read by hand. */
function rpBrowser() {
  let cookie = "";
  return async (path: string, init: RequestInit = {}): Promise<Response> => {
    const response = await fetch(new URL(path, rp.url), { ...init, redirect: "manual", headers: { ...(init.headers as Record<string, string>), cookie } });
    const set = response.headers.get("set-cookie");
    if (set !== null) cookie = set.split(";")[0]!;
    return response;
  };
}

describe("the demo app's own API", () => {
  it("answers the app with the person's sub and the API's scope once the app got a token for it", async () => {
    const app = rpBrowser();
    const login = await app("/login");
    expect(login.status).toBe(303);
    const authorization = new URL(login.headers.get("location")!);
    expect(authorization.searchParams.get("resource")).toBe(`${rp.url}/api`);
    const callback = await authorizeInBrowser(stack, stack.client(), authorization, user);
    expect((await app(`${callback.pathname}${callback.search}`)).status).toBe(303);

    const call = await app("/call-api", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "" });
    expect(call.status).toBe(303);
    const home = await (await app("/")).text();
    expect(home).toContain("Status 200");
    expect(home).toContain("notes:read");
    expect(home).toContain(clientId);
  });

  it("refuses a request without a bearer token, or with one that is not Tobira's JWT for it (401 invalid_token)", async () => {
    for (const authorization of [undefined, "Bearer not-a-token", "Basic abc"]) {
      const response = await fetch(`${rp.url}/api/me`, { headers: authorization === undefined ? {} : { authorization } });
      expect(response.status, authorization).toBe(401);
      expect(response.headers.get("www-authenticate")).toBe('Bearer error="invalid_token"');
    }
  });
});
