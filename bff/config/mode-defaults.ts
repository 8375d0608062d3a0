import type { PasswordPolicyRules } from "../../common/api-contract";
import { defaultLocalConfigPath, loadLocalConfig, type OidcClientConfig, type ResourceServerConfig } from "../../common/local-config";
import type { BffEnv } from "./env-schema";
import { BffConfigError } from "./errors";
import type { BffMode } from "./types";

/**
 * What each mode supplies for the variables the environment leaves out. `local` takes its values
 * from config/local.json (the emulator, dynalite, the shared local secrets); `aws` supplies only
 * what is safe to assume, so everything else must be given. The builders (sign-in-config.ts,
 * alb-mode-config.ts) are the same for both modes.
 */
export interface ModeDefaults {
  mode: BffMode;
  port: number;
  host: string | undefined;
  trustProxy: string | undefined;
  region: string | undefined;
  userPoolId: string | undefined;
  /** The Cognito API the SDK calls; undefined = AWS's. */
  cognitoEndpoint: string | undefined;
  /** The emulator issues tokens under its own address; Cognito under cognito-idp.<region>.amazonaws.com, whatever endpoint the SDK uses. */
  issuerAtEndpoint: boolean;
  signIn(): SignInDefaults;
  alb(resolved: { region: string | undefined; cognitoEndpoint: string | undefined }): AlbDefaults;
}

/** Defaults of the sign-in kind: the BFF's own app client, table and secrets. */
export interface SignInDefaults {
  publicUrl?: string;
  clientId?: string;
  clientSecret?: string;
  dynamodbTable?: string;
  dynamodbEndpoint?: string;
  cookieKeys?: string[];
  passkeyProofSecret?: string;
  maxCodeAttempts: number;
  /** The pool's password policy; undefined = Cognito's default. */
  passwordPolicy?: PasswordPolicyRules;
  oidcClients: OidcClientConfig[];
  oidcResourceServers?: ResourceServerConfig[];
  /** The problem reported for a required variable that has neither a value nor a default. */
  missing(name: string): string;
}

/** Defaults of ALB mode: the load balancer and its authenticate-cognito action. */
export interface AlbDefaults {
  publicUrl?: string;
  clientId?: string;
  albArn?: string;
  /** The managed-login domain. */
  domain?: string;
  logoutUri?: string;
  missing(name: string): string;
}

/** The local ALB's app client in config/local.json. */
export const LOCAL_ALB_CLIENT_NAME = "tobira-alb";

export function modeDefaults(vars: BffEnv): ModeDefaults {
  return vars.TOBIRA_MODE === "aws" ? awsDefaults : localDefaults(vars.TOBIRA_CONFIG ?? defaultLocalConfigPath);
}

const awsDefaults: ModeDefaults = {
  mode: "aws",
  port: 3000,
  host: undefined,
  // In AWS, TLS ends at a load balancer (or CloudFront): trust one hop by default, so that
  // req.secure (Secure cookies) and req.ip (rate limits) reflect the client.
  trustProxy: "1",
  region: undefined,
  userPoolId: undefined,
  cognitoEndpoint: undefined,
  issuerAtEndpoint: false,
  signIn: () => ({ maxCodeAttempts: 3, oidcClients: [], missing: (name) => `${name}: required when TOBIRA_MODE=aws` }),
  alb: () => ({ missing: (name) => `${name}: required when TOBIRA_MODE=aws and ALB_MODE=true` }),
};

function localDefaults(configPath: string): ModeDefaults {
  const local = loadLocalConfig(configPath);
  return {
    mode: "local",
    port: local.ports.bff,
    host: "127.0.0.1",
    trustProxy: undefined,
    region: local.region,
    userPoolId: local.userPool.id,
    // The emulator's own default address (and so its default issuer): 127.0.0.1, not localhost.
    cognitoEndpoint: `http://127.0.0.1:${local.ports.emulator}`,
    issuerAtEndpoint: true,
    signIn() {
      // The BFF's app client is the first one with a secret (config/local.json: "tobira-bff").
      const client = local.userPool.clients.find((candidate) => candidate.clientSecret !== undefined);
      if (client?.clientSecret === undefined) {
        throw new BffConfigError(["config/local.json: userPool.clients needs an app client with a clientSecret for the BFF"]);
      }
      return {
        publicUrl: local.bff.publicUrl,
        clientId: client.clientId,
        clientSecret: client.clientSecret,
        dynamodbTable: "tobira-local",
        dynamodbEndpoint: `http://127.0.0.1:${local.ports.dynalite}`,
        cookieKeys: local.bff.cookieKeys,
        passkeyProofSecret: local.triggers.passkeyProofSecret,
        maxCodeAttempts: local.triggers.otpMaxAttempts,
        passwordPolicy: local.userPool.passwordPolicy,
        oidcClients: local.oidc.clients,
        oidcResourceServers: local.oidc.resourceServers,
        missing: (name) => `${name}: required`,
      };
    },
    alb({ region, cognitoEndpoint }) {
      // The local ALB (scripts/start-alb.ts) listens at the "tobira-alb" client's callback URL
      // and signs in at the emulator's managed login.
      const albClient = local.userPool.clients.find((candidate) => candidate.name === LOCAL_ALB_CLIENT_NAME);
      const callbackUrl = albClient?.callbackUrls[0];
      return {
        publicUrl: callbackUrl === undefined ? local.bff.publicUrl : new URL(callbackUrl).origin,
        clientId: albClient?.clientId,
        albArn: `arn:aws:elasticloadbalancing:${region ?? local.region}:${local.accountId}:loadbalancer/app/tobira-local/0123456789abcdef`,
        domain: cognitoEndpoint,
        logoutUri: albClient?.logoutUrls[0],
        missing: (name) =>
          name === "COGNITO_CLIENT_ID"
            ? `COGNITO_CLIENT_ID: required (config/local.json has no "${LOCAL_ALB_CLIENT_NAME}" app client)`
            : name === "ALB_LOGOUT_URI"
              ? `ALB_LOGOUT_URI: required (the "${LOCAL_ALB_CLIENT_NAME}" app client has no sign-out URL)`
              : `${name}: required`,
      };
    },
  };
}
