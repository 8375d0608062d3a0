import { createLocalAlbSigner, startAlbKeyServer, type AlbKeyServer, type LocalAlbSigner } from "../../../../emulator/local/local-alb-signer";

/** The local ALB's signing of x-amzn-oidc-data and its key server, as AWS's ALB does them. */

const ALB_ARN = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/tobira/50dc6c495c0c9188";
const CLIENT_ID = "tobiraalbclient0000000000";
const ISSUER = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_TobiraTst";
const SUB = "9f1c6a2e-1b7d-4c59-8f3e-2a6b0c4d5e6f";
const userClaims = { sub: SUB, email_verified: "true", email: "ada@example.com", username: SUB };

let signer: LocalAlbSigner;
let keyServer: AlbKeyServer;

beforeAll(async () => {
  signer = createLocalAlbSigner({ albArn: ALB_ARN, clientId: CLIENT_ID, issuer: ISSUER });
  keyServer = await startAlbKeyServer({ keys: [signer] });
});

afterAll(async () => {
  await keyServer?.close();
});

describe("local ALB signer", () => {
  it("signs like an ALB: ES256, UUID kid, signer/client/iss/exp in the header, base64url WITH padding", () => {
    const token = signer.sign(userClaims);
    const parts = token.split(".");
    expect(parts).toHaveLength(3);
    for (const part of parts) expect(part.length % 4).toBe(0);
    expect(token).toContain("=");
    const header = JSON.parse(Buffer.from(parts[0]!, "base64url").toString("utf8"));
    expect(header).toEqual({ typ: "JWT", kid: signer.kid, alg: "ES256", iss: ISSUER, client: CLIENT_ID, signer: ALB_ARN, exp: expect.any(Number) });
    expect(signer.kid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    const payload = JSON.parse(Buffer.from(parts[1]!, "base64url").toString("utf8"));
    expect(payload).toEqual({ ...userClaims, exp: header.exp, iss: ISSUER });
  });

  it("serves the public key as PEM at GET /<kid>, 404 for unknown kids, 405 for other methods", async () => {
    const found = await fetch(`${keyServer.url}/${signer.kid}`);
    expect(found.status).toBe(200);
    expect(await found.text()).toBe(signer.publicKeyPem);
    expect(signer.publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
    expect((await fetch(`${keyServer.url}/00000000-0000-4000-8000-000000000000`)).status).toBe(404);
    expect((await fetch(`${keyServer.url}/${signer.kid}`, { method: "POST" })).status).toBe(405);
  });
});
