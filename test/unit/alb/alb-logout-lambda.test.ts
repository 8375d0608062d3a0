import type { ALBEvent, ALBResult } from "aws-lambda";
import { createAlbLogoutHandler, handler } from "../../../triggers/alb-logout";
import { loadAlbLogoutConfig } from "../../../triggers/alb-logout-config";

const env = {
  APP_LOGOUT_URL: "https://app.example.com/signed-out",
  COGNITO_USER_POOL_DOMAIN_PREFIX: "tobira-prod",
  COGNITO_CLIENT_ID: "1example23456789",
  AWS_REGION: "ap-northeast-1",
};
const COGNITO_LOGOUT =
  "https://tobira-prod.auth.ap-northeast-1.amazoncognito.com/logout?client_id=1example23456789&logout_uri=https%3A%2F%2Fapp.example.com%2Fsigned-out";
const expired = (index: number) => `AWSELBAuthSessionCookie-${index}=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/; HttpOnly; Secure`;

const requestContext = { elb: { targetGroupArn: "arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:targetgroup/logout/6d0ecf831eec9f09" } };

/** An event from a target group with multi-value headers enabled. */
function multiValueEvent(cookies: string[]): ALBEvent {
  return {
    requestContext,
    httpMethod: "GET",
    path: "/cognito/logout",
    multiValueQueryStringParameters: {},
    multiValueHeaders: { host: ["app.example.com"], ...(cookies.length > 0 ? { cookie: cookies } : {}) },
    body: "",
    isBase64Encoded: false,
  };
}

/** An event from a target group in the default (single-value) format. */
function singleValueEvent(cookie: string | undefined, query: Record<string, string> = {}, path = "/cognito/logout"): ALBEvent {
  return {
    requestContext,
    httpMethod: "GET",
    path,
    queryStringParameters: query,
    headers: { host: "app.example.com", ...(cookie === undefined ? {} : { cookie }) },
    body: "",
    isBase64Encoded: false,
  };
}

const logout = createAlbLogoutHandler(loadAlbLogoutConfig(env));

describe("ALB logout Lambda: multi-value headers enabled", () => {
  it("answers one 302 to Cognito's /logout that expires every shard as separate Set-Cookie values", async () => {
    const result = await logout(multiValueEvent(["AWSELBAuthSessionCookie-0=a; AWSELBAuthSessionCookie-1=b; AWSELBAuthSessionCookie-2=c"]));
    expect(result).toEqual({
      statusCode: 302,
      statusDescription: "302 Found",
      isBase64Encoded: false,
      body: "",
      multiValueHeaders: {
        Location: [COGNITO_LOGOUT],
        "Set-Cookie": [expired(0), expired(1), expired(2)],
        "Cache-Control": ["no-store"],
      },
    } satisfies ALBResult);
    expect(result).not.toHaveProperty("headers");
  });

  it("reads shards from every Cookie field of the request", async () => {
    const result = await logout(multiValueEvent(["AWSELBAuthSessionCookie-0=a", "theme=dark; AWSELBAuthSessionCookie-3=d"]));
    expect(result.multiValueHeaders?.["Set-Cookie"]).toEqual([expired(0), expired(1), expired(3)]);
  });

  it("still expires -0 and -1 when the request shows no cookies", async () => {
    const result = await logout(multiValueEvent([]));
    expect(result.multiValueHeaders?.["Set-Cookie"]).toEqual([expired(0), expired(1)]);
    expect(result.multiValueHeaders?.Location).toEqual([COGNITO_LOGOUT]);
  });
});

describe("ALB logout Lambda: default single-value headers", () => {
  const shards = "AWSELBAuthSessionCookie-0=a; AWSELBAuthSessionCookie-1=b; AWSELBAuthSessionCookie-2=c";

  it("expires the first shard and redirects back to itself for the next one, with string headers only", async () => {
    const result = await logout(singleValueEvent(shards));
    expect(result).toEqual({
      statusCode: 302,
      statusDescription: "302 Found",
      isBase64Encoded: false,
      body: "",
      headers: { Location: "/cognito/logout?shard=1", "Set-Cookie": expired(0), "Cache-Control": "no-store" },
    } satisfies ALBResult);
    expect(result).not.toHaveProperty("multiValueHeaders");
  });

  it("goes to Cognito's /logout once the last shard the browser showed is expired", async () => {
    const result = await logout(singleValueEvent("AWSELBAuthSessionCookie-2=c", { shard: "2" }));
    expect(result.headers).toEqual({ Location: COGNITO_LOGOUT, "Set-Cookie": expired(2), "Cache-Control": "no-store" });
  });

  it("walks -0 and -1 even when the request shows no cookies", async () => {
    expect((await logout(singleValueEvent(undefined))).headers).toMatchObject({ Location: "/cognito/logout?shard=1", "Set-Cookie": expired(0) });
    expect((await logout(singleValueEvent(undefined, { shard: "1" }))).headers).toMatchObject({ Location: COGNITO_LOGOUT, "Set-Cookie": expired(1) });
  });

  it("leaves a browser with no shard after following the chain, then lands on Cognito", async () => {
    const jar = new Map([
      ["theme", "dark"],
      ["AWSELBAuthSessionCookie-0", "a"],
      ["AWSELBAuthSessionCookie-1", "b"],
      ["AWSELBAuthSessionCookie-2", "c"],
    ]);
    let query: Record<string, string> = {};
    const seen: string[] = [];
    for (let hop = 0; hop < 20; hop++) {
      const cookie = [...jar].map(([name, value]) => `${name}=${value}`).join("; ");
      const { headers } = await logout(singleValueEvent(cookie, query));
      const setCookie = String(headers?.["Set-Cookie"]);
      expect(setCookie).toMatch(/Max-Age=0; Path=\/; HttpOnly; Secure$/);
      jar.delete(setCookie.slice(0, setCookie.indexOf("=")));
      const location = String(headers?.Location);
      seen.push(location);
      if (!location.startsWith("/cognito/logout?")) break;
      query = Object.fromEntries(new URL(location, "https://app.example.com").searchParams);
    }
    expect(seen).toEqual(["/cognito/logout?shard=1", "/cognito/logout?shard=2", COGNITO_LOGOUT]);
    expect([...jar.keys()]).toEqual(["theme"]);
  });

  it("never redirects to another site through a path such as //evil.example", async () => {
    const result = await logout(singleValueEvent(shards, {}, "//evil.example/x"));
    expect(result.headers?.Location).toBe(COGNITO_LOGOUT);
  });

  it("restarts at shard 0 when the shard parameter is not a small number", async () => {
    const result = await logout(singleValueEvent(shards, { shard: "1e3" }));
    expect(result.headers).toMatchObject({ Location: "/cognito/logout?shard=1", "Set-Cookie": expired(0) });
  });
});

describe("ALB logout configuration", () => {
  it("reads its four variables, defaulting the session cookie name", () => {
    expect(loadAlbLogoutConfig(env)).toEqual({
      appLogoutUrl: "https://app.example.com/signed-out",
      clientId: "1example23456789",
      domainPrefix: "tobira-prod",
      region: "ap-northeast-1",
      sessionCookieName: "AWSELBAuthSessionCookie",
    });
  });

  it("follows ALB_SESSION_COOKIE_NAME when the action renames the cookie", async () => {
    const renamed = createAlbLogoutHandler(loadAlbLogoutConfig({ ...env, ALB_SESSION_COOKIE_NAME: "app-session" }));
    const result = await renamed(multiValueEvent(["app-session-0=a; app-session-2=b"]));
    expect(result.multiValueHeaders?.["Set-Cookie"]).toEqual(
      ["app-session-0", "app-session-1", "app-session-2"].map((name) => expect.stringMatching(new RegExp(`^${name}=;`))),
    );
  });

  it("lists every missing variable in one error", () => {
    expect(() => loadAlbLogoutConfig({})).toThrow(
      /APP_LOGOUT_URL: is required[\s\S]*COGNITO_USER_POOL_DOMAIN_PREFIX: is required[\s\S]*COGNITO_CLIENT_ID: is required[\s\S]*AWS_REGION: is required/,
    );
  });

  it("refuses a plain-http sign-out URL other than localhost", () => {
    expect(() => loadAlbLogoutConfig({ ...env, APP_LOGOUT_URL: "http://app.example.com/" })).toThrow(/APP_LOGOUT_URL: must be https/);
    expect(loadAlbLogoutConfig({ ...env, APP_LOGOUT_URL: "http://localhost:3000/" }).appLogoutUrl).toBe("http://localhost:3000/");
  });

  it("refuses a domain prefix Cognito would not accept", () => {
    expect(() => loadAlbLogoutConfig({ ...env, COGNITO_USER_POOL_DOMAIN_PREFIX: "Tobira_Prod" })).toThrow(
      /COGNITO_USER_POOL_DOMAIN_PREFIX: is not a Cognito domain prefix/,
    );
  });
});

describe("ALB logout Lambda entry point", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it("rejects with the configuration problem while the environment is incomplete, then answers once it is set", async () => {
    for (const name of Object.keys(env)) vi.stubEnv(name, undefined);
    const noContext = [{} as never, () => undefined] as const;
    await expect(handler(multiValueEvent([]), ...noContext)).rejects.toThrow(/Invalid ALB logout configuration/);
    for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
    const result = await handler(multiValueEvent([]), ...noContext);
    expect(result?.multiValueHeaders?.Location).toEqual([COGNITO_LOGOUT]);
  });
});
