import { createHash } from "node:crypto";
import type { PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StepUpResponse } from "../../../common/api-contract";
import type { HttpClient } from "../../support/http-client";
import { startTestStack, type TestStack } from "../../support/stack";
import { errorOf, sessionCookiePayload, signedInClient, storedSession } from "../bff/flows";
import { ageFactorProof, ageSignIn, authenticatorFor, registerPasskey, userWithPasskey } from "./passkey-flows";

/**
 * Adding a passkey re-proves a factor (NIST SP 800-63B §6.1.2.1): the session's own sign-in or a
 * step-up with the password or an existing passkey, at most PASSKEY_STEP_UP_SECONDS ago
 * (docs/architecture.md, "Adding a passkey: the step-up").
 */

const stepUpWindow = 5 * 60;

async function stepUpOptions(client: HttpClient): Promise<PublicKeyCredentialRequestOptionsJSON> {
  const response = await client.post<PublicKeyCredentialRequestOptionsJSON>("/api/passkeys/step-up/options", {});
  expect(response.status, response.text).toBe(200);
  return response.body;
}

describe("the step-up before adding a passkey (POST /api/passkeys/step-up)", () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(() => stack.close());

  it("lets a fresh sign-in add a passkey at once: the sign-in itself proved the factor", async () => {
    const { client } = await signedInClient(stack);
    const registered = await registerPasskey(client, authenticatorFor(stack));
    expect(registered.status, registered.text).toBe(201);
  });

  it("refuses a recent session whose factor proof is older than the window with 403 step_up_required, at the options and at the registration", async () => {
    const { client } = await signedInClient(stack);
    // The options are taken while the proof is fresh: the registration itself must check again.
    const options = await client.post("/api/passkeys/options", {});
    expect(options.status).toBe(200);
    await ageFactorProof(stack, client, stepUpWindow + 1);
    // The sign-in is only seconds old: a recent session alone is not enough.
    const refusedOptions = await client.post("/api/passkeys/options", {});
    expect(refusedOptions.status).toBe(403);
    expect(refusedOptions.body).toMatchObject({ error: { code: "step_up_required", passkeyAvailable: false } });
    const refusedRegistration = await client.post("/api/passkeys", { credential: authenticatorFor(stack).register(options.body as never) });
    expect(refusedRegistration.status).toBe(403);
    expect(errorOf(refusedRegistration).code).toBe("step_up_required");
    expect((await client.get<unknown[]>("/api/passkeys")).body).toEqual([]);
  });

  it("refuses a session record that holds no factor proof at all (written before the step-up existed)", async () => {
    const { client } = await signedInClient(stack);
    const { factorProvedAt: _proof, ...withoutProof } = (await storedSession(stack, client))!;
    const sid = String(sessionCookiePayload(client)?.sid);
    await stack.store.put("session", createHash("sha256").update(sid).digest("base64url"), withoutProof, { ttlSeconds: 3600, index: withoutProof.sub });
    const refused = await client.post("/api/passkeys/options", {});
    expect(refused.status).toBe(403);
    expect(errorOf(refused).code).toBe("step_up_required");
  });

  it("accepts the right password as the step-up, after which the passkey is added", async () => {
    const { client, password } = await signedInClient(stack);
    await ageSignIn(stack, client, 3600);
    await ageFactorProof(stack, client, 3600);
    expect((await client.post("/api/passkeys/options", {})).status).toBe(403);

    const before = Math.floor(Date.now() / 1000);
    const stepUp = await client.post<StepUpResponse>("/api/passkeys/step-up", { password });
    expect(stepUp.status, stepUp.text).toBe(200);
    expect(stepUp.body.factorProvedUntil).toBeGreaterThanOrEqual(before + stepUpWindow);
    const registered = await registerPasskey(client, authenticatorFor(stack));
    expect(registered.status, registered.text).toBe(201);
  });

  it("refuses a wrong password with 400 invalid_credentials, and proves nothing", async () => {
    const { client, password } = await signedInClient(stack);
    await ageFactorProof(stack, client, stepUpWindow + 1);
    const wrong = await client.post("/api/passkeys/step-up", { password: `${password}x` });
    expect(wrong.status).toBe(400);
    expect(wrong.body).toMatchObject({ error: { code: "invalid_credentials", fields: { password: expect.any(String) } } });
    expect(errorOf(await client.post("/api/passkeys/options", {})).code).toBe("step_up_required");
  });

  it("moves the session to a new id at the step-up: a copy of the cookie taken before it gets neither the proof nor the session", async () => {
    const { client, password } = await signedInClient(stack);
    await ageFactorProof(stack, client, stepUpWindow + 1);
    const copy = client.fork();
    expect((await client.post("/api/passkeys/step-up", { password })).status).toBe(200);
    expect((await client.post("/api/passkeys/options", {})).status).toBe(200);
    const copied = await copy.post("/api/passkeys/options", {});
    expect(copied.status).toBe(401);
    expect(errorOf(copied).code).toBe("unauthenticated");
  });

  it("answers 401 unauthenticated to a step-up without a signed-in session", async () => {
    const response = await stack.client().post("/api/passkeys/step-up", { password: "Whatever-123" });
    expect(response.status).toBe(401);
    expect(errorOf(response).code).toBe("unauthenticated");
  });

  it("accepts an assertion of one of the user's passkeys as the step-up, after which another passkey is added", async () => {
    const { client, authenticator } = await userWithPasskey(stack);
    await ageFactorProof(stack, client, stepUpWindow + 1);
    const refused = await client.post("/api/passkeys/options", {});
    expect(refused.body).toMatchObject({ error: { code: "step_up_required", passkeyAvailable: true } });

    const options = await stepUpOptions(client);
    expect(options.userVerification).toBe("required");
    expect(options.allowCredentials?.map((allowed) => allowed.id)).toEqual([authenticator.credentials[0]!.id]);
    const stepUp = await client.post("/api/passkeys/step-up", { credential: authenticator.authenticate(options) });
    expect(stepUp.status, stepUp.text).toBe(200);
    const second = await registerPasskey(client, authenticatorFor(stack));
    expect(second.status, second.text).toBe(201);
  });

  it("spends the step-up challenge once: a replayed assertion is refused", async () => {
    const { client, authenticator } = await userWithPasskey(stack);
    const options = await stepUpOptions(client);
    const assertion = authenticator.authenticate(options);
    expect((await client.post("/api/passkeys/step-up", { credential: assertion })).status).toBe(200);
    await ageFactorProof(stack, client, stepUpWindow + 1);
    const replayed = await client.post("/api/passkeys/step-up", { credential: assertion });
    expect(replayed.status).toBe(400);
    expect(errorOf(replayed).code).toBe("passkey_rejected");
    expect(errorOf(await client.post("/api/passkeys/options", {})).code).toBe("step_up_required");
  });

  it("refuses another user's passkey as the step-up", async () => {
    const owner = await userWithPasskey(stack);
    const other = await userWithPasskey(stack);
    await ageFactorProof(stack, owner.client, stepUpWindow + 1);
    const options = await stepUpOptions(owner.client);
    const foreign = other.authenticator.authenticate(options, {}, other.authenticator.credentials[0]);
    const refused = await owner.client.post("/api/passkeys/step-up", { credential: foreign });
    expect(refused.status).toBe(400);
    expect(errorOf(refused).code).toBe("passkey_rejected");
    expect(errorOf(await owner.client.post("/api/passkeys/options", {})).code).toBe("step_up_required");
  });

  it("does not take a sign-in challenge as a step-up: the ceremonies keep separate challenges", async () => {
    const { client, authenticator } = await userWithPasskey(stack);
    await ageFactorProof(stack, client, stepUpWindow + 1);
    const signInOptions = await client.post<PublicKeyCredentialRequestOptionsJSON>("/api/signin/passkey/options", { purpose: "passkey-first" });
    expect(signInOptions.status).toBe(200);
    const refused = await client.post("/api/passkeys/step-up", { credential: authenticator.authenticate(signInOptions.body) });
    expect(refused.status).toBe(400);
    expect(errorOf(refused).code).toBe("passkey_rejected");
  });

  it("answers 400 bad_request to step-up options when the account has no passkey", async () => {
    const { client } = await signedInClient(stack);
    const response = await client.post("/api/passkeys/step-up/options", {});
    expect(response.status).toBe(400);
    expect(errorOf(response).code).toBe("bad_request");
  });

  it("answers 400 bad_request to a body with neither a password nor a credential", async () => {
    const { client } = await signedInClient(stack);
    const response = await client.post("/api/passkeys/step-up", {});
    expect(response.status).toBe(400);
    expect(errorOf(response).code).toBe("bad_request");
  });
});

describe("wrong step-up passwords and the per-account throttle", () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({
      configure: (config) => ({
        ...config,
        accountThrottle: {
          ...config.accountThrottle,
          password: {
            knownDevice: [{ limit: 2, windowSeconds: 600 }],
            network: [{ limit: 2, windowSeconds: 600 }],
            account: [{ limit: 2, windowSeconds: 600 }],
          },
        },
      }),
    });
  });
  afterAll(() => stack.close());

  it("counts a wrong step-up password as a failed sign-in: once the budget is spent, the step-up and the sign-in answer 429", async () => {
    const { client, email, password } = await signedInClient(stack);
    await ageFactorProof(stack, client, stepUpWindow + 1);
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const wrong = await client.post("/api/passkeys/step-up", { password: `${password}x` });
      expect(wrong.status).toBe(400);
    }
    const blocked = await client.post("/api/passkeys/step-up", { password });
    expect(blocked.status).toBe(429);
    expect(errorOf(blocked).code).toBe("rate_limited");
    // The same budget as the sign-in's, from this browser (a known device of the account).
    const signIn = await client.fork().post("/api/signin", { email, password });
    expect(signIn.status).toBe(429);
  });

  it("refunds the right password: it spends none of the budget", async () => {
    const { client, password } = await signedInClient(stack);
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const stepUp = await client.post("/api/passkeys/step-up", { password });
      expect(stepUp.status, stepUp.text).toBe(200);
    }
  });
});
