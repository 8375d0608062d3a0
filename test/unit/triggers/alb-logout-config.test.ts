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

  it("names a value that is no URL at all as the configuration error, not a bare TypeError", () => {
    expect(() => loadAlbLogoutConfig({ ...env, APP_LOGOUT_URL: "not a url" })).toThrow(
      /Invalid ALB logout configuration:\n\s+- APP_LOGOUT_URL: must be an http\(s\) URL/,
    );
  });

  it("refuses plain http for a host other than the local one", () => {
    expect(() => loadAlbLogoutConfig({ ...env, APP_LOGOUT_URL: "http://app.example.com/out" })).toThrow(/must be https \(http only for localhost\)/);
  });
});
