import { generateKeyPairSync, randomUUID, sign } from "node:crypto";
import { createServer, type RequestListener } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AlbAuthError, createAlbRequestVerifier, type AlbRequestVerifierOptions } from "../../../bff/alb/verify-alb-request";
import { createLocalAlbSigner, startAlbKeyServer, type AlbKeyServer, type LocalAlbSigner } from "../../../emulator/local/local-alb-signer";
import { startTestCognitoIssuer, type TestCognitoIssuer } from "./cognito-issuer";

/**
 * The ALB verifier's second ring (AWS ELB guide, "User claims encoding and signature
 * verification"): an `x-amzn-oidc-data` without `exp` never expires and is refused; a header
 * sent twice is ambiguous and refused rather than resolved to either copy; the key endpoints are
 * fetched without following redirects (the key must come from the address configured) and
 * without reading an unbounded answer.
 */

const ALB_ARN = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/tobira/50dc6c495c0c9188";
const CLIENT_ID = "tobiraalbclient0000000000";
const POOL_ID = "us-east-1_TobiraHrd";
const SUB = "5b0e7c1a-7f39-4d6b-9a3c-1e2f3a4b5c6d";
const userClaims = { sub: SUB, email: "ada@example.com", username: SUB };

let cognito: TestCognitoIssuer;
let signer: LocalAlbSigner;
let keyServer: AlbKeyServer;

function options(overrides: Partial<AlbRequestVerifierOptions> = {}): AlbRequestVerifierOptions {
  return { albArn: ALB_ARN, clientId: CLIENT_ID, region: "us-east-1", issuer: cognito.issuer, albKeysEndpoint: keyServer.url, ...overrides };
}

async function goodHeaders(): Promise<Record<string, string>> {
  return { "x-amzn-oidc-data": signer.sign(userClaims), "x-amzn-oidc-accesstoken": await cognito.accessToken(), "x-amzn-oidc-identity": SUB };
}

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

/** An HTTP server on 127.0.0.1 for the length of one test. */
async function withServer<T>(listener: RequestListener, run: (url: string) => Promise<T>): Promise<T> {
  const server = createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    return await run(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

const paddedBase64Url = (data: string | Buffer) => {
  const unpadded = Buffer.from(data).toString("base64url");
  return unpadded + "=".repeat((4 - (unpadded.length % 4)) % 4);
};

/** An ALB-shaped token (ES256, padded base64url, signer and client in the header) with exactly the fields given. */
function albToken(header: Record<string, unknown>, payload: Record<string, unknown>, privateKey: ReturnType<typeof generateKeyPairSync>["privateKey"]): string {
  const input = `${paddedBase64Url(JSON.stringify(header))}.${paddedBase64Url(JSON.stringify(payload))}`;
  return `${input}.${paddedBase64Url(sign("sha256", Buffer.from(input), { key: privateKey, dsaEncoding: "ieee-p1363" }))}`;
}

beforeAll(async () => {
  cognito = await startTestCognitoIssuer({ poolId: POOL_ID, clientId: CLIENT_ID, sub: SUB });
  signer = createLocalAlbSigner({ albArn: ALB_ARN, clientId: CLIENT_ID, issuer: cognito.issuer });
  keyServer = await startAlbKeyServer({ keys: [signer] });
});

afterAll(async () => {
  await keyServer?.close();
  await cognito?.close();
});

describe("x-amzn-oidc-data without exp", () => {
  it("is refused as expired (it would never expire), though its signature, signer and client are good", async () => {
    const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const kid = randomUUID();
    keyServer.publish({ kid, publicKeyPem: publicKey.export({ type: "spki", format: "pem" }).toString() });
    const header = { typ: "JWT", kid, alg: "ES256", iss: cognito.issuer, client: CLIENT_ID, signer: ALB_ARN };
    const verifier = createAlbRequestVerifier(options());

    // The same token with an exp passes: only the missing exp is refused.
    const withExp = albToken(
      { ...header, exp: Math.floor(Date.now() / 1000) + 60 },
      { ...userClaims, iss: cognito.issuer, exp: Math.floor(Date.now() / 1000) + 60 },
      privateKey,
    );
    await expect(verifier.verify({ ...(await goodHeaders()), "x-amzn-oidc-data": withExp })).resolves.toMatchObject({ identity: SUB });

    const withoutExp = albToken(header, { ...userClaims, iss: cognito.issuer }, privateKey);
    const error = await refusal(verifier.verify({ ...(await goodHeaders()), "x-amzn-oidc-data": withoutExp }));
    expect(error).toMatchObject({ reason: "expired", token: "oidc_data", status: 401 });
  });
});

describe("a header the request carries twice", () => {
  it.each(["x-amzn-oidc-data", "x-amzn-oidc-accesstoken", "x-amzn-oidc-identity"])("refuses two values of %s as missing_headers, taking neither", async (name) => {
    const headers: Record<string, string | string[]> = await goodHeaders();
    headers[name] = [headers[name] as string, headers[name] as string];
    const error = await refusal(createAlbRequestVerifier(options()).verify(headers));
    expect(error).toMatchObject({ reason: "missing_headers", status: 401 });
  });

  it("accepts a header given once in a list, or under another capitalisation", async () => {
    const good = await goodHeaders();
    const headers = { "X-Amzn-Oidc-Data": [good["x-amzn-oidc-data"]!], "X-AMZN-OIDC-ACCESSTOKEN": good["x-amzn-oidc-accesstoken"], "x-amzn-oidc-identity": ` ${SUB} ` };
    await expect(createAlbRequestVerifier(options()).verify(headers)).resolves.toMatchObject({ identity: SUB });
  });

  it("refuses a blank header as missing", async () => {
    const error = await refusal(createAlbRequestVerifier(options()).verify({ ...(await goodHeaders()), "x-amzn-oidc-identity": "  " }));
    expect(error).toMatchObject({ reason: "missing_headers" });
  });
});

describe("fetching the ALB's public key", () => {
  it("does not follow a redirect, even to the real key (503 key_endpoint_unavailable)", async () => {
    await withServer(
      (req, res) => res.writeHead(302, { location: `${keyServer.url}${req.url}` }).end(),
      async (redirecting) => {
        const error = await refusal(createAlbRequestVerifier(options({ albKeysEndpoint: redirecting })).verify(await goodHeaders()));
        expect(error).toMatchObject({ reason: "key_endpoint_unavailable", token: "oidc_data", status: 503 });
      },
    );
  });

  it("does not take a key answer over 64 KiB, even one that holds the right key (503 key_endpoint_unavailable)", async () => {
    await withServer(
      (_req, res) => res.writeHead(200, { "content-type": "application/x-pem-file" }).end(signer.publicKeyPem + "\n".repeat(70 * 1024)),
      async (oversized) => {
        const error = await refusal(createAlbRequestVerifier(options({ albKeysEndpoint: oversized })).verify(await goodHeaders()));
        expect(error).toMatchObject({ reason: "key_endpoint_unavailable", token: "oidc_data", status: 503 });
      },
    );
  });

  it("answers 503, not 401, when the key endpoint is throttled (429) or times out the request (408)", async () => {
    for (const status of [429, 408]) {
      await withServer(
        (_req, res) => res.writeHead(status).end(),
        async (busy) => {
          const error = await refusal(createAlbRequestVerifier(options({ albKeysEndpoint: busy })).verify(await goodHeaders()));
          expect(error, String(status)).toMatchObject({ reason: "key_endpoint_unavailable", status: 503 });
        },
      );
    }
  });
});

describe("fetching the pool's JWKS", () => {
  /** The issuer's real JWKS document. */
  async function jwksBody(): Promise<string> {
    return (await fetch(cognito.jwksUri)).text();
  }

  it("does not follow a redirect, even to the real JWKS (503 key_endpoint_unavailable)", async () => {
    await withServer(
      (_req, res) => res.writeHead(302, { location: cognito.jwksUri }).end(),
      async (redirecting) => {
        const verifier = createAlbRequestVerifier(options({ cognitoJwksUri: `${redirecting}/jwks.json` }));
        const error = await refusal(verifier.verify(await goodHeaders()));
        expect(error).toMatchObject({ reason: "key_endpoint_unavailable", token: "access_token", status: 503 });
      },
    );
  });

  it("does not take a JWKS answer over 64 KiB, even one that holds the right key (503 key_endpoint_unavailable)", async () => {
    const body = (await jwksBody()) + " ".repeat(70 * 1024);
    await withServer(
      (_req, res) => res.writeHead(200, { "content-type": "application/json" }).end(body),
      async (oversized) => {
        const verifier = createAlbRequestVerifier(options({ cognitoJwksUri: `${oversized}/jwks.json` }));
        const error = await refusal(verifier.verify(await goodHeaders()));
        expect(error).toMatchObject({ reason: "key_endpoint_unavailable", token: "access_token", status: 503 });
      },
    );
  });

  it("answers 503 when the JWKS address answers 404 (the pool's keys, not a token, are missing)", async () => {
    await withServer(
      (_req, res) => res.writeHead(404).end(),
      async (missing) => {
        const error = await refusal(createAlbRequestVerifier(options({ cognitoJwksUri: `${missing}/jwks.json` })).verify(await goodHeaders()));
        expect(error).toMatchObject({ reason: "key_endpoint_unavailable", token: "access_token", status: 503 });
      },
    );
  });
});
