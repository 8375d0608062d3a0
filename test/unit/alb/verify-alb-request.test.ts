import { generateKeyPairSync } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { AlbAuthError, createAlbRequestVerifier, type AlbRequestVerifier, type AlbRequestVerifierOptions } from "../../../bff/alb/verify-alb-request";
import { createLocalAlbSigner, startAlbKeyServer, type AlbKeyServer, type LocalAlbSigner } from "../../../emulator/local/local-alb-signer";
import { startTestCognitoIssuer, type TestCognitoIssuer } from "./cognito-issuer";

const ALB_ARN = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/tobira/50dc6c495c0c9188";
const OTHER_ALB_ARN = "arn:aws:elasticloadbalancing:us-east-1:999999999999:loadbalancer/app/someone-else/0123456789abcdef";
const CLIENT_ID = "tobiraalbclient0000000000";
const POOL_ID = "us-east-1_TobiraTst";
const SUB = "9f1c6a2e-1b7d-4c59-8f3e-2a6b0c4d5e6f";
const userClaims = { sub: SUB, email_verified: "true", email: "ada@example.com", username: SUB };

let cognito: TestCognitoIssuer;
let signer: LocalAlbSigner;
let keyServer: AlbKeyServer;
let verifier: AlbRequestVerifier;

function options(overrides: Partial<AlbRequestVerifierOptions> = {}): AlbRequestVerifierOptions {
  return { albArn: ALB_ARN, clientId: CLIENT_ID, region: "us-east-1", issuer: cognito.issuer, albKeysEndpoint: keyServer.url, ...overrides };
}

async function goodHeaders(): Promise<Record<string, string>> {
  return {
    "x-amzn-oidc-data": signer.sign(userClaims),
    "x-amzn-oidc-accesstoken": await cognito.accessToken(),
    "x-amzn-oidc-identity": SUB,
  };
}

/** The AlbAuthError a verification rejects with (fails the test if it resolves or throws anything else). */
async function refusal(promise: Promise<unknown>): Promise<AlbAuthError> {
  const error = await promise.then(
    () => {
      throw new Error("verification unexpectedly succeeded");
    },
    (rejection: unknown) => rejection,
  );
  expect(error).toBeInstanceOf(AlbAuthError);
  return error as AlbAuthError;
}

/** A port nothing listens on: bound once, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

beforeAll(async () => {
  cognito = await startTestCognitoIssuer({ poolId: POOL_ID, clientId: CLIENT_ID, sub: SUB });
  signer = createLocalAlbSigner({ albArn: ALB_ARN, clientId: CLIENT_ID, issuer: cognito.issuer });
  keyServer = await startAlbKeyServer({ keys: [signer] });
  verifier = createAlbRequestVerifier(options());
});

afterAll(async () => {
  await keyServer?.close();
  await cognito?.close();
});

describe("createAlbRequestVerifier", () => {
  it("accepts good headers and returns the verified claims of both tokens and the identity", async () => {
    const headers = await goodHeaders();
    const verified = await verifier.verify(headers);
    expect(verified.identity).toBe(SUB);
    expect(verified.oidcData).toMatchObject({ ...userClaims, iss: cognito.issuer });
    expect(verified.accessToken).toMatchObject({ sub: SUB, client_id: CLIENT_ID, token_use: "access", scope: "openid email", iss: cognito.issuer });
    expect(verified.rawAccessToken).toBe(headers["x-amzn-oidc-accesstoken"]);
  });

  it("derives AWS's issuer from the pool id when no issuer is given", () => {
    expect(() => createAlbRequestVerifier({ albArn: ALB_ARN, clientId: CLIENT_ID, region: "us-east-1", userPoolId: POOL_ID })).not.toThrow();
    expect(() => createAlbRequestVerifier({ albArn: ALB_ARN, clientId: CLIENT_ID, region: "us-east-1" })).toThrow(TypeError);
  });

  it.each(["x-amzn-oidc-data", "x-amzn-oidc-accesstoken", "x-amzn-oidc-identity"])("refuses a request without %s (401 missing_headers)", async (name) => {
    const headers = await goodHeaders();
    delete headers[name];
    const error = await refusal(verifier.verify(headers));
    expect(error).toMatchObject({ reason: "missing_headers", status: 401, code: "unauthenticated" });
  });

  it("refuses a tampered x-amzn-oidc-data (claims changed after signing) as invalid_signature", async () => {
    const headers = await goodHeaders();
    const [header, , signature] = headers["x-amzn-oidc-data"]!.split(".");
    const forgedPayload = Buffer.from(JSON.stringify({ ...userClaims, email: "mallory@example.com", exp: 4102444800, iss: cognito.issuer })).toString("base64url");
    headers["x-amzn-oidc-data"] = `${header}.${forgedPayload}.${signature}`;
    const error = await refusal(verifier.verify(headers));
    expect(error).toMatchObject({ reason: "invalid_signature", token: "oidc_data", status: 401 });
  });

  it("refuses a token signed for another load balancer as wrong_signer", async () => {
    const headers = { ...(await goodHeaders()), "x-amzn-oidc-data": signer.sign(userClaims, { signer: OTHER_ALB_ARN }) };
    expect(await refusal(verifier.verify(headers))).toMatchObject({ reason: "wrong_signer", token: "oidc_data", status: 401 });
  });

  it("refuses a token for another app client as wrong_client", async () => {
    const headers = { ...(await goodHeaders()), "x-amzn-oidc-data": signer.sign(userClaims, { client: "someotherclient000000000" }) };
    expect(await refusal(verifier.verify(headers))).toMatchObject({ reason: "wrong_client", token: "oidc_data", status: 401 });
  });

  it("refuses a token from another issuer as wrong_issuer", async () => {
    const headers = { ...(await goodHeaders()), "x-amzn-oidc-data": signer.sign(userClaims, { iss: "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Other" }) };
    expect(await refusal(verifier.verify(headers))).toMatchObject({ reason: "wrong_issuer", token: "oidc_data", status: 401 });
  });

  it("refuses an expired x-amzn-oidc-data as expired", async () => {
    const headers = { ...(await goodHeaders()), "x-amzn-oidc-data": signer.sign(userClaims, { exp: Math.floor(Date.now() / 1000) - 60 }) };
    expect(await refusal(verifier.verify(headers))).toMatchObject({ reason: "expired", token: "oidc_data", status: 401 });
  });

  it("refuses something that is not a JWT as malformed_token", async () => {
    const headers = { ...(await goodHeaders()), "x-amzn-oidc-data": "not-a-jwt" };
    expect(await refusal(verifier.verify(headers))).toMatchObject({ reason: "malformed_token", token: "oidc_data", status: 401 });
  });

  it("refuses a token whose kid the key endpoint does not publish as invalid_signature (401, not 503)", async () => {
    const stranger = createLocalAlbSigner({ albArn: ALB_ARN, clientId: CLIENT_ID, issuer: cognito.issuer });
    const headers = { ...(await goodHeaders()), "x-amzn-oidc-data": stranger.sign(userClaims) };
    expect(await refusal(verifier.verify(headers))).toMatchObject({ reason: "invalid_signature", token: "oidc_data", status: 401 });
  });

  it("answers 503 key_endpoint_unavailable when the ALB key endpoint refuses connections", async () => {
    const down = createAlbRequestVerifier(options({ albKeysEndpoint: `http://127.0.0.1:${await closedPort()}` }));
    const error = await refusal(down.verify(await goodHeaders()));
    expect(error).toMatchObject({ reason: "key_endpoint_unavailable", token: "oidc_data", status: 503, code: "service_unavailable" });
  });

  it("answers 503 key_endpoint_unavailable when the ALB key endpoint fails with 5xx", async () => {
    const failing = createServer((_req, res) => res.writeHead(502).end());
    await new Promise<void>((resolve) => failing.listen(0, "127.0.0.1", resolve));
    try {
      const endpoint = `http://127.0.0.1:${(failing.address() as AddressInfo).port}`;
      const error = await refusal(createAlbRequestVerifier(options({ albKeysEndpoint: endpoint })).verify(await goodHeaders()));
      expect(error).toMatchObject({ reason: "key_endpoint_unavailable", status: 503 });
    } finally {
      await new Promise<void>((resolve) => failing.close(() => resolve()));
    }
  });

  it("answers 503 key_endpoint_unavailable when the ALB key endpoint serves a key that is not P-256", async () => {
    const rsaPem = generateKeyPairSync("rsa", { modulusLength: 2048 }).publicKey.export({ type: "spki", format: "pem" }).toString();
    const wrongKeys = await startAlbKeyServer({ keys: [{ kid: signer.kid, publicKeyPem: rsaPem }] });
    try {
      const error = await refusal(createAlbRequestVerifier(options({ albKeysEndpoint: wrongKeys.url })).verify(await goodHeaders()));
      expect(error).toMatchObject({ reason: "key_endpoint_unavailable", status: 503 });
    } finally {
      await wrongKeys.close();
    }
  });

  it("refuses an x-amzn-oidc-identity that is not the token's sub as identity_mismatch", async () => {
    const headers = { ...(await goodHeaders()), "x-amzn-oidc-identity": "00000000-0000-4000-8000-000000000000" };
    expect(await refusal(verifier.verify(headers))).toMatchObject({ reason: "identity_mismatch", status: 401 });
  });

  it("refuses an access token of another user as identity_mismatch", async () => {
    const headers = { ...(await goodHeaders()), "x-amzn-oidc-accesstoken": await cognito.accessToken({ sub: "00000000-0000-4000-8000-000000000000" }) };
    expect(await refusal(verifier.verify(headers))).toMatchObject({ reason: "identity_mismatch", status: 401 });
  });

  it("refuses an access token not signed by the pool's key as invalid_signature", async () => {
    const headers = { ...(await goodHeaders()), "x-amzn-oidc-accesstoken": await cognito.accessToken({}, { signWithOtherKey: true }) };
    expect(await refusal(verifier.verify(headers))).toMatchObject({ reason: "invalid_signature", token: "access_token", status: 401 });
  });

  it("refuses an expired access token as expired", async () => {
    const headers = { ...(await goodHeaders()), "x-amzn-oidc-accesstoken": await cognito.accessToken({}, { expiresIn: -60 }) };
    expect(await refusal(verifier.verify(headers))).toMatchObject({ reason: "expired", token: "access_token", status: 401 });
  });

  it("refuses an access token without exp as expired (it would never expire)", async () => {
    const headers = { ...(await goodHeaders()), "x-amzn-oidc-accesstoken": await cognito.accessToken({}, { expiresIn: null }) };
    expect(await refusal(verifier.verify(headers))).toMatchObject({ reason: "expired", token: "access_token", status: 401 });
  });

  it("refuses an access token issued to another app client as wrong_client", async () => {
    const headers = { ...(await goodHeaders()), "x-amzn-oidc-accesstoken": await cognito.accessToken({ client_id: "someotherclient000000000" }) };
    expect(await refusal(verifier.verify(headers))).toMatchObject({ reason: "wrong_client", token: "access_token", status: 401 });
  });

  it("refuses an ID token in the access-token header as not_an_access_token", async () => {
    const headers = { ...(await goodHeaders()), "x-amzn-oidc-accesstoken": await cognito.accessToken({ token_use: "id", aud: CLIENT_ID }) };
    expect(await refusal(verifier.verify(headers))).toMatchObject({ reason: "not_an_access_token", token: "access_token", status: 401 });
  });

  it("answers 503 key_endpoint_unavailable when the pool's JWKS cannot be fetched", async () => {
    const down = createAlbRequestVerifier(options({ cognitoJwksUri: `http://127.0.0.1:${await closedPort()}/.well-known/jwks.json` }));
    const error = await refusal(down.verify(await goodHeaders()));
    expect(error).toMatchObject({ reason: "key_endpoint_unavailable", token: "access_token", status: 503 });
  });
});
