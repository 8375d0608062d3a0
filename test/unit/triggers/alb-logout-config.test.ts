import { loadAlbLogoutConfig } from "../../../triggers/alb-logout-config";

/** APP_LOGOUT_URL as Cognito accepts sign-out URLs: https, http only for localhost, no fragment (RFC 6749 §3.1.2). */

const env = { COGNITO_USER_POOL_DOMAIN_PREFIX: "tobira-auth", COGNITO_CLIENT_ID: "abc123client", AWS_REGION: "eu-west-1" };

describe("the ALB logout Lambda's APP_LOGOUT_URL", () => {
  it.each(["http://localhost:3000/out", "http://127.0.0.1:3000/out", "http://[::1]:3000/out"])("accepts plain http for the local host %s", (url) => {
    expect(loadAlbLogoutConfig({ ...env, APP_LOGOUT_URL: url }).appLogoutUrl).toBe(url);
  });

  it("refuses a sign-out URL with a fragment", () => {
    expect(() => loadAlbLogoutConfig({ ...env, APP_LOGOUT_URL: "https://app.example.com/out#frag" })).toThrow(
      /APP_LOGOUT_URL: must be https \(http only for localhost\) and carry no fragment/,
    );
  });

  it("says a URL of another scheme must be an http(s) URL", () => {
    expect(() => loadAlbLogoutConfig({ ...env, APP_LOGOUT_URL: "ftp://app.example.com/out" })).toThrow(/APP_LOGOUT_URL: must be an http\(s\) URL/);
  });

  it("names a value that is no URL at all as the one configuration error, not a bare TypeError nor a second complaint about its scheme", () => {
    expect(() => loadAlbLogoutConfig({ ...env, APP_LOGOUT_URL: "not a url" })).toThrow(
      /^Invalid ALB logout configuration:\n\s+- APP_LOGOUT_URL: must be an http\(s\) URL$/,
    );
  });

  it("refuses plain http for a host other than the local one", () => {
    expect(() => loadAlbLogoutConfig({ ...env, APP_LOGOUT_URL: "http://app.example.com/out" })).toThrow(/must be https \(http only for localhost\)/);
  });
});

const withUrl = { ...env, APP_LOGOUT_URL: "https://app.example.com/out" };

describe("the ALB logout Lambda's APP_LOGOUT_URL scheme", () => {
  it.each(["xhttp://localhost:3000/out", "httpx://localhost:3000/out"])("refuses %s, whose scheme only contains http", (url) => {
    expect(() => loadAlbLogoutConfig({ ...env, APP_LOGOUT_URL: url })).toThrow(/APP_LOGOUT_URL: must be an http\(s\) URL/);
  });
});

describe("the ALB logout Lambda's COGNITO_USER_POOL_DOMAIN_PREFIX", () => {
  it.each(["a", "tobira-prod", "a".repeat(63)])("accepts the Cognito domain prefix %s", (prefix) => {
    expect(loadAlbLogoutConfig({ ...withUrl, COGNITO_USER_POOL_DOMAIN_PREFIX: prefix }).domainPrefix).toBe(prefix);
  });

  it.each(["-tobira", "tobira-", "a".repeat(64), "!tobira", "tobira!", "tobira_prod"])("refuses %s", (prefix) => {
    expect(() => loadAlbLogoutConfig({ ...withUrl, COGNITO_USER_POOL_DOMAIN_PREFIX: prefix })).toThrow(
      /^Invalid ALB logout configuration:\n {2}- COGNITO_USER_POOL_DOMAIN_PREFIX: is not a Cognito domain prefix \(lowercase letters, digits, hyphens\)$/,
    );
  });
});

describe("the ALB logout Lambda's COGNITO_CLIENT_ID", () => {
  it.each(["a", "abc+def_123", "a".repeat(128)])("accepts the app client id %s", (clientId) => {
    expect(loadAlbLogoutConfig({ ...withUrl, COGNITO_CLIENT_ID: clientId }).clientId).toBe(clientId);
  });

  it.each(["a".repeat(129), "abc-def", "abc def", "!abc", "abc!"])("refuses %s", (clientId) => {
    expect(() => loadAlbLogoutConfig({ ...withUrl, COGNITO_CLIENT_ID: clientId })).toThrow(
      /^Invalid ALB logout configuration:\n {2}- COGNITO_CLIENT_ID: is not an app client id$/,
    );
  });
});

describe("the ALB logout Lambda's AWS_REGION", () => {
  it.each(["eu-west-1", "us-gov-west-1", "eusc-de-east-1", "ap-southeast-10"])("accepts the region %s", (region) => {
    expect(loadAlbLogoutConfig({ ...withUrl, AWS_REGION: region }).region).toBe(region);
  });

  it.each(["e-west-1", "europe-west-1", "eu-1", "eu-west-123", "eu-west-a", "eu-west-", "EU-west-1", "xeu_west-1", "eu-west-1x", "eu-west1"])("refuses %s", (region) => {
    expect(() => loadAlbLogoutConfig({ ...withUrl, AWS_REGION: region })).toThrow(/^Invalid ALB logout configuration:\n {2}- AWS_REGION: is not an AWS region$/);
  });
});

describe("the ALB logout Lambda's ALB_SESSION_COOKIE_NAME", () => {
  it.each(["a", "AWSELBAuthSessionCookie", "app-session", "!#$%&'*+-.^_`|~09AZaz"])("accepts the cookie name %s", (name) => {
    expect(loadAlbLogoutConfig({ ...withUrl, ALB_SESSION_COOKIE_NAME: name }).sessionCookieName).toBe(name);
  });

  it.each(["app session", "app;session", "=session", "session=", "séance"])("refuses %s", (name) => {
    expect(() => loadAlbLogoutConfig({ ...withUrl, ALB_SESSION_COOKIE_NAME: name })).toThrow(
      /^Invalid ALB logout configuration:\n {2}- ALB_SESSION_COOKIE_NAME: is not a cookie name$/,
    );
  });
});
