import { GlobalSignOutCommand } from "@aws-sdk/client-cognito-identity-provider";
import { createLocalAlbSigner } from "../../../emulator/local/local-alb-signer";
import { passwordSignIn } from "../emulator/support";
import { ALB_ARN, closedPort, startAlbTestStack, uniqueEmail, type AlbTestStack } from "./alb-stack";

/**
 * The BFF in ALB mode over HTTP, with the headers an ALB would send (signed by the local ALB
 * signer, access tokens from the emulator's managed login): what it accepts, what it refuses and
 * how it logs out.
 */

let stack: AlbTestStack;
let email: string;
let sub: string;

beforeAll(async () => {
  stack = await startAlbTestStack();
  email = uniqueEmail();
  sub = await stack.signUpConfirmed(email);
});
afterAll(async () => {
  await stack?.close();
});

function get(path: string, headers: Record<string, string> = {}, base = stack.bff.url) {
  return fetch(`${base}${path}`, { headers: { accept: "application/json", ...headers }, redirect: "manual" });
}

async function expectRefusal(response: Response, status: number, code: string, message?: RegExp): Promise<void> {
  expect(response.status).toBe(status);
  const body = (await response.json()) as { error: { code: string; message: string } };
  expect(body.error.code).toBe(code);
  if (message !== undefined) expect(body.error.message).toMatch(message);
  expect(JSON.stringify(body)).not.toMatch(/eyJ|\s{2}at |Error:/);
}

const LOCAL_LOGOUT_URI = "http://localhost:8080/";
const expired = (index: number) => `AWSELBAuthSessionCookie-${index}=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/; HttpOnly; Secure`;

describe("ALB mode: verified headers", () => {
  it("answers GET /api/session from good headers", async () => {
    const response = await get("/api/session", await stack.albHeaders(email));
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toEqual({ authenticated: true, user: { sub, email, username: sub }, amr: ["pwd"], authTime: expect.any(Number) });
  });

  it("answers GET /api/account/claims with the verified claims, the access-token claims and the hosted user info", async () => {
    const response = await get("/api/account/claims", await stack.albHeaders(email));
    expect(response.status).toBe(200);
    const body = (await response.json()) as { idToken: Record<string, unknown>; accessToken: Record<string, unknown>; userInfo: Record<string, unknown> };
    expect(body.idToken).toMatchObject({ sub, email, email_verified: "true", iss: stack.emulator.issuer, exp: expect.any(Number) });
    expect(body.accessToken).toMatchObject({ sub, token_use: "access", scope: "openid", client_id: stack.albClient.clientId, iss: stack.emulator.issuer });
    expect(body.userInfo).toEqual({ sub, email, email_verified: "true", username: sub });
    expect(JSON.stringify(body)).not.toContain("eyJ");
  });

  it("refuses a request without the ALB headers with 401 unauthenticated", async () => {
    await expectRefusal(await get("/api/session"), 401, "unauthenticated", /headers are missing/);
    await expectRefusal(await get("/api/account/claims"), 401, "unauthenticated");
  });

  it("refuses a tampered x-amzn-oidc-data (claims changed after signing)", async () => {
    const headers = await stack.albHeaders(email);
    const [header, , signature] = headers["x-amzn-oidc-data"]!.split(".");
    const forged = Buffer.from(JSON.stringify({ sub, email: "mallory@example.com", exp: 4102444800, iss: stack.emulator.issuer })).toString("base64url");
    await expectRefusal(await get("/api/account/claims", { ...headers, "x-amzn-oidc-data": `${header}.${forged}.${signature}` }), 401, "unauthenticated", /signature/);
  });

  it("refuses a token signed for another load balancer", async () => {
    const otherArn = "arn:aws:elasticloadbalancing:us-east-1:999999999999:loadbalancer/app/someone-else/0123456789abcdef";
    await expectRefusal(await get("/api/session", await stack.albHeaders(email, { signer: otherArn })), 401, "unauthenticated", /expected load balancer/);
  });

  it("refuses a token issued for another app client", async () => {
    await expectRefusal(await get("/api/session", await stack.albHeaders(email, { client: "someotherclient000000000" })), 401, "unauthenticated", /another app client/);
  });

  it("refuses an expired x-amzn-oidc-data", async () => {
    await expectRefusal(await get("/api/session", await stack.albHeaders(email, { exp: Math.floor(Date.now() / 1000) - 60 })), 401, "unauthenticated", /expired/);
  });

  it("refuses a token signed with a key the ALB key endpoint does not publish", async () => {
    const stranger = createLocalAlbSigner({ albArn: ALB_ARN, clientId: stack.albClient.clientId, issuer: stack.emulator.issuer });
    const headers = await stack.albHeaders(email);
    const claims = JSON.parse(Buffer.from(headers["x-amzn-oidc-data"]!.split(".")[1]!, "base64url").toString("utf8")) as { sub: string };
    await expectRefusal(await get("/api/session", { ...headers, "x-amzn-oidc-data": stranger.sign(claims) }), 401, "unauthenticated");
  });

  it("refuses an access token issued to another app client", async () => {
    const headers = await stack.albHeaders(email);
    const apiTokens = await stack.emulator.issueHostedTokens({ username: email, clientId: stack.localConfig.userPool.clients[0]!.clientId, scopes: ["openid"] });
    await expectRefusal(await get("/api/session", { ...headers, "x-amzn-oidc-accesstoken": apiTokens.AccessToken }), 401, "unauthenticated", /another app client/);
  });

  it("answers 503 service_unavailable with a clear message, not 500, when the ALB key endpoint is down", async () => {
    const down = await stack.startBff({ ALB_KEYS_ENDPOINT: `http://127.0.0.1:${await closedPort()}` });
    await expectRefusal(
      await get("/api/session", await stack.albHeaders(email), down.url),
      503,
      "service_unavailable",
      /keys needed to check the sign-in cannot be fetched/,
    );
  });

  it("answers 401 for the claims when the hosted userInfo refuses the token (the user signed out everywhere since)", async () => {
    const leaver = uniqueEmail("leaver");
    await stack.signUpConfirmed(leaver);
    const headers = await stack.albHeaders(leaver);
    const t = { emulator: stack.emulator, cognito: stack.cognito, dataDir: "", stop: async () => undefined };
    const { AccessToken } = await passwordSignIn(t, leaver);
    await stack.cognito.send(new GlobalSignOutCommand({ AccessToken }));
    await expectRefusal(await get("/api/account/claims", headers), 401, "unauthenticated", /no longer valid/);
  });

  it("answers 503 service_unavailable for the claims when the hosted userInfo cannot be reached", async () => {
    const cut = await stack.startBff({ COGNITO_DOMAIN: `http://127.0.0.1:${await closedPort()}` });
    await expectRefusal(await get("/api/account/claims", await stack.albHeaders(email), cut.url), 503, "service_unavailable", /user information/);
  });

  it("never serves the normal BFF's sign-in: those routes are 404 in ALB mode", async () => {
    const response = await fetch(`${stack.bff.url}/api/signin`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    await expectRefusal(response, 404, "not_found");
  });
});

describe("ALB mode: logout", () => {
  it("POST /api/logout expires every AWSELBAuthSessionCookie shard and answers Cognito's /logout URL", async () => {
    const response = await fetch(`${stack.bff.url}/api/logout`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        origin: stack.bff.url,
        cookie: "AWSELBAuthSessionCookie-0=a; theme=dark; AWSELBAuthSessionCookie-1=b; AWSELBAuthSessionCookie-2=c",
      },
      body: "{}",
    });
    expect(response.status).toBe(200);
    expect(response.headers.getSetCookie()).toEqual([expired(0), expired(1), expired(2)]);
    expect(await response.json()).toEqual({
      redirectTo: `${stack.emulator.url}/logout?client_id=${stack.albClient.clientId}&logout_uri=${encodeURIComponent(LOCAL_LOGOUT_URI)}`,
    });
  });

  it("GET /logout does the same as a 302 with the exact Location", async () => {
    const response = await get("/logout", { cookie: "AWSELBAuthSessionCookie-0=a; AWSELBAuthSessionCookie-3=d" });
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe(`${stack.emulator.url}/logout?client_id=tobiraalblocalclient00000&logout_uri=http%3A%2F%2Flocalhost%3A8080%2F`);
    expect(response.headers.getSetCookie()).toEqual([expired(0), expired(1), expired(3)]);
    expect(response.headers.get("cache-control")).toBe("no-store");
  });

  it("refuses a cross-site POST /api/logout and expires nothing", async () => {
    const response = await fetch(`${stack.bff.url}/api/logout`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: "https://evil.example", cookie: "AWSELBAuthSessionCookie-0=a" },
      body: "{}",
    });
    await expectRefusal(response, 403, "cross_site_request");
    expect(response.headers.getSetCookie()).toEqual([]);
  });

  it("the emulator's /logout redirects to the ALB client's registered sign-out URL", async () => {
    const response = await fetch(`${stack.emulator.url}/logout?client_id=${stack.albClient.clientId}&logout_uri=${encodeURIComponent(LOCAL_LOGOUT_URI)}`, {
      redirect: "manual",
    });
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe(LOCAL_LOGOUT_URI);
  });

  it("the emulator's /logout refuses a logout_uri the ALB client has not registered", async () => {
    const response = await fetch(`${stack.emulator.url}/logout?client_id=${stack.albClient.clientId}&logout_uri=${encodeURIComponent("https://evil.example/")}`, {
      redirect: "manual",
    });
    expect(response.status).toBe(400);
    expect(response.headers.get("location")).toBeNull();
    expect(await response.text()).toContain("redirect_mismatch");
  });
});
