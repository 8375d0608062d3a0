import { BffConfigError, loadAlbModeConfig, loadBffConfig, loadBffRuntimeConfig, requiredAlbVariables } from "../../../bff/config";

/** ALB_MODE=true in bff/config/: the local defaults and what AWS needs. */

const ARN = "arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:loadbalancer/app/tobira/50dc6c495c0c9188";
const aws = {
  TOBIRA_MODE: "aws",
  ALB_MODE: "true",
  COGNITO_USER_POOL_ID: "ap-northeast-1_AbCdEf123",
  COGNITO_CLIENT_ID: "1example23456789",
  AWS_REGION: "ap-northeast-1",
  PUBLIC_URL: "https://app.example.com",
  ALB_ARN: ARN,
  COGNITO_DOMAIN: "tobira-prod.auth.ap-northeast-1.amazoncognito.com",
  ALB_LOGOUT_URI: "https://app.example.com/signed-out",
};

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadBffRuntimeConfig(env);
  } catch (error) {
    if (error instanceof BffConfigError) return error.problems;
    throw error;
  }
  throw new Error("the configuration was accepted");
}

describe("ALB mode configuration", () => {
  it("leaves ALB mode off unless ALB_MODE is true", () => {
    const config = loadBffRuntimeConfig({ TOBIRA_MODE: "local" });
    expect(config.kind).toBe("sign-in");
    expect(config).not.toHaveProperty("alb");
  });

  it("selects ALB mode with ALB_MODE=true", () => {
    expect(loadBffRuntimeConfig({ TOBIRA_MODE: "local", ALB_MODE: "true" }).kind).toBe("alb");
  });

  it("refuses ALB_MODE=true where the sign-in configuration is loaded, and the reverse", () => {
    expect(() => loadBffConfig({ TOBIRA_MODE: "local", ALB_MODE: "true" })).toThrow(BffConfigError);
    expect(() => loadAlbModeConfig({ TOBIRA_MODE: "local" })).toThrow(BffConfigError);
  });

  it("defaults locally to the local ALB: the tobira-alb client, its sign-out URL and origin, the emulator as managed login", () => {
    const config = loadAlbModeConfig({ TOBIRA_MODE: "local", ALB_MODE: "true", COGNITO_ENDPOINT: "http://127.0.0.1:9229" });
    expect(config.publicUrl).toBe("http://localhost:8080");
    expect(config.trustedOrigins).toEqual(["http://localhost:8080"]);
    expect(config.alb).toEqual({
      albArn: "arn:aws:elasticloadbalancing:us-east-1:000000000000:loadbalancer/app/tobira-local/0123456789abcdef",
      keysEndpoint: "https://public-keys.auth.elb.us-east-1.amazonaws.com",
      clientId: "tobiraalblocalclient00000",
      hostedUiUrl: "http://127.0.0.1:9229",
      userInfoUrl: "http://127.0.0.1:9229/oauth2/userInfo",
      logoutUri: "http://localhost:8080/",
      logoutUrl: "http://127.0.0.1:9229/logout?client_id=tobiraalblocalclient00000&logout_uri=http%3A%2F%2Flocalhost%3A8080%2F",
      sessionCookieName: "AWSELBAuthSessionCookie",
    });
  });

  it("takes everything from the environment in AWS, with the region's ALB key endpoint by default", () => {
    const config = loadAlbModeConfig(aws);
    expect(config.alb).toEqual({
      albArn: ARN,
      keysEndpoint: "https://public-keys.auth.elb.ap-northeast-1.amazonaws.com",
      clientId: "1example23456789",
      hostedUiUrl: "https://tobira-prod.auth.ap-northeast-1.amazoncognito.com",
      userInfoUrl: "https://tobira-prod.auth.ap-northeast-1.amazoncognito.com/oauth2/userInfo",
      logoutUri: "https://app.example.com/signed-out",
      logoutUrl: "https://tobira-prod.auth.ap-northeast-1.amazoncognito.com/logout?client_id=1example23456789&logout_uri=https%3A%2F%2Fapp.example.com%2Fsigned-out",
      sessionCookieName: "AWSELBAuthSessionCookie",
    });
    expect(config.cognito.issuer).toBe("https://cognito-idp.ap-northeast-1.amazonaws.com/ap-northeast-1_AbCdEf123");
  });

  it("needs no table, cookie keys, client secret or passkey secret in AWS, and has no such settings (no placeholders)", () => {
    const config = loadAlbModeConfig(aws);
    expect(config.cognito).not.toHaveProperty("clientSecret");
    expect(config).not.toHaveProperty("cookie");
    expect(config).not.toHaveProperty("passkeyProofSecret");
    expect(config).not.toHaveProperty("dynamodb");
  });

  it("refuses a plain-http PUBLIC_URL in AWS", () => {
    expect(problemsOf({ ...aws, PUBLIC_URL: "http://app.example.com" })).toEqual([expect.stringContaining("PUBLIC_URL: must be an https URL")]);
  });

  it.each([
    ["ALB_KEYS_ENDPOINT", { ALB_KEYS_ENDPOINT: "http://keys.example.com" }],
    ["COGNITO_JWKS_URI", { COGNITO_JWKS_URI: "http://cognito.example.com/pool/.well-known/jwks.json" }],
    ["COGNITO_ISSUER", { COGNITO_ISSUER: "http://cognito.example.com/pool" }],
    ["COGNITO_DOMAIN", { COGNITO_DOMAIN: "http://auth.example.com" }],
  ])("refuses a plain-http %s in AWS (a key or token in clear on the network)", (name, variables) => {
    expect(problemsOf({ ...aws, ...variables })).toEqual([expect.stringMatching(new RegExp(`^${name}: must be an https URL`))]);
  });

  it("accepts plain http to localhost in AWS (a sidecar, the tests' emulator)", () => {
    expect(
      loadAlbModeConfig({ ...aws, ALB_KEYS_ENDPOINT: "http://127.0.0.1:9000", COGNITO_JWKS_URI: "http://localhost:9229/pool/.well-known/jwks.json" }).alb.keysEndpoint,
    ).toBe("http://127.0.0.1:9000");
  });

  it("lists every missing variable at once in AWS", () => {
    expect(problemsOf({ TOBIRA_MODE: "aws", ALB_MODE: "true" })).toEqual(requiredAlbVariables.map((name) => `${name}: required when TOBIRA_MODE=aws and ALB_MODE=true`));
  });

  it("refuses an ARN that is not an Application Load Balancer's", () => {
    expect(problemsOf({ ...aws, ALB_ARN: "arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:loadbalancer/net/tobira/50dc6c495c0c9188" })).toEqual([
      "ALB_ARN: not an Application Load Balancer ARN",
    ]);
  });

  it("refuses a COGNITO_DOMAIN that is neither a host name nor a URL", () => {
    expect(problemsOf({ ...aws, COGNITO_DOMAIN: "not a domain" })).toEqual(["COGNITO_DOMAIN: must be a host name (e.g. auth.example.com) or an http(s) URL"]);
  });

  it("follows ALB_SESSION_COOKIE_NAME and ALB_KEYS_ENDPOINT", () => {
    const config = loadAlbModeConfig({ ...aws, ALB_SESSION_COOKIE_NAME: "app-session", ALB_KEYS_ENDPOINT: "https://keys.example.com/" });
    expect(config.alb).toMatchObject({ sessionCookieName: "app-session", keysEndpoint: "https://keys.example.com" });
  });
});
