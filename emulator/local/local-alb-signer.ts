import { generateKeyPairSync, randomUUID, sign, type KeyObject } from "node:crypto";
import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A stand-in for the ALB's signing of `x-amzn-oidc-data`, for tests and the local ALB proxy:
 * an ECDSA P-256 key with a UUID key id, tokens shaped as the ALB shapes them, and a key server
 * that answers `GET /<kid>` with the PEM public key as `https://public-keys.auth.elb.<region>
 * .amazonaws.com/<kid>` does (AWS ELB guide, "User claims encoding and signature verification").
 */

/** The user claims the ALB copies from the IdP's userInfo answer (Cognito sends email_verified as a string). */
export type AlbUserClaims = { sub: string } & Record<string, unknown>;

export interface AlbSignOverrides {
  /** `signer` header (default: the signer's ALB ARN). */
  signer?: string;
  /** `client` header (default: the signer's app client). */
  client?: string;
  /** `iss`, in header and payload (default: the signer's issuer). */
  iss?: string;
  /** `exp` in seconds since the epoch, in header and payload (default: now + ttlSeconds). */
  exp?: number;
}

export interface LocalAlbSignerOptions {
  /** The load balancer ARN put in `signer`. */
  albArn: string;
  /** The app client put in `client`. */
  clientId: string;
  /** The IdP's issuer put in `iss` (for Cognito, the pool's issuer URL). */
  issuer: string;
  /** Key id (default: a random UUID; aws-jwt-verify accepts only UUIDs, as the ALB uses). */
  kid?: string;
  /** Token lifetime; the ALB signs a fresh, short-lived token for each forwarded request. */
  ttlSeconds?: number;
  /** Clock in milliseconds (tests). */
  now?: () => number;
}

export interface LocalAlbSigner {
  readonly kid: string;
  /** SPKI PEM, as the ALB key endpoint serves it. */
  readonly publicKeyPem: string;
  /** An `x-amzn-oidc-data` value for these user claims. */
  sign(claims: AlbUserClaims, overrides?: AlbSignOverrides): string;
}

/**
 * Base64url as the ALB writes it: URL-safe alphabet but WITH "=" padding (the ELB guide said so
 * explicitly; RFC 7515 §2 forbids the padding, which is why generic JWT libraries reject ALB
 * tokens). Reproduced on purpose so tests exercise the verifier on real-shaped tokens.
 */
function base64UrlPadded(data: Buffer | string): string {
  const unpadded = Buffer.from(data).toString("base64url");
  return unpadded + "=".repeat((4 - (unpadded.length % 4)) % 4);
}

export function createLocalAlbSigner(options: LocalAlbSignerOptions): LocalAlbSigner {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const kid = options.kid ?? randomUUID();
  const ttlSeconds = options.ttlSeconds ?? 120;
  const now = options.now ?? Date.now;
  const key: KeyObject = privateKey;

  return {
    kid,
    publicKeyPem: publicKey.export({ type: "spki", format: "pem" }).toString(),
    sign(claims, overrides = {}) {
      const exp = overrides.exp ?? Math.floor(now() / 1000) + ttlSeconds;
      const iss = overrides.iss ?? options.issuer;
      // Header fields as the ALB sends them: the signer ARN and client sit in the header, not the payload.
      const header = { typ: "JWT", kid, alg: "ES256", iss, client: overrides.client ?? options.clientId, signer: overrides.signer ?? options.albArn, exp };
      const payload = { ...claims, exp, iss };
      const signingInput = `${base64UrlPadded(JSON.stringify(header))}.${base64UrlPadded(JSON.stringify(payload))}`;
      // JWS ES256 signatures are r || s, 64 bytes (RFC 7518 §3.4), not DER.
      const signature = sign("sha256", Buffer.from(signingInput), { key, dsaEncoding: "ieee-p1363" });
      return `${signingInput}.${base64UrlPadded(signature)}`;
    },
  };
}

export interface AlbKeyServer {
  /** Base URL to use as the verifier's `albKeysEndpoint`: keys are at `<url>/<kid>`. */
  readonly url: string;
  readonly port: number;
  /** Publishes another key (rotation). */
  publish(key: { kid: string; publicKeyPem: string }): void;
  close(): Promise<void>;
}

export interface AlbKeyServerOptions {
  keys?: Iterable<{ kid: string; publicKeyPem: string }>;
  /** Default 127.0.0.1 (never exposed beyond this machine). */
  host?: string;
  /** Default 0: any free port. */
  port?: number;
}

/** Serves public keys as PEM at `GET /<kid>`; unknown kids get 404, other methods 405. */
export async function startAlbKeyServer(options: AlbKeyServerOptions = {}): Promise<AlbKeyServer> {
  const keys = new Map<string, string>();
  for (const key of options.keys ?? []) keys.set(key.kid, key.publicKeyPem);

  const server: Server = createServer((req, res) => {
    res.setHeader("Cache-Control", "no-store");
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { Allow: "GET, HEAD" }).end();
      return;
    }
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    let kid: string;
    try {
      kid = decodeURIComponent(path.slice(1));
    } catch {
      kid = "";
    }
    const pem = keys.get(kid);
    if (pem === undefined) {
      res.writeHead(404, { "Content-Type": "text/plain; charset=utf-8" }).end("not found\n");
      return;
    }
    res.writeHead(200, { "Content-Type": "application/x-pem-file" }).end(req.method === "HEAD" ? undefined : pem);
  });

  const host = options.host ?? "127.0.0.1";
  // events.once rejects if the server emits "error" first (a port in use).
  server.listen(options.port ?? 0, host);
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(":") ? `[${host}]` : host;

  return {
    url: `http://${urlHost}:${port}`,
    port,
    publish(key) {
      keys.set(key.kid, key.publicKeyPem);
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
