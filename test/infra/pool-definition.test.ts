import type { Template } from "aws-cdk-lib/assertions";
import { type LocalConfig, loadLocalConfig, localConfigSchema } from "../../common/local-config";
import { type PoolDefinition, loadPoolDefinition, poolDefinitionOf } from "../../common/pool-definition";
import { type SynthesizedApp, logicalId, onlyResource, removeTestBundles, resources, synthesizeTobira } from "./support";

/**
 * One source of truth: the pool the CDK app deploys and the pool the local emulator runs
 * (config/local.json, read by emulator/server.ts through common/local-config.ts) must agree on
 * everything that changes how sign-in behaves.
 */

const local: LocalConfig = loadLocalConfig();
const bffClient = local.userPool.clients.find((client) => client.name === "tobira-bff")!;
const albClient = local.userPool.clients.find((client) => client.name === "tobira-alb")!;

let synthesized: SynthesizedApp;
beforeAll(() => {
  synthesized = synthesizeTobira();
}, 180_000);
afterAll(() => {
  synthesized.cleanup();
  removeTestBundles();
});

function poolProperties(template: Template): Record<string, unknown> {
  return onlyResource(template, "AWS::Cognito::UserPool")[1].Properties!;
}

function clientProperties(template: Template): Record<string, unknown> {
  return onlyResource(template, "AWS::Cognito::UserPoolClient")[1].Properties!;
}

function functionVariables(template: Template): Record<string, unknown>[] {
  return resources(template, "AWS::Lambda::Function")
    .map(([, fn]) => (fn.Properties!.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {})
    .filter((variables) => "OTP_TTL_SECONDS" in variables);
}

function containerVariables(template: Template): Record<string, unknown> {
  const [, taskDefinition] = onlyResource(template, "AWS::ECS::TaskDefinition");
  const [container] = taskDefinition.Properties!.ContainerDefinitions as { Environment: { Name: string; Value: unknown }[] }[];
  return Object.fromEntries(container!.Environment.map((entry) => [entry.Name, entry.Value]));
}

/** What the emulator enforces for a password, in the shape CloudFormation writes it. */
function cloudFormationPasswordPolicy(config: LocalConfig) {
  const policy = config.userPool.passwordPolicy;
  return {
    MinimumLength: policy.minimumLength,
    RequireUppercase: policy.requireUppercase,
    RequireLowercase: policy.requireLowercase,
    RequireNumbers: policy.requireNumbers,
    RequireSymbols: policy.requireSymbols,
  };
}

describe("the deployed pool and the emulator's pool agree", () => {
  test("on the password policy and how users sign in", () => {
    for (const template of [synthesized.signIn, synthesized.albMode]) {
      const pool = poolProperties(template);
      expect((pool.Policies as { PasswordPolicy: unknown }).PasswordPolicy).toEqual(cloudFormationPasswordPolicy(local));
      expect(pool.UsernameAttributes).toEqual(local.userPool.usernameAttributes);
      expect(pool.AutoVerifiedAttributes).toEqual(local.userPool.autoVerifiedAttributes);
      expect((pool.EmailConfiguration as { EmailSendingAccount: string }).EmailSendingAccount).toBe(local.userPool.emailSendingAccount);
    }
  });

  test("on the BFF client's flows, token lifetimes, revocation, user-existence errors and challenge session", () => {
    expect(clientProperties(synthesized.signIn)).toMatchObject({
      ExplicitAuthFlows: bffClient.explicitAuthFlows,
      AccessTokenValidity: bffClient.accessTokenValidityMinutes,
      IdTokenValidity: bffClient.idTokenValidityMinutes,
      RefreshTokenValidity: bffClient.refreshTokenValidityDays * 24 * 60,
      TokenValidityUnits: { AccessToken: "minutes", IdToken: "minutes", RefreshToken: "minutes" },
      EnableTokenRevocation: bffClient.enableTokenRevocation,
      RefreshTokenRotation: { Feature: bffClient.refreshTokenRotation },
      PreventUserExistenceErrors: bffClient.preventUserExistenceErrors,
      AuthSessionValidity: local.userPool.authSessionValidityMinutes,
    });
  });

  test("on the ALB client's flows, OAuth scopes, token lifetimes and challenge session", () => {
    expect(clientProperties(synthesized.albMode)).toMatchObject({
      ExplicitAuthFlows: albClient.explicitAuthFlows,
      AllowedOAuthFlows: albClient.allowedOAuthFlows,
      AllowedOAuthScopes: albClient.allowedOAuthScopes,
      AccessTokenValidity: albClient.accessTokenValidityMinutes,
      IdTokenValidity: albClient.idTokenValidityMinutes,
      RefreshTokenValidity: albClient.refreshTokenValidityDays * 24 * 60,
      EnableTokenRevocation: albClient.enableTokenRevocation,
      RefreshTokenRotation: { Feature: albClient.refreshTokenRotation },
      PreventUserExistenceErrors: albClient.preventUserExistenceErrors,
      AuthSessionValidity: local.userPool.authSessionValidityMinutes,
    });
  });

  test("on the code lifetime and tries (triggers) and the tries the BFF counts", () => {
    const triggers = functionVariables(synthesized.signIn);
    expect(triggers).toHaveLength(3);
    for (const variables of triggers) {
      expect(variables.OTP_TTL_SECONDS).toBe(String(local.triggers.otpTtlSeconds));
      expect(variables.OTP_MAX_ATTEMPTS).toBe(String(local.triggers.otpMaxAttempts));
    }
    expect(containerVariables(synthesized.signIn).OTP_MAX_ATTEMPTS).toBe(String(local.triggers.otpMaxAttempts));
  });

  test("on the password policy: the BFF hands the pool's own policy to the SPA's checklist (PASSWORD_POLICY)", () => {
    expect(JSON.parse(String(containerVariables(synthesized.signIn).PASSWORD_POLICY))).toEqual(local.userPool.passwordPolicy);
  });

  test("the challenge session outlives the code on both sides", () => {
    expect(local.userPool.authSessionValidityMinutes * 60).toBeGreaterThanOrEqual(local.triggers.otpTtlSeconds);
  });
});

describe("the CDK app reads the definition instead of repeating it", () => {
  const changed: PoolDefinition = (() => {
    const base = loadPoolDefinition();
    return {
      ...base,
      // Still strong enough for cdk-nag (COG1), which fails the synthesis otherwise.
      passwordPolicy: { minimumLength: 14, requireUppercase: true, requireLowercase: false, requireNumbers: true, requireSymbols: true },
      authSessionValidityMinutes: 9,
      emailSendingAccount: base.emailSendingAccount === "DEVELOPER" ? "COGNITO_DEFAULT" : "DEVELOPER",
      code: { lifetimeSeconds: 420, maxAttempts: 5 },
      bffClient: {
        ...base.bffClient,
        explicitAuthFlows: ["ALLOW_USER_SRP_AUTH", "ALLOW_CUSTOM_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        accessTokenValidityMinutes: 15,
        idTokenValidityMinutes: 20,
        refreshTokenValidityDays: 7,
      },
    };
  })();

  let other: SynthesizedApp;
  beforeAll(() => {
    other = synthesizeTobira({ definition: changed });
  }, 180_000);
  afterAll(() => other?.cleanup());

  test("a changed definition changes the password policy, the client and the code settings that are deployed", () => {
    expect((poolProperties(other.signIn).Policies as { PasswordPolicy: unknown }).PasswordPolicy).toEqual({
      MinimumLength: 14,
      RequireUppercase: true,
      RequireLowercase: false,
      RequireNumbers: true,
      RequireSymbols: true,
    });
    expect(clientProperties(other.signIn)).toMatchObject({
      ExplicitAuthFlows: ["ALLOW_USER_SRP_AUTH", "ALLOW_CUSTOM_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
      AccessTokenValidity: 15,
      IdTokenValidity: 20,
      RefreshTokenValidity: 7 * 24 * 60,
      AuthSessionValidity: 9,
    });
    expect(clientProperties(other.albMode).AuthSessionValidity).toBe(9);
    expect((poolProperties(other.signIn).EmailConfiguration as { EmailSendingAccount: string }).EmailSendingAccount).toBe(changed.emailSendingAccount);
    for (const variables of functionVariables(other.signIn)) expect(variables).toMatchObject({ OTP_TTL_SECONDS: "420", OTP_MAX_ATTEMPTS: "5" });
    expect(containerVariables(other.signIn).OTP_MAX_ATTEMPTS).toBe("5");
    // The BFF client's settings do not leak into the ALB client.
    expect(clientProperties(other.albMode).ExplicitAuthFlows).toEqual(albClient.explicitAuthFlows);
    expect(logicalId(other.stacks.signIn.client)).toBe(logicalId(synthesized.stacks.signIn.client));
  });
});

describe("poolDefinitionOf", () => {
  test("keeps behaviour and leaves local-only values (ids, secrets, localhost origins) behind", () => {
    const definition = poolDefinitionOf(local);
    expect(definition.bffClient.callbackPaths).toEqual(bffClient.callbackUrls.map((url) => new URL(url).pathname));
    expect(definition.albClient.logoutPaths).toEqual(["/"]);
    const text = JSON.stringify(definition);
    for (const client of local.userPool.clients) {
      expect(text).not.toContain(client.clientId);
      if (client.clientSecret !== undefined) expect(text).not.toContain(client.clientSecret);
    }
    expect(text).not.toContain("localhost");
    expect(text).not.toContain(local.triggers.passkeyProofSecret);
  });

  test("refuses a configuration without the BFF's client or without the ALB client", () => {
    const withClients = (names: string[]) =>
      localConfigSchema.parse({ ...local, userPool: { ...local.userPool, clients: local.userPool.clients.filter((client) => names.includes(client.name)) } });
    expect(() => poolDefinitionOf(withClients(["tobira-alb"]))).toThrow(/BFF's app client/);
    expect(() => poolDefinitionOf(withClients(["tobira-bff"]))).toThrow(/"tobira-alb" app client/);
  });
});
