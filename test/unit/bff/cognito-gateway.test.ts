import {
  CodeDeliveryFailureException,
  InvalidParameterException,
  LimitExceededException,
  NotAuthorizedException,
  UserNotConfirmedException,
  UserNotFoundException,
  UsernameExistsException,
  type CognitoIdentityProviderClient,
} from "@aws-sdk/client-cognito-identity-provider";
import { describe, expect, it } from "vitest";
import { createCognitoGateway, maskEmailAddress } from "../../../bff/cognito/cognito-gateway";
import { loadBffConfig } from "../../../bff/config";
import { ApiError } from "../../../bff/errors";
import { createLogger } from "../../../bff/logger";

/**
 * The gateway's own decisions, with the SDK client replaced by one that answers what each test
 * needs: the fallbacks that hide whether an account exists (resend and forgot-password answer an
 * unknown email like a known one, as Cognito's PreventUserExistenceErrors=ENABLED does — OWASP
 * Authentication Cheat Sheet, "Authentication and Error Messages"), and the answers it refuses.
 */

const settings = loadBffConfig({}).cognito;

function gatewayAnswering(answer: (command: { constructor: { name: string }; input: Record<string, unknown> }) => unknown) {
  const sent: { name: string; input: Record<string, unknown> }[] = [];
  const client = {
    async send(command: { constructor: { name: string }; input: Record<string, unknown> }) {
      sent.push({ name: command.constructor.name, input: command.input });
      const result = answer(command);
      if (result instanceof Error) throw result;
      return result;
    },
  } as unknown as CognitoIdentityProviderClient;
  return { gateway: createCognitoGateway({ client, settings, logger: createLogger("silent") }), sent };
}

const userNotFound = () => new UserNotFoundException({ message: "Username/client id combination not found.", $metadata: { httpStatusCode: 400 } });
const email = "alice@example.com";
/** The failed round as the user sees it: start again, in words (exposed), not a generic 502. */
const startAgain = { status: 502, code: "challenge_failed", expose: true, message: "Sign-in could not be completed. Start again." };
const maskedEmail = { medium: "EMAIL", destination: "a***@e***" };

describe("hiding whether an account exists", () => {
  it("resend: an unknown email gets the same answer as a known one (a masked email delivery)", async () => {
    const unknown = gatewayAnswering(() => userNotFound());
    const known = gatewayAnswering(() => ({ CodeDeliveryDetails: { DeliveryMedium: "EMAIL", Destination: "a***@e***", AttributeName: "email" } }));

    expect(await unknown.gateway.resendConfirmationCode({ email })).toEqual(maskedEmail);
    expect(await known.gateway.resendConfirmationCode({ email })).toEqual(maskedEmail);
  });

  it("forgot-password: an unknown email gets the same answer as a known one (a masked email delivery)", async () => {
    const unknown = gatewayAnswering(() => userNotFound());
    const known = gatewayAnswering(() => ({ CodeDeliveryDetails: { DeliveryMedium: "EMAIL", Destination: "a***@e***", AttributeName: "email" } }));

    expect(await unknown.gateway.forgotPassword({ email })).toEqual(maskedEmail);
    expect(await known.gateway.forgotPassword({ email })).toEqual(maskedEmail);
  });

  it("resend and forgot-password still report other failures (throttling, delivery) instead of hiding them", async () => {
    const throttled = gatewayAnswering(() => new LimitExceededException({ message: "Attempt limit exceeded", $metadata: { httpStatusCode: 400 } }));
    await expect(throttled.gateway.resendConfirmationCode({ email })).rejects.toMatchObject({ status: 429, code: "limit_exceeded" });
    await expect(throttled.gateway.forgotPassword({ email })).rejects.toMatchObject({ status: 429, code: "limit_exceeded" });

    const undeliverable = gatewayAnswering(() => new CodeDeliveryFailureException({ message: "SES said no", $metadata: { httpStatusCode: 400 } }));
    await expect(undeliverable.gateway.forgotPassword({ email })).rejects.toMatchObject({ status: 502, code: "delivery_failed" });
  });

  it("sends the email as the username with its SECRET_HASH", async () => {
    const { gateway, sent } = gatewayAnswering(() => ({}));
    await gateway.forgotPassword({ email });
    expect(sent).toEqual([{ name: "ForgotPasswordCommand", input: { ClientId: settings.clientId, SecretHash: expect.any(String), Username: email } }]);
  });

  it("masks an address as Cognito does: the first letters, nothing of the top-level domain", () => {
    expect(maskEmailAddress("alice@example.com")).toBe("a***@e***");
    expect(maskEmailAddress("bob@localhost")).toBe("b***@l***");
    expect(maskEmailAddress("x.y@mail.example.co.uk")).toBe("x***@m***");
  });

  it("resend: a confirmed account gets the unknown account's answer, whether the pool refuses or sends", async () => {
    const refusing = gatewayAnswering(() => new InvalidParameterException({ message: "User is already confirmed.", $metadata: { httpStatusCode: 400 } }));
    const sending = gatewayAnswering(() => ({ CodeDeliveryDetails: { DeliveryMedium: "EMAIL", Destination: "a***@e***", AttributeName: "email" } }));
    const unknown = gatewayAnswering(() => userNotFound());
    expect(await refusing.gateway.resendConfirmationCode({ email })).toEqual(await unknown.gateway.resendConfirmationCode({ email }));
    expect(await sending.gateway.resendConfirmationCode({ email })).toEqual(await unknown.gateway.resendConfirmationCode({ email }));
  });

  it("passes an SMS delivery on as SMS", async () => {
    const { gateway } = gatewayAnswering(() => ({ CodeDeliveryDetails: { DeliveryMedium: "SMS", Destination: "+*******0100" } }));
    expect(await gateway.forgotPassword({ email })).toEqual({ medium: "SMS", destination: "+*******0100" });
  });
});

describe("signing up again with a taken email", () => {
  const taken = () => new UsernameExistsException({ message: "An account with the given email already exists.", $metadata: { httpStatusCode: 400 } });
  const delivery = { CodeDeliveryDetails: { DeliveryMedium: "EMAIL", Destination: "a***@e***", AttributeName: "email" } };

  it("sends a new code when the account was never confirmed (no username_exists dead end)", async () => {
    const { gateway, sent } = gatewayAnswering((command) => {
      if (command.constructor.name === "SignUpCommand") return taken();
      if (command.constructor.name === "InitiateAuthCommand")
        return new UserNotConfirmedException({ message: "User is not confirmed.", $metadata: { httpStatusCode: 400 } });
      return delivery;
    });
    expect(await gateway.signUp({ email, password: "Correct-Horse-9" })).toEqual({ userSub: "", userConfirmed: false, delivery: maskedEmail });
    expect(sent.map((command) => command.name)).toEqual(["SignUpCommand", "InitiateAuthCommand", "ResendConfirmationCodeCommand"]);
    expect(sent[1]!.input).toMatchObject({ AuthFlow: "CUSTOM_AUTH", AuthParameters: { USERNAME: email, SECRET_HASH: expect.any(String) } });
  });

  it.each([
    ["a confirmed account (the custom flow starts)", () => ({ ChallengeName: "CUSTOM_CHALLENGE", Session: "s".repeat(40), ChallengeParameters: { USERNAME: "u" } })],
    ["a disabled account", () => new NotAuthorizedException({ message: "User is disabled.", $metadata: { httpStatusCode: 400 } })],
  ])("answers 409 username_exists for %s and sends nothing", async (_what, probe) => {
    const { gateway, sent } = gatewayAnswering((command) => (command.constructor.name === "SignUpCommand" ? taken() : probe()));
    await expect(gateway.signUp({ email, password: "Correct-Horse-9" })).rejects.toMatchObject({ status: 409, code: "username_exists" });
    expect(sent.map((command) => command.name)).toEqual(["SignUpCommand", "InitiateAuthCommand"]);
  });

  it("answers limit_exceeded when the new code cannot be sent either", async () => {
    const { gateway } = gatewayAnswering((command) => {
      if (command.constructor.name === "SignUpCommand") return taken();
      if (command.constructor.name === "InitiateAuthCommand")
        return new UserNotConfirmedException({ message: "User is not confirmed.", $metadata: { httpStatusCode: 400 } });
      return new LimitExceededException({ message: "Attempt limit exceeded, please try after some time.", $metadata: { httpStatusCode: 400 } });
    });
    await expect(gateway.signUp({ email, password: "Correct-Horse-9" })).rejects.toMatchObject({ status: 429, code: "limit_exceeded" });
  });
});

describe("answers the gateway does not take", () => {
  it("refuses a password step that asks for another challenge even when it carries SRP parameters, and answers nothing", async () => {
    const { gateway, sent } = gatewayAnswering(() => ({
      ChallengeName: "DEVICE_PASSWORD_VERIFIER",
      Session: "s",
      ChallengeParameters: { SALT: "a1b2", SRP_B: "7f".repeat(384), SECRET_BLOCK: "c2VjcmV0", USER_ID_FOR_SRP: "u-1", USERNAME: "u-1" },
    }));
    await expect(gateway.startCustomAuthWithPassword({ email, password: "x" })).rejects.toMatchObject(startAgain);
    expect(sent.map((command) => command.name)).toEqual(["InitiateAuthCommand"]);
  });

  it("refuses a password step that asks for a challenge other than PASSWORD_VERIFIER (502 challenge_failed)", async () => {
    const { gateway } = gatewayAnswering(() => ({ ChallengeName: "NEW_PASSWORD_REQUIRED", Session: "s", ChallengeParameters: {} }));
    await expect(gateway.startCustomAuthWithPassword({ email, password: "x" })).rejects.toMatchObject(startAgain);
  });

  it("refuses an answer without tokens as a fault of Cognito's (502), not a sign-in", async () => {
    const { gateway } = gatewayAnswering(() => ({ AuthenticationResult: { AccessToken: "only-an-access-token" } }));
    const error = await gateway.respondToCustomChallenge({ username: "u", session: "s", answer: "123456" }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 502, expose: false });
  });

  it.each([
    ["another challenge", { ChallengeName: "SMS_MFA", Session: "s", ChallengeParameters: { USERNAME: "u" } }],
    ["no session", { ChallengeName: "CUSTOM_CHALLENGE", ChallengeParameters: { USERNAME: "u" } }],
    ["no username", { ChallengeName: "CUSTOM_CHALLENGE", Session: "s", ChallengeParameters: {} }],
  ])("refuses a custom-auth round with %s (502 challenge_failed)", async (_what, output) => {
    const { gateway } = gatewayAnswering(() => output);
    await expect(gateway.startCustomAuth({ username: email })).rejects.toMatchObject(startAgain);
  });

  it("splits a custom challenge into its session, the internal username and the other parameters", async () => {
    const { gateway } = gatewayAnswering(() => ({ ChallengeName: "CUSTOM_CHALLENGE", Session: "s-1", ChallengeParameters: { USERNAME: "u-1", step: "OTP" } }));
    expect(await gateway.respondToCustomChallenge({ username: "u-1", session: "s-0", answer: "123456" })).toEqual({
      type: "challenge",
      challenge: { session: "s-1", username: "u-1", parameters: { step: "OTP" } },
    });
  });

  it("keeps only named attributes with values from GetUser", async () => {
    const { gateway } = gatewayAnswering(() => ({ Username: "u-1", UserAttributes: [{ Name: "email", Value: email }, { Name: "phone_number" }, { Value: "orphan" }] }));
    // Strict: an attribute without a value must be absent, not present as undefined.
    expect(await gateway.getUser("access")).toStrictEqual({ username: "u-1", attributes: { email } });
  });
});
