import { albSessionCookieNames, albSessionShardIndices, cognitoLogoutUrl, expiredAlbCookies } from "../../../common/alb-logout";

describe("albSessionCookieNames", () => {
  it("finds every AWSELBAuthSessionCookie-N shard in the Cookie header, in shard order", () => {
    const header = "theme=dark; AWSELBAuthSessionCookie-2=c; AWSELBAuthSessionCookie-0=a;AWSELBAuthSessionCookie-1=b; AWSELBAuthSessionCookie-3=d";
    expect(albSessionCookieNames(header)).toEqual(["AWSELBAuthSessionCookie-0", "AWSELBAuthSessionCookie-1", "AWSELBAuthSessionCookie-2", "AWSELBAuthSessionCookie-3"]);
  });

  it("always names -0 and -1, even without a Cookie header", () => {
    expect(albSessionCookieNames(undefined)).toEqual(["AWSELBAuthSessionCookie-0", "AWSELBAuthSessionCookie-1"]);
    expect(albSessionCookieNames("AWSELBAuthSessionCookie-4=e")).toEqual(["AWSELBAuthSessionCookie-0", "AWSELBAuthSessionCookie-1", "AWSELBAuthSessionCookie-4"]);
  });

  it("ignores look-alikes: other prefixes, non-canonical indices, names only inside values, pairs without '='", () => {
    const header = "XAWSELBAuthSessionCookie-5=a; AWSELBAuthSessionCookie-06=b; AWSELBAuthSessionCookie-x=c; note=AWSELBAuthSessionCookie-7=d; AWSELBAuthSessionCookie-8";
    expect(albSessionShardIndices(header)).toEqual([]);
  });

  it("caps the shard index, so a crafted header cannot demand hundreds of Set-Cookie lines", () => {
    expect(albSessionShardIndices("AWSELBAuthSessionCookie-15=a; AWSELBAuthSessionCookie-16=b; AWSELBAuthSessionCookie-99=c")).toEqual([15]);
  });

  it("follows a custom SessionCookieName", () => {
    expect(albSessionCookieNames("my-session-2=x; AWSELBAuthSessionCookie-3=y", "my-session")).toEqual(["my-session-0", "my-session-1", "my-session-2"]);
  });
});

describe("expiredAlbCookies", () => {
  it("expires each cookie with an empty value, a past date, Max-Age=0, Path=/, HttpOnly and Secure", () => {
    expect(expiredAlbCookies(["AWSELBAuthSessionCookie-0", "AWSELBAuthSessionCookie-1"])).toEqual([
      "AWSELBAuthSessionCookie-0=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/; HttpOnly; Secure",
      "AWSELBAuthSessionCookie-1=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/; HttpOnly; Secure",
    ]);
  });

  it("refuses a name that would inject attributes or header lines", () => {
    expect(() => expiredAlbCookies(["a=b; Domain=evil.example"])).toThrow(TypeError);
    expect(() => expiredAlbCookies(["a\r\nLocation: https://evil.example"])).toThrow(TypeError);
  });
});

describe("cognitoLogoutUrl", () => {
  it("builds the prefix domain's /logout with client_id and a form-encoded logout_uri", () => {
    expect(
      cognitoLogoutUrl({
        domainPrefix: "tobira-prod",
        region: "ap-northeast-1",
        clientId: "1example23456789",
        logoutUri: "https://app.example.com/signed-out?from=alb&x=a b",
      }),
    ).toBe(
      "https://tobira-prod.auth.ap-northeast-1.amazoncognito.com/logout?client_id=1example23456789&logout_uri=https%3A%2F%2Fapp.example.com%2Fsigned-out%3Ffrom%3Dalb%26x%3Da+b",
    );
  });

  it("uses a custom domain as given", () => {
    expect(cognitoLogoutUrl({ domain: "auth.example.com", clientId: "abc", logoutUri: "https://app.example.com/" })).toBe(
      "https://auth.example.com/logout?client_id=abc&logout_uri=https%3A%2F%2Fapp.example.com%2F",
    );
  });

  it("lets baseUrl override the Cognito domain for the local emulator", () => {
    expect(
      cognitoLogoutUrl({ baseUrl: "http://localhost:9229/", domainPrefix: "tobira-local", region: "us-east-1", clientId: "abc", logoutUri: "http://localhost:3000/" }),
    ).toBe("http://localhost:9229/logout?client_id=abc&logout_uri=http%3A%2F%2Flocalhost%3A3000%2F");
  });

  it.each([
    ["a domain prefix with capitals", { domainPrefix: "Tobira", region: "us-east-1", clientId: "abc", logoutUri: "https://a.example/" }],
    ["a region that is not one", { domainPrefix: "tobira", region: "us-east", clientId: "abc", logoutUri: "https://a.example/" }],
    ["a domain with a scheme", { domain: "https://auth.example.com", clientId: "abc", logoutUri: "https://a.example/" }],
    ["a client id with punctuation", { domainPrefix: "tobira", region: "us-east-1", clientId: "abc&x=1", logoutUri: "https://a.example/" }],
    ["a relative logout URI", { domainPrefix: "tobira", region: "us-east-1", clientId: "abc", logoutUri: "/signed-out" }],
    ["a non-http logout URI", { domainPrefix: "tobira", region: "us-east-1", clientId: "abc", logoutUri: "javascript:alert(1)" }],
    ["a baseUrl with a query", { baseUrl: "http://localhost:9229/?x=1", clientId: "abc", logoutUri: "https://a.example/" }],
  ])("refuses %s", (_label, options) => {
    expect(() => cognitoLogoutUrl(options as Parameters<typeof cognitoLogoutUrl>[0])).toThrow(TypeError);
  });
});
