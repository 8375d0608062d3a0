import type { AuthenticationResponseJSON } from "@simplewebauthn/server";
import { describe, expect, it, vi } from "vitest";
import { PasskeyRejectedError } from "../../../bff/passkeys/passkey-errors";
import type { StoredPasskey } from "../../../bff/passkeys/passkey-store";
import type { RelyingParty } from "../../../bff/passkeys/relying-party";

/**
 * The BFF fails closed on every outcome of SimpleWebAuthn that is not a verified ceremony, also
 * the ones its real checks do not produce for our test authenticator: `verified: false` and a
 * thrown value that is not an Error.
 */

const library = vi.hoisted(() => ({ outcome: (): unknown => ({ verified: false }) }));
vi.mock("@simplewebauthn/server", async (importOriginal) => ({
  ...(await importOriginal<typeof import("@simplewebauthn/server")>()),
  verifyRegistrationResponse: async () => library.outcome(),
  verifyAuthenticationResponse: async () => library.outcome(),
}));

const { verifyPasskeyRegistration } = await import("../../../bff/passkeys/verify-registration");
const { verifyPasskeyAuthentication } = await import("../../../bff/passkeys/verify-authentication");

const rp: RelyingParty = { id: "localhost", name: "Tobira", origins: ["http://localhost:3000"], timeoutMs: 300_000, challengeTtlSeconds: 300, stepUpWindowSeconds: 300 };
const registrationResponse = {
  id: "Y3JlZA",
  rawId: "Y3JlZA",
  type: "public-key",
  response: { clientDataJSON: "e30", attestationObject: "oA" },
  clientExtensionResults: {},
};
const assertionResponse = {
  id: "Y3JlZA",
  rawId: "Y3JlZA",
  type: "public-key",
  response: { clientDataJSON: "e30", authenticatorData: "AA", signature: "AA" },
  clientExtensionResults: {},
} as AuthenticationResponseJSON;
const passkey = { credentialId: "Y3JlZA", publicKey: "pQ", counter: 0, transports: [], userHandle: "aA" } as unknown as StoredPasskey;

async function reasonOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(PasskeyRejectedError);
  return (error as PasskeyRejectedError).reason;
}

const register = () => verifyPasskeyRegistration({ rp, credential: registrationResponse, expectedChallenge: "Y2hhbGxlbmdl" });
const authenticate = () => verifyPasskeyAuthentication({ rp, response: assertionResponse, expectedChallenge: "Y2hhbGxlbmdl", passkey });

describe("SimpleWebAuthn outcomes that are not a verified ceremony", () => {
  it("refuses a registration the library reports as not verified", async () => {
    library.outcome = () => ({ verified: false });
    expect(await reasonOf(register())).toBe("registration: not verified");
  });

  it("refuses an assertion the library reports as not verified", async () => {
    library.outcome = () => ({ verified: false });
    expect(await reasonOf(authenticate())).toBe("authentication: signature not verified");
  });

  it("refuses a registration when the library throws something that is not an Error, with a reason for the log", async () => {
    library.outcome = () => {
      throw "unexpected";
    };
    expect(await reasonOf(register())).toBe("registration: unreadable response");
  });

  it("refuses an assertion when the library throws something that is not an Error, with a reason for the log", async () => {
    library.outcome = () => {
      throw "unexpected";
    };
    expect(await reasonOf(authenticate())).toBe("authentication: unreadable response");
  });
});
