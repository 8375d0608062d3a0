import { type LocalConfig, loadLocalConfig, localConfigSchema } from "../../../common/local-config";
import { loadPoolDefinition, poolDefinitionOf } from "../../../common/pool-definition";

/**
 * The pool settings that make the emulator as strict as Cognito, in the one pool definition
 * (docs/cognito-behaviour.md, "Settings").
 */

const local: LocalConfig = loadLocalConfig();

describe("refresh-token rotation", () => {
  it("is pinned off for both app clients of the pool definition (the BFF refreshes with REFRESH_TOKEN_AUTH)", () => {
    const definition = loadPoolDefinition();
    expect(definition.bffClient.refreshTokenRotation).toBe("DISABLED");
    expect(definition.albClient.refreshTokenRotation).toBe("DISABLED");
  });

  it("cannot be turned on in the definition: a rotating client is refused", () => {
    const rotating = localConfigSchema.parse({
      ...local,
      userPool: { ...local.userPool, clients: local.userPool.clients.map((client) => ({ ...client, refreshTokenRotation: "ENABLED" })) },
    });
    expect(() => poolDefinitionOf(rotating)).toThrow(/refresh-token rotation off/);
  });
});

describe("pool settings when the configuration is silent", () => {
  const { authSessionValidityMinutes: _validity, emailSendingAccount: _sender, resendToConfirmedUser: _resend, ...silentPool } = local.userPool;
  const silent = localConfigSchema.parse({ ...local, userPool: silentPool, triggers: { ...local.triggers, otpTtlSeconds: 180 } });

  it("are Cognito's defaults: a 3-minute auth session, Cognito's own mail sender, and resend refused for a confirmed user", () => {
    expect(silent.userPool.authSessionValidityMinutes).toBe(3);
    expect(silent.userPool.emailSendingAccount).toBe("COGNITO_DEFAULT");
    expect(silent.userPool.resendToConfirmedUser).toBe("refuse");
  });

  it("leave the local pool explicit: 5 minutes (the code lives 5), mail through its own SES identity", () => {
    expect(local.userPool.authSessionValidityMinutes).toBe(5);
    expect(loadPoolDefinition().emailSendingAccount).toBe("DEVELOPER");
  });
});
