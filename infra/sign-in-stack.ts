import { CfnOutput, CustomResource, Duration, RemovalPolicy, SecretValue, Stack, type StackProps, Validations } from "aws-cdk-lib";
import type * as cognito from "aws-cdk-lib/aws-cognito";
import * as dynamodb from "aws-cdk-lib/aws-dynamodb";
import * as ecs from "aws-cdk-lib/aws-ecs";
import * as iam from "aws-cdk-lib/aws-iam";
import * as secretsmanager from "aws-cdk-lib/aws-secretsmanager";
import type { Construct } from "constructs";
import type { PoolDefinition } from "../common/pool-definition";
import { BffService, sesIdentityArn } from "./bff-service";
import type { LambdaName } from "./bundle-triggers";
import { BundledFunction } from "./bundled-function";
import { Monitoring } from "./monitoring";
import type { DeploySettings } from "./settings";
import { createAppClient, createUserPool } from "./user-pool";

/**
 * Sign-in mode on AWS: HTTPS load balancer → the BFF on Fargate → Cognito (public client APIs with
 * the client secret) and one DynamoDB table; the custom-auth triggers as Lambda functions sending
 * codes through SES, and the CustomMessage trigger wording Cognito's own messages; shared secrets
 * in Secrets Manager.
 */

/** The store's table as bff/store/dynamo-store.ts reads and creates it (test/infra checks both agree). */
export const storeTable = {
  partitionKey: "pk",
  timeToLiveAttribute: "expiresAt",
  indexName: "byIndex",
  indexPartitionKey: "ix",
} as const;

/** What the BFF's task role may do on the table: item operations, and queries on the index. */
export const storeItemActions = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"] as const;
export const storeIndexActions = ["dynamodb:Query"] as const;

export interface SignInStackProps extends StackProps {
  settings: DeploySettings;
  definition: PoolDefinition;
  /** Bundle folders from infra/bundle-triggers.ts. */
  bundles: Pick<Record<LambdaName, string>, "defineAuthChallenge" | "createAuthChallenge" | "verifyAuthChallengeResponse" | "customMessage" | "secretsInitializer">;
}

const ROTATION_REASON =
  "Rotated by the operator as the README's 'Rotating secrets' describes: these values are shared by the BFF tasks and the triggers (or old keys must stay accepted for a while), which a rotation Lambda cannot coordinate.";

export class SignInStack extends Stack {
  readonly bff: BffService;
  readonly table: dynamodb.Table;
  readonly monitoring: Monitoring;
  readonly userPool: cognito.UserPool;
  readonly client: cognito.UserPoolClient;
  readonly triggers: { defineAuthChallenge: BundledFunction; createAuthChallenge: BundledFunction; verifyAuthChallengeResponse: BundledFunction };
  /** Cognito's CustomMessage trigger: its own messages branded and in the user's language (triggers/custom-message.ts). */
  readonly customMessage: BundledFunction;
  readonly secretsInitializer: BundledFunction;
  readonly secrets: Record<"cookieKeys" | "passkeyProofSecret" | "relyingParties" | "registeredApis" | "oidcJwks" | "appClientSecret", secretsmanager.Secret>;

  constructor(scope: Construct, id: string, props: SignInStackProps) {
    super(scope, id, props);
    const { settings, definition, bundles } = props;
    const publicUrl = `https://${settings.domain}`;

    // ---- Secrets ------------------------------------------------------------------------------
    const generated = (secretId: string, description: string) =>
      new secretsmanager.Secret(this, secretId, {
        description,
        // 64 letters and digits: over 256 bits, and no character that needs quoting in a list.
        generateSecretString: { passwordLength: 64, excludePunctuation: true, includeSpace: false },
      });
    const cookieKeys = generated("CookieKeys", "Tobira BFF cookie signing keys (COOKIE_KEYS): comma-separated, the first signs");
    const passkeyProofSecret = generated("PasskeyProofSecret", "Tobira passkey proof HMAC key (PASSKEY_PROOF_SECRET), shared by the BFF and the triggers");
    const relyingParties = new secretsmanager.Secret(this, "RelyingParties", {
      description: "Tobira relying parties (OIDC_CLIENTS): a JSON array of clients with their secrets",
      // Not secret: an empty registry to start with; the operator writes the real one.
      secretStringValue: SecretValue.unsafePlainText("[]"),
    });
    const registeredApis = new secretsmanager.Secret(this, "RegisteredApis", {
      description: "Tobira registered APIs (OIDC_RESOURCE_SERVERS): a JSON array of resource servers with their introspection secrets",
      // Not secret: an empty registry to start with; the operator writes the real one.
      secretStringValue: SecretValue.unsafePlainText("[]"),
    });

    // ---- Triggers -----------------------------------------------------------------------------
    const triggerEnvironment = {
      PASSKEY_PROOF_SECRET: passkeyProofSecret.secretValue.unsafeUnwrap(),
      OTP_TTL_SECONDS: String(definition.code.lifetimeSeconds),
      OTP_MAX_ATTEMPTS: String(definition.code.maxAttempts),
      CODE_DELIVERY: "ses",
      SES_FROM_ADDRESS: settings.sesFromAddress,
      // A new value makes CloudFormation resolve the secret reference again (after a rotation).
      SECRETS_GENERATION: settings.secretsGeneration,
    };
    const trigger = (triggerId: string, bundleDir: string, description: string) =>
      new BundledFunction(this, triggerId, { bundleDir, description, environment: triggerEnvironment });
    const defineAuthChallenge = trigger("DefineAuthChallenge", bundles.defineAuthChallenge, "Tobira: decides the next custom-auth round");
    const createAuthChallenge = trigger("CreateAuthChallenge", bundles.createAuthChallenge, "Tobira: issues a round and sends the sign-in code");
    const verifyAuthChallenge = trigger("VerifyAuthChallengeResponse", bundles.verifyAuthChallengeResponse, "Tobira: checks a code or a passkey proof");
    // Mail from the configured identity and address only; no SMS (the pool signs in by email).
    createAuthChallenge.role.addToPolicy(
      new iam.PolicyStatement({
        actions: ["ses:SendEmail"],
        resources: [sesIdentityArn(this, settings.sesIdentity)],
        conditions: { StringEquals: { "ses:FromAddress": settings.sesFromAddress } },
      }),
    );

    // Needs no secret and sends nothing itself: it only words the messages Cognito sends.
    const customMessage = new BundledFunction(this, "CustomMessage", {
      bundleDir: bundles.customMessage,
      description: "Tobira: words Cognito's own messages (sign-up, reset, verification codes) in the user's language",
      environment: { EMAIL_SENDING_ACCOUNT: definition.emailSendingAccount },
    });

    // ---- User pool and the BFF's client ---------------------------------------------------------
    const pool = createUserPool(this, "UserPool", {
      definition,
      sesIdentity: settings.sesIdentity,
      sesFromAddress: settings.sesFromAddress,
      lambdaTriggers: {
        defineAuthChallenge: defineAuthChallenge.function,
        createAuthChallenge: createAuthChallenge.function,
        verifyAuthChallengeResponse: verifyAuthChallenge.function,
        customMessage: customMessage.function,
      },
    });
    const client = createAppClient(this, "BffClient", pool, definition.bffClient, definition);

    // ---- Values CloudFormation cannot generate: the signing keys and the client secret -------------
    const initializer = new BundledFunction(this, "SecretsInitializer", {
      bundleDir: bundles.secretsInitializer,
      description: "Tobira: generates the OIDC signing keys and reads the app client secret for Secrets Manager",
      timeout: Duration.seconds(60),
      memorySize: 512,
    });
    initializer.role.addToPolicy(new iam.PolicyStatement({ actions: ["cognito-idp:DescribeUserPoolClient"], resources: [pool.userPoolArn] }));
    const secretValue = (valueId: string, properties: Record<string, string>) =>
      new CustomResource(this, valueId, {
        serviceToken: initializer.function.functionArn,
        resourceType: "Custom::TobiraSecretValue",
        properties,
      }).getAttString("Value");
    const oidcJwks = new secretsmanager.Secret(this, "OidcJwks", {
      description: "Tobira OpenID Provider signing keys (OIDC_JWKS): a private JWKS, newest first",
      secretStringValue: SecretValue.resourceAttribute(secretValue("OidcJwksValue", { Kind: "oidc-jwks" })),
    });
    const clientSecret = new secretsmanager.Secret(this, "AppClientSecret", {
      description: "Tobira BFF app client secret (COGNITO_CLIENT_SECRET), copied from Cognito",
      secretStringValue: SecretValue.resourceAttribute(
        secretValue("AppClientSecretValue", { Kind: "app-client-secret", UserPoolId: pool.userPoolId, ClientId: client.userPoolClientId }),
      ),
    });
    this.userPool = pool;
    this.client = client;
    this.triggers = { defineAuthChallenge, createAuthChallenge, verifyAuthChallengeResponse: verifyAuthChallenge };
    this.customMessage = customMessage;
    this.secretsInitializer = initializer;
    this.secrets = { cookieKeys, passkeyProofSecret, relyingParties, registeredApis, oidcJwks, appClientSecret: clientSecret };
    for (const secret of Object.values(this.secrets)) {
      Validations.of(secret).acknowledge({ id: "AwsSolutions-SMG4", reason: ROTATION_REASON });
    }

    // ---- The store ----------------------------------------------------------------------------
    this.table = new dynamodb.Table(this, "Store", {
      partitionKey: { name: storeTable.partitionKey, type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      timeToLiveAttribute: storeTable.timeToLiveAttribute,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.table.addGlobalSecondaryIndex({
      indexName: storeTable.indexName,
      partitionKey: { name: storeTable.indexPartitionKey, type: dynamodb.AttributeType.STRING },
      projectionType: dynamodb.ProjectionType.ALL,
    });

    // ---- The BFF ------------------------------------------------------------------------------
    this.bff = new BffService(this, "Bff", {
      settings,
      domain: settings.domain,
      certificateArn: settings.certificateArn,
      healthCheckPath: "/readyz",
      environment: {
        TOBIRA_MODE: "aws",
        PUBLIC_URL: publicUrl,
        AWS_REGION: this.region,
        COGNITO_USER_POOL_ID: pool.userPoolId,
        COGNITO_CLIENT_ID: client.userPoolClientId,
        DYNAMODB_TABLE: this.table.tableName,
        OTP_MAX_ATTEMPTS: String(definition.code.maxAttempts),
        // The pool's policy, for the SPA's new-password checklist (GET /api/config); Cognito enforces it.
        PASSWORD_POLICY: JSON.stringify(definition.passwordPolicy),
        LOG_LEVEL: "info",
        // A new value starts new tasks, which read the secrets again (after a rotation).
        SECRETS_GENERATION: settings.secretsGeneration,
      },
      secrets: {
        COOKIE_KEYS: ecs.Secret.fromSecretsManager(cookieKeys),
        PASSKEY_PROOF_SECRET: ecs.Secret.fromSecretsManager(passkeyProofSecret),
        OIDC_JWKS: ecs.Secret.fromSecretsManager(oidcJwks),
        OIDC_CLIENTS: ecs.Secret.fromSecretsManager(relyingParties),
        OIDC_RESOURCE_SERVERS: ecs.Secret.fromSecretsManager(registeredApis),
        COGNITO_CLIENT_SECRET: ecs.Secret.fromSecretsManager(clientSecret),
      },
    });
    this.bff.taskRole.addToPolicy(new iam.PolicyStatement({ actions: [...storeItemActions], resources: [this.table.tableArn] }));
    this.bff.taskRole.addToPolicy(new iam.PolicyStatement({ actions: [...storeIndexActions], resources: [`${this.table.tableArn}/index/${storeTable.indexName}`] }));
    // Two admin calls, on this pool only; every other call is a public one. AdminGetUser: the OpenID
    // Provider asks whether a user without a Tobira session is still enabled before an app's
    // refresh (bff/oidc/live-user.ts). AdminUserGlobalSignOut: a password reset ends every Cognito
    // refresh token of the user, also without a session to lend a token (bff/password/after-reset.ts).
    this.bff.taskRole.addToPolicy(
      new iam.PolicyStatement({ actions: ["cognito-idp:AdminGetUser", "cognito-idp:AdminUserGlobalSignOut"], resources: [pool.userPoolArn] }),
    );

    // ---- Alarms and dashboard -------------------------------------------------------------------
    this.monitoring = new Monitoring(this, "Monitoring", {
      loadBalancer: this.bff.loadBalancer,
      service: this.bff.service,
      functions: {
        DefineAuthChallenge: defineAuthChallenge.function,
        CreateAuthChallenge: createAuthChallenge.function,
        VerifyAuthChallengeResponse: verifyAuthChallenge.function,
      },
      signInMetrics: true,
      alarmEmail: settings.alarmEmail,
    });

    new CfnOutput(this, "Url", { value: publicUrl, description: "The sign-in service" });
    new CfnOutput(this, "LoadBalancerDnsName", {
      value: this.bff.loadBalancer.loadBalancerDnsName,
      description: `Point ${settings.domain} here (CNAME or alias) unless a hosted zone was given`,
    });
    new CfnOutput(this, "UserPoolId", { value: pool.userPoolId });
    new CfnOutput(this, "AppClientId", { value: client.userPoolClientId });
    new CfnOutput(this, "TableName", { value: this.table.tableName });
    new CfnOutput(this, "RelyingPartiesSecretArn", { value: relyingParties.secretArn, description: "Register relying parties here (OIDC_CLIENTS)" });
    new CfnOutput(this, "RegisteredApisSecretArn", { value: registeredApis.secretArn, description: "Register APIs (resource servers) here (OIDC_RESOURCE_SERVERS)" });
    new CfnOutput(this, "CookieKeysSecretArn", { value: cookieKeys.secretArn });
    new CfnOutput(this, "PasskeyProofSecretArn", { value: passkeyProofSecret.secretArn });
    new CfnOutput(this, "OidcJwksSecretArn", { value: oidcJwks.secretArn });
    new CfnOutput(this, "ClusterName", { value: this.bff.cluster.clusterName });
    new CfnOutput(this, "ServiceName", { value: this.bff.service.serviceName });
    new CfnOutput(this, "AlarmTopicArn", { value: this.monitoring.topic.topicArn, description: "Subscribe to receive the alarms" });
    new CfnOutput(this, "DashboardName", { value: this.monitoring.dashboard.dashboardName });
  }
}
