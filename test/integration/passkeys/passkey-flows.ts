import { createHash } from "node:crypto";
import type { PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/server";
import { expect } from "vitest";
import { challengeKind } from "../../../bff/passkeys/challenge-store";
import type { AuthenticatedSession } from "../../../bff/session/session-records";
import type { Passkey } from "../../../common/api-contract";
import type { HttpClient, HttpResponse } from "../../support/http-client";
import { SoftwareAuthenticator, type CeremonyOverrides } from "../../support/software-authenticator";
import type { TestStack } from "../../support/stack";
import { sessionCookiePayload, signedInClient, storedSession, strongPassword } from "../bff/flows";

/** Shared steps of the passkey integration tests (not a test file). */

export function authenticatorFor(stack: TestStack): SoftwareAuthenticator {
  return new SoftwareAuthenticator(new URL(stack.config.publicUrl).origin);
}

export async function registrationOptions(client: HttpClient): Promise<PublicKeyCredentialCreationOptionsJSON> {
  const response = await client.post<PublicKeyCredentialCreationOptionsJSON>("/api/passkeys/options", {});
  expect(response.status, response.text).toBe(200);
  return response.body;
}

/** Registers a passkey for a signed-in client; returns the BFF's answer. */
export async function registerPasskey(
  client: HttpClient,
  authenticator: SoftwareAuthenticator,
  overrides: CeremonyOverrides = {},
  name?: string,
): Promise<HttpResponse<Passkey>> {
  const options = await registrationOptions(client);
  return client.post<Passkey>("/api/passkeys", { credential: authenticator.register(options, overrides), ...(name ? { name } : {}) });
}

/** A signed-in user (password + code) with one registered passkey. */
export async function userWithPasskey(stack: TestStack, overrides: CeremonyOverrides = {}) {
  const user = await signedInClient(stack);
  const authenticator = authenticatorFor(stack);
  const registered = await registerPasskey(user.client, authenticator, overrides);
  expect(registered.status, registered.text).toBe(201);
  return { ...user, authenticator, passkey: registered.body };
}

/** Password step for a user with a passkey: answers the choice and sends no code. */
export async function passwordStepToChoice(stack: TestStack, email: string, password = strongPassword): Promise<HttpClient> {
  const client = stack.client();
  const response = await client.post("/api/signin", { email, password });
  expect(response.status, response.text).toBe(200);
  expect(response.body).toEqual({ next: "choose", methods: ["passkey", "otp"] });
  return client;
}

export async function signInOptions(client: HttpClient): Promise<PublicKeyCredentialRequestOptionsJSON> {
  const response = await client.post<PublicKeyCredentialRequestOptionsJSON>("/api/signin/passkey/options", {});
  expect(response.status, response.text).toBe(200);
  return response.body;
}

/** Moves the challenge this client holds past its expiry (as if its TTL had run out). */
export async function expireHeldChallenge(stack: TestStack, client: HttpClient, field: "passkeySignIn" | "passkeyRegistration"): Promise<void> {
  const handle = sessionCookiePayload(client)?.[field];
  if (typeof handle !== "string") throw new Error(`the client holds no ${field} challenge`);
  const record = await stack.store.get(challengeKind, handle);
  expect(record).toBeDefined();
  await stack.store.put(challengeKind, handle, record, { ttlSeconds: -1 });
}

function storeKeyOf(client: HttpClient): string {
  const sid = sessionCookiePayload(client)?.sid;
  if (typeof sid !== "string") throw new Error("the client has no session id");
  return createHash("sha256").update(sid).digest("base64url");
}

/** Deletes the client's pending sign-in (as if it had timed out). */
export async function dropPendingSignIn(stack: TestStack, client: HttpClient): Promise<void> {
  await stack.store.delete("signin", storeKeyOf(client));
}

/** Makes a client's signed-in session look as if the sign-in happened `seconds` ago. */
export async function ageSignIn(stack: TestStack, client: HttpClient, seconds: number): Promise<void> {
  const session = await storedSession<AuthenticatedSession>(stack, client);
  if (session === undefined) throw new Error("the client is not signed in");
  await stack.store.put("session", storeKeyOf(client), { ...session, authTime: session.authTime - seconds }, { ttlSeconds: 3600, index: session.sub });
}

/** Makes a client's last factor proof (its sign-in, or a step-up) look `seconds` old; the sign-in time stays. */
export async function ageFactorProof(stack: TestStack, client: HttpClient, seconds: number): Promise<void> {
  const session = await storedSession<AuthenticatedSession>(stack, client);
  if (session === undefined) throw new Error("the client is not signed in");
  if (session.factorProvedAt === undefined) throw new Error("the session holds no factor proof");
  await stack.store.put("session", storeKeyOf(client), { ...session, factorProvedAt: session.factorProvedAt - seconds }, { ttlSeconds: 3600, index: session.sub });
}
