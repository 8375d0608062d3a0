import { Duration, RemovalPolicy, Stack, Validations } from "aws-cdk-lib";
import * as cognito from "aws-cdk-lib/aws-cognito";
import type { Construct } from "constructs";
import type { AppClientDefinition, PoolDefinition } from "../common/pool-definition";

/**
 * The user pool and its app clients, built from the one pool definition (common/pool-definition.ts,
 * read from config/local.json), so the pool on AWS behaves as the emulator does locally.
 */

export interface TobiraUserPoolProps {
  definition: PoolDefinition;
  /** Verified SES identity and the From address of Cognito's own mails (sign-up and reset codes). */
  sesIdentity: string;
  sesFromAddress: string;
  lambdaTriggers?: cognito.UserPoolTriggers;
}

const THREAT_PROTECTION_REASON =
  "Threat protection (enforced advanced security) needs the Plus feature plan, billed per monthly active user; Tobira limits failures per account and per client address itself. An operator who wants both can set featurePlan PLUS.";

/** A pool as the definition describes it; deletion-protected and retained, since it holds the users. */
export function createUserPool(scope: Construct, id: string, props: TobiraUserPoolProps): cognito.UserPool {
  const { definition } = props;
  const usesEmail = definition.usernameAttributes.includes("email");
  const pool = new cognito.UserPool(scope, id, {
    selfSignUpEnabled: true,
    signInAliases: { email: usesEmail, phone: definition.usernameAttributes.includes("phone_number"), username: false },
    autoVerify: {
      email: definition.autoVerifiedAttributes.includes("email"),
      phone: definition.autoVerifiedAttributes.includes("phone_number"),
    },
    // An address change takes effect only once the new address is verified.
    keepOriginal: { email: definition.autoVerifiedAttributes.includes("email") },
    standardAttributes: { email: { required: usesEmail, mutable: true } },
    signInCaseSensitive: false,
    passwordPolicy: {
      minLength: definition.passwordPolicy.minimumLength,
      requireLowercase: definition.passwordPolicy.requireLowercase,
      requireUppercase: definition.passwordPolicy.requireUppercase,
      requireDigits: definition.passwordPolicy.requireNumbers,
      requireSymbols: definition.passwordPolicy.requireSymbols,
    },
    accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
    // The second factor is the custom challenge (a code or a passkey), not Cognito's MFA.
    mfa: cognito.Mfa.OFF,
    // As the definition says (the emulator's sends either way): DEVELOPER is SES with the deployment's
    // identity; Cognito's default sender allows only 50 mails a day per account.
    email:
      definition.emailSendingAccount === "DEVELOPER"
        ? cognito.UserPoolEmail.withSES({
            fromEmail: props.sesFromAddress,
            ...(props.sesIdentity.includes("@") ? {} : { sesVerifiedDomain: props.sesIdentity }),
          })
        : cognito.UserPoolEmail.withCognito(),
    deletionProtection: true,
    removalPolicy: RemovalPolicy.RETAIN,
    ...(props.lambdaTriggers === undefined ? {} : { lambdaTriggers: props.lambdaTriggers }),
  });
  Validations.of(pool).acknowledge(
    {
      id: "AwsSolutions-COG2",
      reason:
        "Every sign-in has a second factor: the custom authentication flow's triggers require an emailed one-time code or a passkey after the password; Cognito MFA would add a third step.",
    },
    {
      id: "AwsSolutions-COG3",
      reason: THREAT_PROTECTION_REASON,
    },
    {
      id: "AwsSolutions-COG8",
      reason: THREAT_PROTECTION_REASON,
    },
  );
  return pool;
}

export interface ClientOptions {
  /** Public origin of the deployment: the definition's callback and sign-out paths are joined to it. */
  origin?: string;
  /** The pool domain's OAuth flows (ALB mode); without it the client has no OAuth flows at all. */
  oauth?: boolean;
}

/** An app client with the definition's flows, token lifetimes and protections, and a secret. */
export function createAppClient(
  scope: Construct,
  id: string,
  pool: cognito.IUserPool,
  client: AppClientDefinition,
  definition: PoolDefinition,
  options: ClientOptions = {},
): cognito.UserPoolClient {
  const urls = (paths: readonly string[]) => paths.map((path) => new URL(path, options.origin).href);
  const appClient = new cognito.UserPoolClient(scope, id, {
    userPool: pool,
    generateSecret: true,
    preventUserExistenceErrors: client.preventUserExistenceErrors === "ENABLED",
    enableTokenRevocation: client.enableTokenRevocation,
    accessTokenValidity: Duration.minutes(client.accessTokenValidityMinutes),
    idTokenValidity: Duration.minutes(client.idTokenValidityMinutes),
    refreshTokenValidity: Duration.days(client.refreshTokenValidityDays),
    supportedIdentityProviders: [cognito.UserPoolClientIdentityProvider.COGNITO],
    ...(options.oauth === true
      ? {
          oAuth: {
            flows: { authorizationCodeGrant: client.allowedOAuthFlows.includes("code"), implicitCodeGrant: false, clientCredentials: false },
            scopes: client.allowedOAuthScopes.map((scope) => cognito.OAuthScope.custom(scope)),
            callbackUrls: urls(client.callbackPaths),
            logoutUrls: urls(client.logoutPaths),
          },
        }
      : { disableOAuth: true }),
  });
  const cfn = appClient.node.defaultChild as cognito.CfnUserPoolClient;
  // The definition's flows verbatim: the BFF's client has CUSTOM_AUTH (the password runs inside it, by
  // SRP) and refresh only, so no flow yields tokens for the password alone (docs/architecture.md).
  cfn.explicitAuthFlows = [...client.explicitAuthFlows];
  // Written out, not left to Cognito's default: with rotation on, Cognito refuses REFRESH_TOKEN_AUTH.
  cfn.refreshTokenRotation = { feature: client.refreshTokenRotation };
  // Cognito's challenge Session must outlive the sign-in code, or a correct late code meets an
  // expired session (config/local.json refuses a code that outlives it).
  cfn.authSessionValidity = definition.authSessionValidityMinutes;
  return appClient;
}

/** `https://cognito-idp.<region>.amazonaws.com/<pool>`: the pool's token issuer. */
export function poolIssuer(pool: cognito.IUserPool): string {
  return `https://cognito-idp.${Stack.of(pool).region}.${Stack.of(pool).urlSuffix}/${pool.userPoolId}`;
}
