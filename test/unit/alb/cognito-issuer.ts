import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { SignJWT, exportJWK, generateKeyPair, type JWTPayload } from "jose";

/**
 * A minimal Cognito stand-in for verifier tests: an RS256 key published as a JWKS at
 * `<issuer>/.well-known/jwks.json` on 127.0.0.1 (port 0), and Cognito-shaped access tokens
 * (Cognito DG, "Understanding the access token").
 */
export interface TestCognitoIssuer {
  issuer: string;
  jwksUri: string;
  kid: string;
  accessToken(claims?: Record<string, unknown>, options?: { expiresIn?: number | null; signWithOtherKey?: boolean }): Promise<string>;
  close(): Promise<void>;
}

export async function startTestCognitoIssuer(options: { poolId: string; clientId: string; sub: string }): Promise<TestCognitoIssuer> {
  const kid = "test-access-key-1";
  const { privateKey, publicKey } = await generateKeyPair("RS256");
  const other = await generateKeyPair("RS256");
  const jwks = { keys: [{ ...(await exportJWK(publicKey)), kid, alg: "RS256", use: "sig" }] };

  const server = createServer((req, res) => {
    if (req.url === `/${options.poolId}/.well-known/jwks.json`) {
      res.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify(jwks));
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const issuer = `http://127.0.0.1:${port}/${options.poolId}`;

  return {
    issuer,
    jwksUri: `${issuer}/.well-known/jwks.json`,
    kid,
    async accessToken(claims = {}, { expiresIn = 3600, signWithOtherKey = false } = {}) {
      const now = Math.floor(Date.now() / 1000);
      const payload: JWTPayload = {
        sub: options.sub,
        iss: issuer,
        client_id: options.clientId,
        origin_jti: "2f6a0c2e-6f6e-4a57-9b53-3b0f1a1a0001",
        event_id: "0b7f6a53-6a2f-4f0a-8a55-1f4c6c1a0002",
        token_use: "access",
        scope: "openid email",
        auth_time: now - 10,
        iat: now - 10,
        jti: "6c7a1f0e-2d35-4f4b-9d0a-7c1b2a3d0003",
        username: options.sub,
        ...(expiresIn === null ? {} : { exp: now + expiresIn }),
        ...claims,
      };
      return new SignJWT(payload).setProtectedHeader({ alg: "RS256", kid }).sign(signWithOtherKey ? other.privateKey : privateKey);
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
