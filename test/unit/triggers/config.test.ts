import { loadCustomMessageConfig, loadTriggersConfig, triggersConfigSchema } from "../../../triggers/config";
import { PROOF_SECRET } from "./events";

const valid = { PASSKEY_PROOF_SECRET: PROOF_SECRET, SES_FROM_ADDRESS: "no-reply@tobira.example" };

describe("triggers config", () => {
  it("applies the defaults", () => {
    expect(loadTriggersConfig(valid)).toEqual({
      passkeyProofSecret: PROOF_SECRET,
      otpTtlSeconds: 300,
      otpMaxAttempts: 3,
      sesFromAddress: "no-reply@tobira.example",
    });
  });

  it("reads every setting", () => {
    expect(loadTriggersConfig({ ...valid, OTP_TTL_SECONDS: "120", OTP_MAX_ATTEMPTS: "5", CODE_DELIVERY: "ses", AWS_REGION: "eu-west-1" })).toEqual({
      passkeyProofSecret: PROOF_SECRET,
      otpTtlSeconds: 120,
      otpMaxAttempts: 5,
      sesFromAddress: "no-reply@tobira.example",
      region: "eu-west-1",
    });
  });

  it("needs no sender address when the runtime injects delivery", () => {
    expect(loadTriggersConfig({ PASSKEY_PROOF_SECRET: PROOF_SECRET, CODE_DELIVERY: "emulator" }).sesFromAddress).toBeUndefined();
  });

  it("lists a missing secret", () => {
    expect(() => loadTriggersConfig({ SES_FROM_ADDRESS: "no-reply@tobira.example" })).toThrow(/PASSKEY_PROOF_SECRET: is required/);
  });

  it("treats an empty variable as missing", () => {
    expect(() => loadTriggersConfig({ ...valid, PASSKEY_PROOF_SECRET: "" })).toThrow(/PASSKEY_PROOF_SECRET: is required/);
  });

  it("rejects a secret shorter than 32 characters without echoing it", () => {
    const attempt = () => loadTriggersConfig({ ...valid, PASSKEY_PROOF_SECRET: "short-secret-value" });
    expect(attempt).toThrow(/PASSKEY_PROOF_SECRET: must be at least 32 characters/);
    expect(attempt).not.toThrow(/short-secret-value/);
  });

  it("requires SES_FROM_ADDRESS when delivery is SES (the default)", () => {
    expect(() => loadTriggersConfig({ PASSKEY_PROOF_SECRET: PROOF_SECRET })).toThrow(/SES_FROM_ADDRESS: is required when CODE_DELIVERY is ses/);
  });

  it("rejects a malformed sender address", () => {
    expect(() => loadTriggersConfig({ ...valid, SES_FROM_ADDRESS: "not-an-address" })).toThrow(/SES_FROM_ADDRESS/);
  });

  it("rejects non-numeric, zero and too large numbers", () => {
    expect(() => loadTriggersConfig({ ...valid, OTP_TTL_SECONDS: "five" })).toThrow(/OTP_TTL_SECONDS/);
    expect(() => loadTriggersConfig({ ...valid, OTP_MAX_ATTEMPTS: "0" })).toThrow(/OTP_MAX_ATTEMPTS/);
    expect(() => loadTriggersConfig({ ...valid, OTP_MAX_ATTEMPTS: "1000" })).toThrow(/OTP_MAX_ATTEMPTS/);
  });

  it("rejects an unknown delivery", () => {
    expect(() => loadTriggersConfig({ ...valid, CODE_DELIVERY: "pigeon" })).toThrow(/CODE_DELIVERY/);
  });

  it("lists every problem at once", () => {
    expect(() => loadTriggersConfig({ OTP_TTL_SECONDS: "-1" })).toThrow(
      /PASSKEY_PROOF_SECRET[\s\S]*OTP_TTL_SECONDS[\s\S]*SES_FROM_ADDRESS|PASSKEY_PROOF_SECRET[\s\S]*SES_FROM_ADDRESS[\s\S]*OTP_TTL_SECONDS/,
    );
  });

  it("leaves sesFromAddress and region out, not undefined, when they are not set", () => {
    const config = loadTriggersConfig({ PASSKEY_PROOF_SECRET: PROOF_SECRET, CODE_DELIVERY: "emulator" });
    expect(Object.keys(config).sort()).toEqual(["otpMaxAttempts", "otpTtlSeconds", "passkeyProofSecret"]);
  });

  it("names the triggers configuration and each problem's reason in the error", () => {
    expect(() => loadTriggersConfig({ ...valid, SES_FROM_ADDRESS: "not-an-address" })).toThrow(
      /^Invalid triggers configuration:\n {2}- SES_FROM_ADDRESS: must be an email address$/,
    );
  });

  it("refuses an input that is no object without throwing from the sender-address check", () => {
    for (const input of [null, undefined, "PASSKEY_PROOF_SECRET"]) {
      const parsed = triggersConfigSchema.safeParse(input);
      expect(parsed.success).toBe(false);
      expect(parsed.error?.issues.map((issue) => issue.path.join("."))).toEqual([""]);
    }
  });

  it("refuses an empty AWS_REGION handed to the schema directly", () => {
    expect(triggersConfigSchema.safeParse({ ...valid, AWS_REGION: "" }).success).toBe(false);
  });
});

describe("custom message trigger config", () => {
  it("defaults to the pool sending mail with its own SES identity", () => {
    expect(loadCustomMessageConfig({})).toEqual({ emailSendingAccount: "DEVELOPER" });
  });

  it("reads COGNITO_DEFAULT", () => {
    expect(loadCustomMessageConfig({ EMAIL_SENDING_ACCOUNT: "COGNITO_DEFAULT" })).toEqual({ emailSendingAccount: "COGNITO_DEFAULT" });
  });

  it("names the custom message trigger configuration when EMAIL_SENDING_ACCOUNT is unknown", () => {
    expect(() => loadCustomMessageConfig({ EMAIL_SENDING_ACCOUNT: "SOMEONE_ELSE" })).toThrow(
      /^Invalid custom message trigger configuration:\n {2}- EMAIL_SENDING_ACCOUNT: /,
    );
  });
});
