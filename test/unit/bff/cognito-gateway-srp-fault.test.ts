import type { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import { describe, expect, it, vi } from "vitest";
import { createCognitoGateway } from "../../../bff/cognito/cognito-gateway";
import { loadBffConfig } from "../../../bff/config";
import { createLogger } from "../../../bff/logger";

/**
 * The password step tells the user to start again only when Cognito's SRP values are unusable
 * (SrpProtocolError). Any other failure while computing the claim is a fault in the BFF itself:
 * it must surface as an internal error (500, logged as a fault), not be disguised as a failed
 * round. The SRP client is replaced here by one that fails the way a bug would.
 */
vi.mock("../../../bff/cognito/srp-client", async (importOriginal) => ({
  ...(await importOriginal<typeof import("../../../bff/cognito/srp-client")>()),
  passwordClaim: () => {
    throw new TypeError("Cannot read properties of undefined");
  },
}));

describe("a fault in the BFF's own SRP code at the password step", () => {
  it("answers 500 internal_error and sends no PASSWORD_VERIFIER answer, instead of asking the user to start again", async () => {
    const sent: string[] = [];
    const client = {
      async send(command: { constructor: { name: string } }) {
        sent.push(command.constructor.name);
        return {
          ChallengeName: "PASSWORD_VERIFIER",
          Session: "s-1",
          ChallengeParameters: { SALT: "a1b2", SRP_B: "7f".repeat(384), SECRET_BLOCK: "c2VjcmV0", USER_ID_FOR_SRP: "u-1", USERNAME: "u-1" },
        };
      },
    } as unknown as CognitoIdentityProviderClient;
    const gateway = createCognitoGateway({ client, settings: loadBffConfig({}).cognito, logger: createLogger("silent") });

    await expect(gateway.startCustomAuthWithPassword({ email: "alice@example.com", password: "Correct-Horse-9" })).rejects.toMatchObject({
      status: 500,
      code: "internal_error",
    });
    expect(sent).toEqual(["InitiateAuthCommand"]);
  });
});
