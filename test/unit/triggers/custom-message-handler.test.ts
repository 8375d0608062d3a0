import type { CustomMessageTriggerEvent } from "aws-lambda";
import { handler } from "../../../triggers/custom-message";
import { USER_NAME, emailUser } from "./events";

// A file of its own: the entry point keeps the handler it builds on its first invocation.

afterEach(() => {
  vi.unstubAllEnvs();
});

const noContext = [{} as never, () => undefined] as const;

function signUpEvent(): CustomMessageTriggerEvent {
  return {
    version: "1",
    triggerSource: "CustomMessage_SignUp",
    region: "us-east-1",
    userPoolId: "us-east-1_TobiraLcl",
    userName: USER_NAME,
    callerContext: { awsSdkVersion: "aws-sdk-unknown-unknown", clientId: "tobirabfflocalclient00000" },
    request: { userAttributes: emailUser(), codeParameter: "{####}", linkParameter: "{##Click Here##}", usernameParameter: null },
    response: { smsMessage: null, emailMessage: null, emailSubject: null },
  } as CustomMessageTriggerEvent;
}

describe("CustomMessage Lambda entry point", () => {
  it("reads EMAIL_SENDING_ACCOUNT on its first invocation and keeps that configuration afterwards", async () => {
    vi.stubEnv("EMAIL_SENDING_ACCOUNT", "COGNITO_DEFAULT");
    const first = await handler(signUpEvent(), ...noContext);
    expect(first?.response).toEqual({ smsMessage: "Your Tobira confirmation code is {####}. It is valid for 24 hours.", emailMessage: null, emailSubject: null });
    vi.stubEnv("EMAIL_SENDING_ACCOUNT", "DEVELOPER");
    const second = await handler(signUpEvent(), ...noContext);
    expect(second?.response.emailMessage).toBeNull();
    expect(second?.response.smsMessage).toContain("{####}");
  });
});
