import { generateKeyPairSync } from "node:crypto";
import { createServer, type RequestListener } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { AlbAuthError, createAlbRequestVerifier, type AlbRequestVerifierOptions } from "../../../bff/alb/verify-alb-request";
import { createLocalAlbSigner, startAlbKeyServer, type AlbKeyServer, type LocalAlbSigner } from "../../../emulator/local/local-alb-signer";
import { startTestCognitoIssuer, type TestCognitoIssuer } from "./cognito-issuer";

/**
 * The ALB verifier's edges, each a place where a small change would let a request through or
 * turn the keys' outage into the user's fault (or the reverse): how each status of the key
 * endpoint is read, the exact-size and broken-body answers, the P-256 requirement, the issuer
 * and key addresses it derives, the clock grace, a list of load balancers, and the identity
 * that all three headers must share.
 */

const ALB_ARN = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/tobira/50dc6c495c0c9188";
const OTHER_ALB_ARN = "arn:aws:elasticloadbalancing:us-east-1:999999999999:loadbalancer/app/someone-else/0123456789abcdef";
const CLIENT_ID = "tobiraalbclient0000000000";
const POOL_ID = "us-east-1_TobiraEdg";
const SUB = "7c9e2b1a-4d3f-4a5b-8c6d-0e1f2a3b4c5d";
const OTHER_SUB = "00000000-0000-4000-8000-000000000000";
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

/** The key endpoint answering every request with `status` (and `body`). */
const keyEndpoint =
  (status: number, body = ""): RequestListener =>
  (_req, res) =>
    res.writeHead(status, { "content-type": "application/x-pem-file" }).end(body);

beforeAll(async () => {
  cognito = await startTestCognitoIssuer({ poolId: POOL_ID, clientId: CLIENT_ID, sub: SUB });
  signer = createLocalAlbSigner({ albArn: ALB_ARN, clientId: CLIENT_ID, issuer: cognito.issuer });
  keyServer = await startAlbKeyServer({ keys: [signer] });
});

afterAll(async () => {
  await keyServer?.close();
  await cognito?.close();
});

describe("AlbAuthError", () => {
  it("is exposed (its message is safe to show), named, and keeps what caused it", async () => {
    const stranger = createLocalAlbSigner({ albArn: ALB_ARN, clientId: CLIENT_ID, issuer: cognito.issuer });
    const error = await refusal(createAlbRequestVerifier(options()).verify({ ...(await goodHeaders()), "x-amzn-oidc-data": stranger.sign(userClaims) }));
    expect(error).toMatchObject({ name: "AlbAuthError", expose: true, reason: "invalid_signature", status: 401 });
    expect(error.cause).toBeInstanceOf(Error);
  });
});

describe("reading the ALB key endpoint's answer", () => {
  it.each([400, 403, 404, 410])("takes %i for one kid as 'no such key': 401 invalid_signature", async (status) => {
    const error = await withServer(keyEndpoint(status), async (url) => refusal(createAlbRequestVerifier(options({ albKeysEndpoint: url })).verify(await goodHeaders())));
    expect(error).toMatchObject({ reason: "invalid_signature", token: "oidc_data", status: 401 });
    expect((error.cause as Error).message).toContain(`status ${status}`);
  });

  it.each([500, 502, 503, 304])("takes %i as the endpoint's outage: 503 key_endpoint_unavailable", async (status) => {
    const error = await withServer(keyEndpoint(status), async (url) => refusal(createAlbRequestVerifier(options({ albKeysEndpoint: url })).verify(await goodHeaders())));
    expect(error).toMatchObject({ reason: "key_endpoint_unavailable", status: 503 });
    expect((error.cause as Error).message).toContain(`status ${status}`);
  });

  it("takes a key answer of exactly 64 KiB", async () => {
    const body = signer.publicKeyPem + "\n".repeat(64 * 1024 - Buffer.byteLength(signer.publicKeyPem));
    expect(Buffer.byteLength(body)).toBe(64 * 1024);
    await withServer(keyEndpoint(200, body), async (url) => {
      await expect(createAlbRequestVerifier(options({ albKeysEndpoint: url })).verify(await goodHeaders())).resolves.toMatchObject({ identity: SUB });
    });
  });

  it("names the size in the cause of an answer over 64 KiB", async () => {
    const error = await withServer(keyEndpoint(200, signer.publicKeyPem + "\n".repeat(65 * 1024)), async (url) =>
      refusal(createAlbRequestVerifier(options({ albKeysEndpoint: url })).verify(await goodHeaders())),
    );
    expect((error.cause as Error).message).toContain("response too large");
  });

  it("answers 503 when the key's answer breaks off in the middle of its body", async () => {
    const error = await withServer(
      (_req, res) => {
        res.writeHead(200, { "content-type": "application/x-pem-file", "content-length": "4000" });
        res.write(signer.publicKeyPem.slice(0, 40));
        setTimeout(() => res.destroy(), 20);
      },
      async (url) => refusal(createAlbRequestVerifier(options({ albKeysEndpoint: url })).verify(await goodHeaders())),
    );
    expect(error).toMatchObject({ reason: "key_endpoint_unavailable", status: 503 });
  });

  it("refuses an EC key on another curve than P-256 as unusable (503)", async () => {
    const p384 = generateKeyPairSync("ec", { namedCurve: "P-384" }).publicKey.export({ type: "spki", format: "pem" }).toString();
    const error = await withServer(keyEndpoint(200, p384), async (url) =>
      refusal(createAlbRequestVerifier(options({ albKeysEndpoint: url })).verify(await goodHeaders())),
    );
    expect(error).toMatchObject({ reason: "key_endpoint_unavailable", status: 503 });
    expect((error.cause as Error).message).toContain("not a usable key");
  });

  it("says why it could not connect in the cause", async () => {
    const closed = await withServer(keyEndpoint(200), async (url) => url);
    const error = await refusal(createAlbRequestVerifier(options({ albKeysEndpoint: closed })).verify(await goodHeaders()));
    expect((error.cause as Error).message).not.toMatch(/: $/);
  });

  it("fetches a kid from an endpoint given with trailing slashes", async () => {
    await expect(createAlbRequestVerifier(options({ albKeysEndpoint: `${keyServer.url}//` })).verify(await goodHeaders())).resolves.toMatchObject({ identity: SUB });
  });
});

describe("what the verifier derives from its options", () => {
  it("checks tokens against AWS's issuer for the pool when only the pool id is given", async () => {
    const awsIssuer = `https://cognito-idp.us-east-1.amazonaws.com/${POOL_ID}`;
    const verifier = createAlbRequestVerifier({
      albArn: ALB_ARN,
      clientId: CLIENT_ID,
      region: "us-east-1",
      userPoolId: POOL_ID,
      albKeysEndpoint: keyServer.url,
      cognitoJwksUri: cognito.jwksUri,
    });
    const headers = {
      "x-amzn-oidc-data": signer.sign(userClaims, { iss: awsIssuer }),
      "x-amzn-oidc-accesstoken": await cognito.accessToken({ iss: awsIssuer }),
      "x-amzn-oidc-identity": SUB,
    };
    await expect(verifier.verify(headers)).resolves.toMatchObject({ identity: SUB });
  });

  it("says what is missing when neither an issuer nor a pool id is given", () => {
    expect(() => createAlbRequestVerifier({ albArn: ALB_ARN, clientId: CLIENT_ID, region: "us-east-1" })).toThrow(/issuer or userPoolId is required/);
  });

  it("finds the pool's JWKS next to an issuer written with a trailing slash", async () => {
    const issuer = `${cognito.issuer}/`;
    const verifier = createAlbRequestVerifier(options({ issuer }));
    const headers = {
      "x-amzn-oidc-data": signer.sign(userClaims, { iss: issuer }),
      "x-amzn-oidc-accesstoken": await cognito.accessToken({ iss: issuer }),
      "x-amzn-oidc-identity": SUB,
    };
    await expect(verifier.verify(headers)).resolves.toMatchObject({ identity: SUB });
  });

  it("accepts tokens that expired within graceSeconds, and none beyond it", async () => {
    const expiredSecondsAgo = (seconds: number) => Math.floor(Date.now() / 1000) - seconds;
    const headers = { ...(await goodHeaders()), "x-amzn-oidc-data": signer.sign(userClaims, { exp: expiredSecondsAgo(10) }) };
    await expect(createAlbRequestVerifier(options({ graceSeconds: 60 })).verify(headers)).resolves.toMatchObject({ identity: SUB });
    const late = { ...headers, "x-amzn-oidc-data": signer.sign(userClaims, { exp: expiredSecondsAgo(120) }) };
    expect(await refusal(createAlbRequestVerifier(options({ graceSeconds: 60 })).verify(late))).toMatchObject({ reason: "expired" });
  });

  it("accepts any load balancer of a list, and only those", async () => {
    const verifier = createAlbRequestVerifier(options({ albArn: [OTHER_ALB_ARN, ALB_ARN] }));
    await expect(verifier.verify(await goodHeaders())).resolves.toMatchObject({ identity: SUB });
    const foreign = {
      ...(await goodHeaders()),
      "x-amzn-oidc-data": signer.sign(userClaims, { signer: "arn:aws:elasticloadbalancing:us-east-1:111111111111:loadbalancer/app/x/0123456789abcdef" }),
    };
    expect(await refusal(verifier.verify(foreign))).toMatchObject({ reason: "wrong_signer" });
  });

  it("takes the header under its exact lower-case name over another spelling of it", async () => {
    const good = await goodHeaders();
    const headers = { "X-Amzn-Oidc-Data": "not-a-jwt", ...good };
    await expect(createAlbRequestVerifier(options()).verify(headers)).resolves.toMatchObject({ identity: SUB });
  });
});

describe("one identity in all three headers", () => {
  it("refuses user claims of another user, even when the access token and the identity header agree", async () => {
    const headers = { ...(await goodHeaders()), "x-amzn-oidc-data": signer.sign({ ...userClaims, sub: OTHER_SUB }) };
    expect(await refusal(createAlbRequestVerifier(options()).verify(headers))).toMatchObject({ reason: "identity_mismatch", status: 401 });
  });

  it("refuses an access token of another user, even when the user claims and the identity header agree", async () => {
    const headers = { ...(await goodHeaders()), "x-amzn-oidc-accesstoken": await cognito.accessToken({ sub: OTHER_SUB }) };
    expect(await refusal(createAlbRequestVerifier(options()).verify(headers))).toMatchObject({ reason: "identity_mismatch", status: 401 });
  });
});

describe("fetching ALB keys for the kid a token names (chosen by whoever sends it)", () => {
  /** The same token naming another kid: its header is read before anything is verified. */
  function withKid(token: string, kid: string): string {
    const [header, ...rest] = token.split(".");
    const decoded = JSON.parse(Buffer.from(header!, "base64url").toString("utf8")) as Record<string, unknown>;
    return [Buffer.from(JSON.stringify({ ...decoded, kid })).toString("base64url"), ...rest].join(".");
  }

  async function countingKeyEndpoint<T>(run: (url: string, fetches: () => number) => Promise<T>): Promise<T> {
    let fetches = 0;
    return withServer(
      (req, res) => {
        fetches += 1;
        // Only our signer's key is published.
        if (req.url?.endsWith(`/${signer.kid}`)) res.writeHead(200, { "content-type": "application/x-pem-file" }).end(signer.publicKeyPem);
        else res.writeHead(404).end();
      },
      (url) => run(url, () => fetches),
    );
  }

  it("asks the endpoint once about a kid it does not publish, then refuses that kid from memory", async () => {
    await countingKeyEndpoint(async (url, fetches) => {
      const verifier = createAlbRequestVerifier(options({ albKeysEndpoint: url }));
      const headers = await goodHeaders();
      const forged = { ...headers, "x-amzn-oidc-data": withKid(headers["x-amzn-oidc-data"]!, crypto.randomUUID()) };
      for (let attempt = 0; attempt < 5; attempt += 1) expect(await refusal(verifier.verify(forged))).toMatchObject({ reason: "invalid_signature", status: 401 });
      expect(fetches()).toBe(1);
    });
  });

  it("asks the endpoint again about an unpublished kid once its 10 minutes in memory are over", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      await countingKeyEndpoint(async (url, fetches) => {
        const verifier = createAlbRequestVerifier(options({ albKeysEndpoint: url }));
        const headers = await goodHeaders();
        const forged = { ...headers, "x-amzn-oidc-data": withKid(headers["x-amzn-oidc-data"]!, crypto.randomUUID()) };
        expect(await refusal(verifier.verify(forged))).toMatchObject({ reason: "invalid_signature" });
        vi.setSystemTime(Date.now() + 10 * 60 * 1000 - 1);
        await refusal(verifier.verify(forged));
        expect(fetches()).toBe(1);
        vi.setSystemTime(Date.now() + 1);
        expect(await refusal(verifier.verify(forged))).toMatchObject({ reason: "invalid_signature" });
        expect(fetches()).toBe(2);
      });
    } finally {
      vi.useRealTimers();
    }
  });

  it("fetches uncached kids again when the next minute starts", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      await countingKeyEndpoint(async (url, fetches) => {
        const verifier = createAlbRequestVerifier(options({ albKeysEndpoint: url, keyFetchesPerMinute: 2 }));
        const headers = await goodHeaders();
        const forged = () => ({ ...headers, "x-amzn-oidc-data": withKid(headers["x-amzn-oidc-data"]!, crypto.randomUUID()) });
        await refusal(verifier.verify(forged()));
        await refusal(verifier.verify(forged()));
        expect(await refusal(verifier.verify(forged()))).toMatchObject({ reason: "key_endpoint_unavailable", status: 503 });
        vi.setSystemTime(Date.now() + 60_000 - 1);
        expect(await refusal(verifier.verify(forged()))).toMatchObject({ reason: "key_endpoint_unavailable", status: 503 });
        expect(fetches()).toBe(2);
        vi.setSystemTime(Date.now() + 1);
        expect(await refusal(verifier.verify(forged()))).toMatchObject({ reason: "invalid_signature", status: 401 });
        expect(fetches()).toBe(3);
      });
    } finally {
      vi.useRealTimers();
    }
  });

  it("fetches at most keyFetchesPerMinute uncached kids a minute (503 beyond), while the cached key keeps verifying", async () => {
    await countingKeyEndpoint(async (url, fetches) => {
      const verifier = createAlbRequestVerifier(options({ albKeysEndpoint: url, keyFetchesPerMinute: 3 }));
      const headers = await goodHeaders();
      await verifier.verify(headers);
      const refusals = [];
      for (let attempt = 0; attempt < 20; attempt += 1) {
        refusals.push(await refusal(verifier.verify({ ...headers, "x-amzn-oidc-data": withKid(headers["x-amzn-oidc-data"]!, crypto.randomUUID()) })));
      }
      expect(fetches()).toBe(3);
      expect(refusals.slice(0, 2).map((error) => error.status)).toEqual([401, 401]);
      expect(refusals.slice(2).every((error) => error.reason === "key_endpoint_unavailable" && error.status === 503)).toBe(true);
      await expect(verifier.verify(headers)).resolves.toMatchObject({ identity: SUB });
    });
  });
});
