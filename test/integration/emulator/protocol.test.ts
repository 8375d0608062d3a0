import { AdminGetUserCommand } from "@aws-sdk/client-cognito-identity-provider";
import { type TestEmulator, expectCognitoError, poolId, signUpConfirmed, startTestEmulator, uniqueEmail } from "./support";

let t: TestEmulator;
beforeAll(async () => {
  t = await startTestEmulator();
});
afterAll(async () => {
  await t.stop();
});

/** A raw AWS JSON 1.1 call, as the SDK would frame it. */
function call(operation: string, body: string, target = `AWSCognitoIdentityProviderService.${operation}`) {
  return fetch(t.emulator.url, {
    method: "POST",
    headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": target },
    body,
  });
}

describe("AWS JSON 1.1 framing", () => {
  test("answers success with the JSON 1.1 content type and a request id", async () => {
    const response = await call("ResendConfirmationCode", JSON.stringify({ ClientId: "publicclient0000000000000", Username: uniqueEmail("ghost") }));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/x-amz-json-1.1");
    expect(response.headers.get("x-amzn-requestid")).toMatch(/^[0-9a-f-]{36}$/);
    expect(await response.json()).toHaveProperty("CodeDeliveryDetails");
  });

  test("sends errors as 400 with __type, message and the x-amzn-Error headers", async () => {
    const body = JSON.stringify({
      AuthFlow: "USER_PASSWORD_AUTH",
      ClientId: "publicclient0000000000000",
      AuthParameters: { USERNAME: uniqueEmail("ghost"), PASSWORD: "Whatever-123" },
    });
    const response = await call("InitiateAuth", body);
    expect(response.status).toBe(400);
    expect(response.headers.get("x-amzn-errortype")).toBe("NotAuthorizedException:");
    expect(response.headers.get("x-amzn-errormessage")).toBe("Incorrect username or password.");
    expect(response.headers.get("x-amzn-requestid")).toMatch(/^[0-9a-f-]{36}$/);
    expect(await response.json()).toEqual({ __type: "NotAuthorizedException", message: "Incorrect username or password." });
  });

  test("answers an unknown operation with UnknownOperationException", async () => {
    const response = await call("DeleteEverything", "{}");
    expect(response.status).toBe(400);
    expect(response.headers.get("x-amzn-errortype")).toBe("UnknownOperationException:");
    expect((await response.json()) as object).toMatchObject({ __type: "UnknownOperationException" });
  });

  test("answers a target outside the Cognito service with UnknownOperationException", async () => {
    const response = await call("", "{}", "DynamoDB_20120810.ListTables");
    expect(response.status).toBe(400);
    expect(((await response.json()) as { __type: string }).__type).toBe("UnknownOperationException");
  });

  test("answers a body that is not JSON with a 400, not a 500", async () => {
    const response = await call("SignUp", "{not json");
    expect(response.status).toBe(400);
    expect(((await response.json()) as { __type: string }).__type).toBe("SerializationException");
  });

  test("reports a missing required member as AWS's validation layer does", async () => {
    const response = await call("SignUp", JSON.stringify({ Username: "a@example.com", Password: "Passw0rd!" }));
    expect(await response.json()).toEqual({
      __type: "InvalidParameterException",
      message: "1 validation error detected: Value null at 'clientId' failed to satisfy constraint: Member must not be null",
    });
  });

  test("refuses a Session shorter than 20 characters", async () => {
    const body = JSON.stringify({
      ClientId: "publicclient0000000000000",
      ChallengeName: "CUSTOM_CHALLENGE",
      Session: "short",
      ChallengeResponses: { USERNAME: "u", ANSWER: "x" },
    });
    expect(await (await call("RespondToAuthChallenge", body)).json()).toEqual({
      __type: "InvalidParameterException",
      message: "1 validation error detected: Value at 'session' failed to satisfy constraint: Member must have length greater than or equal to 20",
    });
  });

  test("refuses an unknown Session", async () => {
    const body = JSON.stringify({
      ClientId: "publicclient0000000000000",
      ChallengeName: "CUSTOM_CHALLENGE",
      Session: "x".repeat(40),
      ChallengeResponses: { USERNAME: "u", ANSWER: "x" },
    });
    expect(await (await call("RespondToAuthChallenge", body)).json()).toEqual({ __type: "NotAuthorizedException", message: "Invalid session for the user." });
  });

  test("refuses a token with characters outside the token alphabet", async () => {
    const response = await call("GetUser", JSON.stringify({ AccessToken: "not a token!" }));
    expect(((await response.json()) as { message: string }).message).toBe(
      "1 validation error detected: Value at 'accessToken' failed to satisfy constraint: Member must satisfy regular expression pattern: [A-Za-z0-9-_=.]+",
    );
  });
});

describe("AdminGetUser", () => {
  test("returns the user with epoch-second dates, status and attributes (any signature accepted)", async () => {
    const email = uniqueEmail();
    const sub = await signUpConfirmed(t, email);
    const user = await t.cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: email }));
    expect(user).toMatchObject({ Username: sub, Enabled: true, UserStatus: "CONFIRMED" });
    expect(user.UserCreateDate).toBeInstanceOf(Date);
    expect(Math.abs(user.UserCreateDate!.getTime() - Date.now())).toBeLessThan(60_000);
    expect(user.UserLastModifiedDate).toBeInstanceOf(Date);
    expect(user.UserAttributes).toContainEqual({ Name: "sub", Value: sub });
    expect(user.UserAttributes).toContainEqual({ Name: "email", Value: email });
  });

  test("finds the user by the internal username too", async () => {
    const email = uniqueEmail();
    const sub = await signUpConfirmed(t, email);
    expect((await t.cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: sub }))).Username).toBe(sub);
  });

  test("refuses an unknown user", async () => {
    await expectCognitoError(
      t.cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: uniqueEmail("ghost") })),
      "UserNotFoundException",
      "User does not exist.",
    );
  });

  test("refuses an unknown user pool", async () => {
    await expectCognitoError(
      t.cognito.send(new AdminGetUserCommand({ UserPoolId: "us-east-1_Nope", Username: uniqueEmail() })),
      "ResourceNotFoundException",
      "User pool us-east-1_Nope does not exist.",
    );
  });
});
