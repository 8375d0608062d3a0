import { describe, expect, it } from "vitest";
import { BffConfigError, loadBffConfig } from "../../../bff/config";
import { loadLocalConfig } from "../../../common/local-config";

/** PASSWORD_POLICY: the pool's policy the SPA's new-password checklist shows (GET /api/config). */

const awsEnv = {
  TOBIRA_MODE: "aws",
  COGNITO_USER_POOL_ID: "eu-west-1_AbCdEf123",
  COGNITO_CLIENT_ID: "abcdefghijklmnopqrstuvwxyz",
  COGNITO_CLIENT_SECRET: "s3cr3t",
  AWS_REGION: "eu-west-1",
  DYNAMODB_TABLE: "tobira",
  COOKIE_KEYS: "k".repeat(32),
  PASSKEY_PROOF_SECRET: "p".repeat(32),
  PUBLIC_URL: "https://id.example.com/",
};

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadBffConfig(env);
  } catch (error) {
    if (error instanceof BffConfigError) return error.problems;
    throw error;
  }
  throw new Error("expected a BffConfigError");
}

describe("PASSWORD_POLICY", () => {
  it("is the emulator's pool policy (config/local.json) in local mode", () => {
    expect(loadBffConfig({}).passwordPolicy).toEqual(loadLocalConfig().userPool.passwordPolicy);
  });

  it("is Cognito's default policy in AWS mode when unset: 8 characters, every kind required", () => {
    expect(loadBffConfig(awsEnv).passwordPolicy).toEqual({
      minimumLength: 8,
      requireUppercase: true,
      requireLowercase: true,
      requireNumbers: true,
      requireSymbols: true,
    });
  });

  it("reads the pool's policy, kinds left out required as in Cognito's default", () => {
    expect(loadBffConfig({ ...awsEnv, PASSWORD_POLICY: '{"minimumLength":12,"requireSymbols":false}' }).passwordPolicy).toEqual({
      minimumLength: 12,
      requireUppercase: true,
      requireLowercase: true,
      requireNumbers: true,
      requireSymbols: false,
    });
  });

  it("refuses a value that is not JSON, naming the variable", () => {
    expect(problemsOf({ PASSWORD_POLICY: "min 12" })).toEqual(["PASSWORD_POLICY: not valid JSON"]);
  });

  it("refuses a minimum length Cognito does not allow (6 to 99)", () => {
    expect(problemsOf({ PASSWORD_POLICY: '{"minimumLength":5}' })).toEqual([expect.stringMatching(/^PASSWORD_POLICY\.minimumLength: /)]);
  });

  it("refuses a misspelt rule rather than silently requiring it", () => {
    expect(problemsOf({ PASSWORD_POLICY: '{"requireSymbol":false}' })).toEqual([expect.stringMatching(/^PASSWORD_POLICY: .*requireSymbol/)]);
  });
});
