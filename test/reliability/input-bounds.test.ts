import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startReliabilityStack, type ReliabilityStack } from "./support/reliability-stack";

/**
 * Identifiers of any size reach the store only after a length check (DynamoDB keys stop at
 * 2048 bytes): over-long ones are answered with the protocol's own error — invalid_client,
 * invalid_grant, invalid_token at /oidc, 400 or "not found" in /api — never a 5xx.
 */

const client = { id: "demo-rp", secret: "local-demo-rp-secret-not-for-production-00000000", redirectUri: "http://localhost:4000/callback" };
const sizes = [2_049, 3_000, 10_000];
const long = (size: number) => "a".repeat(size);
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${encodeURIComponent(user)}:${encodeURIComponent(password)}`).toString("base64")}`;

describe("input bounds before storage", () => {
  let stack: ReliabilityStack;

  beforeAll(async () => {
    stack = await startReliabilityStack();
  });
  afterAll(() => stack.close());

  const form = (path: string, fields: Record<string, string>, headers: Record<string, string> = {}) =>
    fetch(new URL(path, stack.bff.url), {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json", ...headers },
      body: new URLSearchParams(fields),
    });

  async function protocolError(response: Response): Promise<{ status: number; error: string | undefined }> {
    const text = await response.text();
    const error = text.startsWith("{") ? (JSON.parse(text) as { error?: string }).error : undefined;
    return { status: response.status, error };
  }

  for (const size of sizes) {
    describe(`identifiers of ${size} characters`, () => {
      it("answers /oidc/token with a long client_id invalid_client", async () => {
        const answer = await protocolError(
          await form("/oidc/token", { grant_type: "authorization_code", code: "abc", redirect_uri: client.redirectUri, client_id: long(size), client_secret: "x" }),
        );
        expect(answer).toEqual({ status: 401, error: "invalid_client" });
      });

      it("answers /oidc/token with a long Basic user invalid_client", async () => {
        const answer = await protocolError(
          await form("/oidc/token", { grant_type: "authorization_code", code: "abc", redirect_uri: client.redirectUri }, { authorization: basic(long(size), "x") }),
        );
        expect(answer).toEqual({ status: 401, error: "invalid_client" });
      });

      it("answers /oidc/token with a long code or refresh token invalid_grant", async () => {
        const auth = { authorization: basic(client.id, client.secret) };
        const code = await protocolError(await form("/oidc/token", { grant_type: "authorization_code", code: long(size), redirect_uri: client.redirectUri }, auth));
        const refresh = await protocolError(await form("/oidc/token", { grant_type: "refresh_token", refresh_token: long(size) }, auth));
        expect(code).toEqual({ status: 400, error: "invalid_grant" });
        expect(refresh).toEqual({ status: 400, error: "invalid_grant" });
      });

      it("answers /oidc/token/revocation of a long token as of any unknown token (RFC 7009 §2.2)", async () => {
        const response = await form("/oidc/token/revocation", { token: long(size) }, { authorization: basic(client.id, client.secret) });
        expect(response.status).toBe(200);
      });

      it("answers /oidc/me with a long Bearer token invalid_token", async () => {
        const response = await fetch(new URL("/oidc/me", stack.bff.url), { headers: { authorization: `Bearer ${long(size)}`, accept: "application/json" } });
        expect(await protocolError(response)).toEqual({ status: 401, error: "invalid_token" });
      });

      it("answers /oidc/auth with a long client_id without a 5xx", async () => {
        const url = new URL("/oidc/auth", stack.bff.url);
        for (const [name, value] of Object.entries({ client_id: long(size), response_type: "code", scope: "openid", redirect_uri: client.redirectUri }))
          url.searchParams.set(name, value);
        const response = await fetch(url, { redirect: "manual" });
        // No redirect to an unverified client's redirect_uri: an error page (RFC 6749 §4.1.2.1).
        expect(response.status).toBe(400);
        expect(await response.text()).toContain("invalid_client");
      });

      it("answers /api calls naming long identifiers 400, 401 or 404, never a 5xx", async () => {
        const api = stack.client();
        const answers = await Promise.all([
          api.post("/api/signin", { email: `${long(size)}@example.com`, password: "x" }),
          api.post("/api/password/forgot", { email: `${long(size)}@example.com` }),
          api.post("/api/signin/passkey", {
            credential: { id: long(size), rawId: long(size), type: "public-key", response: { clientDataJSON: "e30", authenticatorData: "AA", signature: "AA" } },
          }),
          api.request("PATCH", `/api/passkeys/${long(size)}`, { name: "x" }),
          api.get("/api/session", { headers: { cookie: `tobira=${long(Math.min(size, 6_000))}; tobira.sig=${long(27)}` } }),
        ]);
        for (const answer of answers) {
          expect(answer.status, answer.text).toBeLessThan(500);
        }
        // 413 when the body itself is over the JSON limit (16 kB).
        for (const answer of answers.slice(0, 3)) expect([400, 413]).toContain(answer.status);
      });
    });
  }
});
