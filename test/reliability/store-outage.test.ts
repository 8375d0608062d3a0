import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectServiceUnavailable, signIn, signUpConfirmed, sleep, strongPassword, uniqueEmail } from "./support/flows";
import { startReliabilityStack, testDeadlines, timed, type ReliabilityStack } from "./support/reliability-stack";

/**
 * DynamoDB stopped and hung behind the fault proxy (docs/architecture.md, "Deadlines"): every
 * call that reads the store answers 503 service_unavailable with Retry-After within the store's
 * deadline — never a 500, never a hang — and the sessions are there again when the table is.
 */

const storeDeadlineMs = Number(testDeadlines.DYNAMODB_TIMEOUT_MS);
/** Time for a busy machine; the bound stays far below the API deadline (10 s), which must not be what answers. */
const slackMs = 3_000;

describe("DynamoDB outages", () => {
  let stack: ReliabilityStack;
  const demoClient = { id: "demo-rp", secret: "local-demo-rp-secret-not-for-production-00000000" };

  beforeAll(async () => {
    // The API deadline stays at its default (10 s): the store's own deadline must answer long before it.
    stack = await startReliabilityStack({ shortDeadlines: true });
  });
  afterAll(() => stack.close());

  /** Every kind of call that needs the table: session reads, guarded calls, the provider. */
  function storeCalls(signedIn: ReturnType<ReliabilityStack["client"]>) {
    return {
      session: () => signedIn.get("/api/session"),
      signIn: () => stack.client().post("/api/signin", { email: uniqueEmail(), password: strongPassword }),
      code: () => signedIn.post("/api/signin/otp", { code: "123456" }),
      // A copy of the cookies: the logout ends this browser's cookie whatever the table says.
      logout: () => signedIn.fork().post("/api/logout", {}),
      passkeyOptions: () => stack.client().post("/api/signin/passkey/options", {}),
    };
  }

  for (const fault of ["hang", "stop"] as const) {
    it(`answers every store-backed /api call 503 with Retry-After within the store's deadline while DynamoDB is ${fault === "hang" ? "hung" : "stopped"}, and keeps the session`, async () => {
      const email = await signUpConfirmed(stack);
      const client = stack.client();
      await signIn(stack, client, email);
      await stack.store[fault]();
      try {
        const results = await Promise.all(Object.values(storeCalls(client)).map((call) => timed(call)));
        for (const { value, ms } of results) {
          expectServiceUnavailable(value);
          expect(value.text).not.toMatch(/ECONNREFUSED|TimeoutError|127\.0\.0\.1|stack/);
          expect(ms).toBeLessThan(storeDeadlineMs + slackMs);
        }
      } finally {
        await stack.store.pass();
      }
      const session = await client.get("/api/session");
      expect(session.body).toMatchObject({ authenticated: true, user: { email } });
    });
  }

  it("answers the provider's token endpoint 503 temporarily_unavailable, not 500, while DynamoDB hangs", async () => {
    await stack.store.hang();
    try {
      const { value, ms } = await timed(() =>
        fetch(new URL("/oidc/token", stack.bff.url), {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded" },
          body: new URLSearchParams({
            grant_type: "authorization_code",
            code: "x".repeat(43),
            redirect_uri: "http://localhost:4000/callback",
            client_id: demoClient.id,
            client_secret: demoClient.secret,
          }),
        }),
      );
      expect(value.status).toBe(503);
      expect(await value.json()).toMatchObject({ error: "temporarily_unavailable" });
      expect(ms).toBeLessThan(storeDeadlineMs + slackMs);
    } finally {
      await stack.store.pass();
    }
  });

  it("answers /readyz 503 naming the store while DynamoDB is stopped", async () => {
    await stack.store.stop();
    try {
      const response = await stack.client().get("/readyz");
      expect(response.status).toBe(503);
      expect(response.body).toMatchObject({ checks: { store: "unavailable" } });
    } finally {
      await stack.store.pass();
    }
  });
});

describe("a signed-in session read on a slow table", () => {
  let stack: ReliabilityStack;
  const apiDeadlineMs = 2_500;
  /** Each store call waits this long each way behind the fault proxy: about 1.4 s a call, under the store's deadline. */
  const delayMs = 700;

  beforeAll(async () => {
    // An idle timeout of 8 s: the session's activity is written again at most every 2 s.
    stack = await startReliabilityStack({ env: { DYNAMODB_TIMEOUT_MS: "3000", API_TIMEOUT_MS: String(apiDeadlineMs), SESSION_IDLE_TIMEOUT_SECONDS: "8" } });
  });
  afterAll(() => stack.close());

  it("ends at the API deadline with 503 when its store calls in a row (the session, then its activity) do not fit in it", async () => {
    const email = await signUpConfirmed(stack);
    const client = stack.client();
    await signIn(stack, client, email);
    // Past the activity's resolution: this read writes the activity after reading the session.
    await sleep(2_100);
    await stack.store.slow(delayMs);
    try {
      const { value, ms } = await timed(() => client.get("/api/session"));
      expectServiceUnavailable(value);
      expect(ms).toBeGreaterThanOrEqual(apiDeadlineMs - 50);
      expect(ms).toBeLessThan(apiDeadlineMs + 2 * delayMs);
    } finally {
      await stack.store.pass();
    }
    expect((await client.get("/api/session")).body).toMatchObject({ authenticated: true, user: { email } });
  });
});
