import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_PASSKEYS_PER_USER } from "../../../bff/passkeys/passkey-management";
import type { Passkey } from "../../../common/api-contract";
import { startTestStack, type TestStack } from "../../support/stack";
import { errorOf } from "../bff/flows";
import { ageFactorProof, authenticatorFor, passwordStepToChoice, registerPasskey, registrationOptions, userWithPasskey } from "./passkey-flows";

describe("passkey management (GET /api/passkeys, PATCH and DELETE /api/passkeys/:id)", () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(() => stack.close());

  it("answers 401 unauthenticated to a client that is not signed in", async () => {
    const response = await stack.client().get("/api/passkeys");
    expect(response.status).toBe(401);
    expect(errorOf(response).code).toBe("unauthenticated");
  });

  it("lists only the signed-in user's passkeys, without key material", async () => {
    const { client, passkey } = await userWithPasskey(stack);
    await userWithPasskey(stack);
    const list = await client.get<Passkey[]>("/api/passkeys");
    expect(list.body).toEqual([passkey]);
    expect(Object.keys(list.body[0]!).sort()).toEqual([
      "attachment",
      "backedUp",
      "createdAt",
      "deviceType",
      "id",
      "lastUsedAt",
      "name",
      "needsConfirmation",
      "provider",
      "transports",
    ]);
  });

  it("renames a passkey", async () => {
    const { client, passkey } = await userWithPasskey(stack);
    const renamed = await client.request<Passkey>("PATCH", `/api/passkeys/${passkey.id}`, { name: "  Phone  " });
    expect(renamed.status, renamed.text).toBe(200);
    expect(renamed.body).toEqual({ ...passkey, name: "Phone" });
    expect((await client.get<Passkey[]>("/api/passkeys")).body[0]?.name).toBe("Phone");
  });

  it("refuses an empty name with 400 bad_request", async () => {
    const { client, passkey } = await userWithPasskey(stack);
    const renamed = await client.request("PATCH", `/api/passkeys/${passkey.id}`, { name: "   " });
    expect(renamed.status).toBe(400);
    expect(errorOf(renamed).code).toBe("bad_request");
  });

  it("deletes a passkey; the user then gets the code without a choice", async () => {
    const { client, email, passkey } = await userWithPasskey(stack);
    expect((await client.delete(`/api/passkeys/${passkey.id}`)).status).toBe(204);
    expect((await client.get<Passkey[]>("/api/passkeys")).body).toEqual([]);
    const signIn = await stack.client().post("/api/signin", { email, password: "Correct-Horse-9" });
    expect(signIn.body).toMatchObject({ next: "otp" });
  });

  it("answers 404 for another user's passkey, to rename and to delete, and leaves it alone", async () => {
    const owner = await userWithPasskey(stack);
    const other = await userWithPasskey(stack);
    const rename = await other.client.request("PATCH", `/api/passkeys/${owner.passkey.id}`, { name: "Mine now" });
    const remove = await other.client.delete(`/api/passkeys/${owner.passkey.id}`);
    expect([rename.status, remove.status]).toEqual([404, 404]);
    expect((await owner.client.get<Passkey[]>("/api/passkeys")).body).toEqual([owner.passkey]);
  });

  it("asks for a step-up before deleting a passkey once the session's factor proof is old, and keeps it (a recent session is not enough)", async () => {
    const { client, passkey } = await userWithPasskey(stack);
    await ageFactorProof(stack, client, stack.config.passkeys.stepUpWindowSeconds + 1);
    const refused = await client.request("DELETE", `/api/passkeys/${passkey.id}`, {});
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ error: { code: "step_up_required", passkeyAvailable: true } });
    expect((await client.get<Passkey[]>("/api/passkeys")).body).toHaveLength(1);
  });

  it("deletes a passkey after a step-up with the password", async () => {
    const { client, passkey, password } = await userWithPasskey(stack);
    await ageFactorProof(stack, client, stack.config.passkeys.stepUpWindowSeconds + 1);
    expect((await client.post("/api/passkeys/step-up", { password })).status).toBe(200);
    expect((await client.delete(`/api/passkeys/${passkey.id}`)).status).toBe(204);
    expect((await client.get<Passkey[]>("/api/passkeys")).body).toEqual([]);
  });

  it(`refuses a passkey beyond ${MAX_PASSKEYS_PER_USER} per account with 409 limit_exceeded, at the options and at the registration`, async () => {
    const { client, email, password } = await userWithPasskey(stack);
    // A second browser of the same user takes options while there is still room: the registration itself must count too.
    const second = await passwordStepToChoice(stack, email, password);
    expect((await second.post("/api/signin/otp/send", {})).status).toBe(200);
    expect((await second.post("/api/signin/otp", { code: await stack.latestCode(email) })).status).toBe(200);
    const lateOptions = await registrationOptions(second);
    for (let added = 1; added < MAX_PASSKEYS_PER_USER; added += 1) {
      const registered = await registerPasskey(client, authenticatorFor(stack));
      expect(registered.status, registered.text).toBe(201);
    }
    const refusedOptions = await client.post("/api/passkeys/options", {});
    expect(refusedOptions.status).toBe(409);
    expect(errorOf(refusedOptions).code).toBe("limit_exceeded");
    const refused = await second.post("/api/passkeys", { credential: authenticatorFor(stack).register(lateOptions) });
    expect(refused.status).toBe(409);
    expect((await client.get<Passkey[]>("/api/passkeys")).body).toHaveLength(MAX_PASSKEYS_PER_USER);
  }, 60_000);
});
