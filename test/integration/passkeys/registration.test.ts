import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Passkey } from "../../../common/api-contract";
import { startTestStack, type TestStack } from "../../support/stack";
import { errorOf, signedInClient } from "../bff/flows";
import { ageFactorProof, ageSignIn, authenticatorFor, expireHeldChallenge, registerPasskey, registrationOptions } from "./passkey-flows";

describe("passkey registration (POST /api/passkeys/options, POST /api/passkeys)", () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(() => stack.close());

  it("offers creation options for a discoverable, user-verified ES256/RS256 credential without attestation", async () => {
    const { client, email } = await signedInClient(stack);
    const options = await registrationOptions(client);
    expect(options.rp).toEqual({ id: "127.0.0.1", name: "Tobira" });
    expect(options.user.name).toBe(email);
    expect(options.user.name).not.toBe(options.user.id);
    expect(options.authenticatorSelection).toMatchObject({ residentKey: "required", requireResidentKey: true, userVerification: "required" });
    expect(options.attestation).toBe("none");
    expect(options.pubKeyCredParams.map((param) => param.alg)).toEqual([-7, -257]);
    expect(options.excludeCredentials).toEqual([]);
  });

  it("registers a passkey and lists it with its name, device type and dates", async () => {
    const { client } = await signedInClient(stack);
    const registered = await registerPasskey(client, authenticatorFor(stack), {}, "Work laptop");
    expect(registered.status, registered.text).toBe(201);
    expect(registered.body).toMatchObject({ name: "Work laptop", deviceType: "singleDevice", backedUp: false, lastUsedAt: null, transports: ["internal"] });
    const list = await client.get<Passkey[]>("/api/passkeys");
    expect(list.body).toEqual([registered.body]);
  });

  it("records a synced passkey as multiDevice and backed up, with a default name", async () => {
    const { client } = await signedInClient(stack);
    const registered = await registerPasskey(client, authenticatorFor(stack), { synced: true });
    expect(registered.status, registered.text).toBe(201);
    expect(registered.body).toMatchObject({ name: "Synced passkey", deviceType: "multiDevice", backedUp: true });
  });

  it("excludes the user's existing credentials from new creation options", async () => {
    const { client } = await signedInClient(stack);
    const registered = await registerPasskey(client, authenticatorFor(stack));
    const options = await registrationOptions(client);
    expect(options.excludeCredentials).toEqual([{ id: registered.body.id, type: "public-key", transports: ["internal"] }]);
  });

  it("answers 403 step_up_required when the session proved its factor longer ago than the window (step-up.test.ts has the rest)", async () => {
    const { client } = await signedInClient(stack);
    await ageSignIn(stack, client, 11 * 60);
    await ageFactorProof(stack, client, 11 * 60);
    const options = await client.post("/api/passkeys/options", {});
    expect(options.status).toBe(403);
    expect(errorOf(options).code).toBe("step_up_required");
  });

  it("answers 401 unauthenticated without a signed-in session", async () => {
    const options = await stack.client().post("/api/passkeys/options", {});
    expect(options.status).toBe(401);
    expect(errorOf(options).code).toBe("unauthenticated");
  });

  async function rejected(overrides: Parameters<typeof registerPasskey>[2]) {
    const { client } = await signedInClient(stack);
    const response = await registerPasskey(client, authenticatorFor(stack), overrides);
    expect(response.status, response.text).toBe(400);
    expect(errorOf(response).code).toBe("passkey_rejected");
    expect((await client.get<Passkey[]>("/api/passkeys")).body).toEqual([]);
    return errorOf(response);
  }

  it("rejects a credential created for another origin", async () => {
    await rejected({ origin: "https://evil.example" });
  });

  it("rejects a credential scoped to another RP ID", async () => {
    await rejected({ rpId: "evil.example" });
  });

  it("rejects a credential created without user verification", async () => {
    await rejected({ userVerified: false });
  });

  it("rejects a credential signed over another challenge", async () => {
    await rejected({ challenge: Buffer.from("not the issued challenge").toString("base64url") });
  });

  it("rejects a replayed registration response (the challenge is single-use)", async () => {
    const { client } = await signedInClient(stack);
    const options = await registrationOptions(client);
    const credential = authenticatorFor(stack).register(options);
    expect((await client.post("/api/passkeys", { credential })).status).toBe(201);
    const replay = await client.post("/api/passkeys", { credential });
    expect(replay.status).toBe(400);
    expect(errorOf(replay)).toMatchObject({ code: "passkey_rejected", message: expect.stringMatching(/expired|already used/) });
  });

  it("rejects a registration whose challenge has expired", async () => {
    const { client } = await signedInClient(stack);
    const options = await registrationOptions(client);
    await expireHeldChallenge(stack, client, "passkeyRegistration");
    const response = await client.post("/api/passkeys", { credential: authenticatorFor(stack).register(options) });
    expect(response.status).toBe(400);
    expect(errorOf(response).code).toBe("passkey_rejected");
  });

  it("rejects a malformed registration response with passkey_rejected, not a 500", async () => {
    const { client } = await signedInClient(stack);
    const options = await registrationOptions(client);
    const credential = authenticatorFor(stack).register(options);
    const response = await client.post("/api/passkeys", {
      credential: { ...credential, response: { ...credential.response, attestationObject: "bm90IGNib3I" } },
    });
    expect(response.status).toBe(400);
    expect(errorOf(response)).toMatchObject({ code: "passkey_rejected", message: expect.any(String) });
  });
});
