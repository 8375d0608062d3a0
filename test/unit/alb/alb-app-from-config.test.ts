import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAlbModeApp } from "../../../bff/alb/alb-app";
import { loadAlbModeConfig } from "../../../bff/config";
import { createLogger } from "../../../bff/logger";
import { createLocalAlbSigner, startAlbKeyServer, type AlbKeyServer, type LocalAlbSigner } from "../../../emulator/local/local-alb-signer";
import { startTestCognitoIssuer, type TestCognitoIssuer } from "./cognito-issuer";

/**
 * The ALB-mode app as bff/main.ts builds it, from its configuration alone (no verifier or userInfo
 * call handed in): the load balancer, app client, pool keys and managed-login address it checks
 * and calls are the ones the configuration names.
 */

const ALB_ARN = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/tobira/50dc6c495c0c9188";
const OTHER_ALB_ARN = "arn:aws:elasticloadbalancing:us-east-1:999999999999:loadbalancer/app/someone-else/0123456789abcdef";
const CLIENT_ID = "tobiraalbclient0000000000";
const POOL_ID = "us-east-1_TobiraTst";
const SUB = "9f1c6a2e-1b7d-4c59-8f3e-2a6b0c4d5e6f";

let cognito: TestCognitoIssuer;
let signer: LocalAlbSigner;
let otherSigner: LocalAlbSigner;
let keyServer: AlbKeyServer;
let hostedUi: Server;
let hostedUiUrl: string;
const userInfoRequests: { url: string | undefined; headers: IncomingHttpHeaders }[] = [];

beforeAll(async () => {
  cognito = await startTestCognitoIssuer({ poolId: POOL_ID, clientId: CLIENT_ID, sub: SUB });
  signer = createLocalAlbSigner({ albArn: ALB_ARN, clientId: CLIENT_ID, issuer: cognito.issuer });
  // Another ALB of the region: its keys are published at the same endpoint, as AWS publishes them.
  otherSigner = createLocalAlbSigner({ albArn: OTHER_ALB_ARN, clientId: CLIENT_ID, issuer: cognito.issuer });
  keyServer = await startAlbKeyServer({ keys: [signer, otherSigner] });
  hostedUi = createServer((req, res) => {
    userInfoRequests.push({ url: req.url, headers: req.headers });
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ sub: SUB, email: "ada@example.com" }));
  });
  await new Promise<void>((resolve) => hostedUi.listen(0, "127.0.0.1", resolve));
  hostedUiUrl = `http://127.0.0.1:${(hostedUi.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await keyServer?.close();
  await cognito?.close();
  hostedUi?.closeAllConnections();
  await new Promise<void>((resolve) => (hostedUi ? hostedUi.close(() => resolve()) : resolve()));
});

/** GET /api/account/claims of an app built from the configuration alone, with these headers. */
async function claims(headers: Record<string, string>): Promise<Response> {
  const config = loadAlbModeConfig({
    TOBIRA_MODE: "local",
    ALB_MODE: "true",
    AWS_REGION: "us-east-1",
    COGNITO_USER_POOL_ID: POOL_ID,
    COGNITO_ISSUER: cognito.issuer,
    COGNITO_JWKS_URI: cognito.jwksUri,
    COGNITO_CLIENT_ID: CLIENT_ID,
    COGNITO_DOMAIN: hostedUiUrl,
    ALB_ARN,
    ALB_KEYS_ENDPOINT: keyServer.url,
  });
  const server = createAlbModeApp({ config, logger: createLogger("silent") }).listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  try {
    const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/api/account/claims`, {
      headers: { accept: "application/json", ...headers },
    });
    await response.clone().arrayBuffer();
    return response;
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

describe("the ALB-mode app built from its configuration", () => {
  it("verifies the headers against the configured load balancer, app client and pool, then calls the configured userInfo", async () => {
    userInfoRequests.length = 0;
    const accessToken = await cognito.accessToken();
    const response = await claims({
      "x-amzn-oidc-data": signer.sign({ sub: SUB, email: "ada@example.com" }),
      "x-amzn-oidc-accesstoken": accessToken,
      "x-amzn-oidc-identity": SUB,
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      idToken: { sub: SUB, email: "ada@example.com" },
      accessToken: { sub: SUB, client_id: CLIENT_ID },
      userInfo: { sub: SUB, email: "ada@example.com" },
    });
    expect(userInfoRequests).toEqual([{ url: "/oauth2/userInfo", headers: expect.objectContaining({ authorization: `Bearer ${accessToken}` }) }]);
  });

  it("refuses user claims signed by another load balancer of the region (401), without calling userInfo", async () => {
    userInfoRequests.length = 0;
    const response = await claims({
      "x-amzn-oidc-data": otherSigner.sign({ sub: SUB }),
      "x-amzn-oidc-accesstoken": await cognito.accessToken(),
      "x-amzn-oidc-identity": SUB,
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: { code: "unauthenticated", message: "The sign-in token was not signed by the expected load balancer." } });
    expect(userInfoRequests).toEqual([]);
  });
});
