import type { ALBEvent } from "aws-lambda";
import { createAlbLogoutHandler } from "../../../triggers/alb-logout";
import type { AlbLogoutConfig } from "../../../triggers/alb-logout-config";

/** How the ALB logout Lambda reads the request: header names in any case, absent lists, the chain's step, the path it returns to. */

const config: AlbLogoutConfig = {
  appLogoutUrl: "https://app.example.com/signed-out",
  clientId: "1example23456789",
  domainPrefix: "tobira-prod",
  region: "ap-northeast-1",
  sessionCookieName: "AWSELBAuthSessionCookie",
};
const COGNITO_LOGOUT =
  "https://tobira-prod.auth.ap-northeast-1.amazoncognito.com/logout?client_id=1example23456789&logout_uri=https%3A%2F%2Fapp.example.com%2Fsigned-out";
const logout = createAlbLogoutHandler(config);
const requestContext = { elb: { targetGroupArn: "arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:targetgroup/logout/6d0ecf831eec9f09" } };
const base = { requestContext, httpMethod: "GET", body: "", isBase64Encoded: false };
const shardName = (header: string | undefined) => header?.slice(0, header.indexOf("="));

function singleValue(headers: ALBEvent["headers"], query: Record<string, string> = {}, path = "/cognito/logout"): ALBEvent {
  return { ...base, path, queryStringParameters: query, ...(headers === undefined ? {} : { headers }) };
}

describe("ALB logout Lambda: reading the request's cookies", () => {
  it("finds the Cookie header whatever the case of its name (multi-value)", async () => {
    const result = await logout({ ...base, path: "/cognito/logout", multiValueHeaders: { Cookie: ["AWSELBAuthSessionCookie-4=x"] } });
    expect(result.multiValueHeaders?.["Set-Cookie"]?.map((value) => shardName(String(value)))).toEqual([
      "AWSELBAuthSessionCookie-0",
      "AWSELBAuthSessionCookie-1",
      "AWSELBAuthSessionCookie-4",
    ]);
  });

  it("finds the Cookie header whatever the case of its name (single-value)", async () => {
    const result = await logout(singleValue({ COOKIE: "AWSELBAuthSessionCookie-3=x" }, { shard: "2" }));
    expect(result.headers?.Location).toBe("/cognito/logout?shard=3");
  });

  it("ignores other headers and a header without values", async () => {
    const result = await logout({
      ...base,
      path: "/cognito/logout",
      multiValueHeaders: { "x-cookie": ["AWSELBAuthSessionCookie-5=x"], cookie: undefined as unknown as string[] },
    });
    expect(result.multiValueHeaders?.["Set-Cookie"]).toHaveLength(2);
    const single = await logout(singleValue({ "set-cookie": "AWSELBAuthSessionCookie-5=x", cookie: undefined as unknown as string }, { shard: "1" }));
    expect(single.headers?.Location).toBe(COGNITO_LOGOUT);
  });

  it("answers an event without any headers by expiring -0 and walking to -1", async () => {
    const result = await logout(singleValue(undefined));
    expect(result.headers?.Location).toBe("/cognito/logout?shard=1");
    expect(shardName(String(result.headers?.["Set-Cookie"]))).toBe("AWSELBAuthSessionCookie-0");
  });

  it("joins several single-value Cookie fields so shards in each are found", async () => {
    const result = await logout(singleValue({ cookie: "AWSELBAuthSessionCookie-2=x", Cookie: "AWSELBAuthSessionCookie-3=y" }, { shard: "2" }));
    expect(result.headers?.Location).toBe("/cognito/logout?shard=3");
  });
});

describe("ALB logout Lambda: the chain's shard parameter", () => {
  const manyShards = Array.from({ length: 16 }, (_, index) => `AWSELBAuthSessionCookie-${index}=x`).join("; ");
  it.each([
    ["0", 0],
    ["9", 9],
    ["10", 10],
    ["15", 15],
    ["16", 0],
    ["99", 0],
    ["100", 0],
    ["00", 0],
    ["07", 0],
    ["-1", 0],
    [" 3", 0],
    ["3 ", 0],
  ])("shard=%j expires shard %i", async (raw, expected) => {
    const result = await logout(singleValue({ cookie: manyShards }, { shard: raw }));
    expect(shardName(String(result.headers?.["Set-Cookie"]))).toBe(`AWSELBAuthSessionCookie-${expected}`);
  });

  it("starts at shard 0 when the event carries no query parameters at all", async () => {
    const result = await logout({ ...base, path: "/cognito/logout", headers: {} });
    expect(result.headers?.Location).toBe("/cognito/logout?shard=1");
    expect(shardName(String(result.headers?.["Set-Cookie"]))).toBe("AWSELBAuthSessionCookie-0");
  });

  it("redirects to the next shard up to the last one shown, then to Cognito", async () => {
    const shown = "AWSELBAuthSessionCookie-0=a; AWSELBAuthSessionCookie-1=b; AWSELBAuthSessionCookie-2=c";
    expect((await logout(singleValue({ cookie: shown }, { shard: "1" }))).headers?.Location).toBe("/cognito/logout?shard=2");
    expect((await logout(singleValue({ cookie: shown }, { shard: "2" }))).headers?.Location).toBe(COGNITO_LOGOUT);
  });
});

describe("ALB logout Lambda: the path it redirects back to", () => {
  it.each(["/cognito/logout", "/a-b_c.d~e/!$&'()*+,;=:@%20/x", "/"])("returns to the same-origin path %s", async (path) => {
    expect((await logout(singleValue({}, {}, path))).headers?.Location).toBe(`${path}?shard=1`);
  });

  it.each(["//evil.example/x", "/\\evil.example/x", "https://evil.example/x", "x/cognito/logout", "/cognito/logout?x=1", "/cognito logout", "/cognito/logout\n"])(
    "goes straight to Cognito instead of returning to %j",
    async (path) => {
      expect((await logout(singleValue({}, {}, path))).headers?.Location).toBe(COGNITO_LOGOUT);
    },
  );
});

describe("ALB logout Lambda: the Cognito domain", () => {
  it("sends the browser to a replacement Cognito base URL when one is configured (the local emulator)", async () => {
    const local = createAlbLogoutHandler({ ...config, cognitoBaseUrl: "http://localhost:9229" });
    expect((await local({ ...base, path: "/cognito/logout", multiValueHeaders: {} })).multiValueHeaders?.Location).toEqual([
      "http://localhost:9229/logout?client_id=1example23456789&logout_uri=https%3A%2F%2Fapp.example.com%2Fsigned-out",
    ]);
  });
});
