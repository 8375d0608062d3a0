import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Match } from "aws-cdk-lib/assertions";
import { loadBffRuntimeConfig } from "../../bff/config";
import { generateSigningKeys } from "../../bff/oidc/signing-keys";
import { METRIC_NAMESPACE, MetricName } from "../../common/metric-names";
import { ALB_TRUST_PROXY, BFF_PORT } from "../../infra/bff-service";
import { repoRoot } from "../../infra/bundle-triggers";
import { storeIndexActions, storeItemActions, storeTable } from "../../infra/sign-in-stack";
import { loadCustomMessageConfig, loadTriggersConfig } from "../../triggers/config";
import { type SynthesizedApp, asArray, logicalId, onlyResource, removeTestBundles, resources, sampleEnvironment, statementsOfRole, synthesizeTobira } from "./support";

let synthesized: SynthesizedApp;
beforeAll(() => {
  synthesized = synthesizeTobira();
}, 180_000);
afterAll(() => {
  synthesized.cleanup();
  removeTestBundles();
});

const template = () => synthesized.signIn;
const stack = () => synthesized.stacks.signIn;
const ref = (construct: Parameters<typeof logicalId>[0]) => ({ Ref: logicalId(construct) });
const arnOf = (construct: Parameters<typeof logicalId>[0]) => ({ "Fn::GetAtt": [logicalId(construct), "Arn"] });

function containerDefinition(): Record<string, unknown> {
  const [, taskDefinition] = onlyResource(template(), "AWS::ECS::TaskDefinition");
  return (taskDefinition.Properties!.ContainerDefinitions as Record<string, unknown>[])[0]!;
}

function containerEnvironment(): Record<string, unknown> {
  const entries = containerDefinition().Environment as { Name: string; Value: unknown }[];
  return Object.fromEntries(entries.map((entry) => [entry.Name, entry.Value]));
}

describe("user pool", () => {
  test("signs in by email, verifies email automatically and enforces the defined password policy", () => {
    const { passwordPolicy } = synthesized.definition;
    template().hasResourceProperties("AWS::Cognito::UserPool", {
      UsernameAttributes: ["email"],
      AutoVerifiedAttributes: ["email"],
      Policies: {
        PasswordPolicy: {
          MinimumLength: passwordPolicy.minimumLength,
          RequireUppercase: passwordPolicy.requireUppercase,
          RequireLowercase: passwordPolicy.requireLowercase,
          RequireNumbers: passwordPolicy.requireNumbers,
          RequireSymbols: passwordPolicy.requireSymbols,
        },
      },
    });
  });

  test("is deletion-protected and retained when the stack is deleted", () => {
    const [, pool] = onlyResource(template(), "AWS::Cognito::UserPool");
    expect(pool.Properties!.DeletionProtection).toBe("ACTIVE");
    expect(pool.DeletionPolicy).toBe("Retain");
    expect(pool.UpdateReplacePolicy).toBe("Retain");
  });

  test("sends Cognito's own mail through the configured SES identity", () => {
    template().hasResourceProperties("AWS::Cognito::UserPool", {
      EmailConfiguration: {
        EmailSendingAccount: "DEVELOPER",
        From: "no-reply@example.org",
        SourceArn: Match.objectLike({ "Fn::Join": ["", Match.arrayWith([":identity/example.org"])] }),
      },
    });
  });

  test("runs the three custom-auth triggers, each allowed to be invoked by this pool only", () => {
    const { triggers, userPool } = stack();
    template().hasResourceProperties("AWS::Cognito::UserPool", {
      LambdaConfig: {
        DefineAuthChallenge: arnOf(triggers.defineAuthChallenge.function),
        CreateAuthChallenge: arnOf(triggers.createAuthChallenge.function),
        VerifyAuthChallengeResponse: arnOf(triggers.verifyAuthChallengeResponse.function),
      },
    });
    template().hasResourceProperties("AWS::Cognito::UserPool", { LambdaConfig: { CustomMessage: arnOf(stack().customMessage.function) } });
    for (const trigger of [...Object.values(triggers), stack().customMessage]) {
      template().hasResourceProperties("AWS::Lambda::Permission", {
        Action: "lambda:InvokeFunction",
        FunctionName: arnOf(trigger.function),
        Principal: "cognito-idp.amazonaws.com",
        SourceArn: arnOf(userPool),
      });
    }
  });
});

describe("the CustomMessage trigger", () => {
  test("runs Node 22 from its esbuild bundle, with its own log group, told who sends the pool's mail", () => {
    const { customMessage } = stack();
    const [, fn] = onlyResource(template(), "AWS::Lambda::Function", { Properties: Match.objectLike({ Role: arnOf(customMessage.role) }) });
    expect(fn.Properties).toMatchObject({
      Handler: "index.handler",
      Runtime: "nodejs22.x",
      LoggingConfig: { LogGroup: ref(customMessage.logGroup) },
      Environment: { Variables: { NODE_OPTIONS: "--enable-source-maps", EMAIL_SENDING_ACCOUNT: synthesized.definition.emailSendingAccount } },
    });
    const variables = (fn.Properties!.Environment as { Variables: Record<string, string> }).Variables;
    expect(loadCustomMessageConfig(variables)).toEqual({ emailSendingAccount: synthesized.definition.emailSendingAccount });
  });

  test("gets no secret and may only write its logs (it sends nothing itself)", () => {
    const { customMessage } = stack();
    const [, fn] = onlyResource(template(), "AWS::Lambda::Function", { Properties: Match.objectLike({ Role: arnOf(customMessage.role) }) });
    expect(JSON.stringify(fn.Properties!.Environment)).not.toContain("secretsmanager");
    expect(statementsOfRole(template(), logicalId(customMessage.role))).toEqual([
      { Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: arnOf(customMessage.logGroup) },
    ]);
  });
});

describe("the BFF's app client", () => {
  test("has a secret, the defined flows, token revocation and no user-existence errors", () => {
    const { bffClient } = synthesized.definition;
    template().hasResourceProperties("AWS::Cognito::UserPoolClient", {
      GenerateSecret: true,
      ExplicitAuthFlows: [...bffClient.explicitAuthFlows],
      EnableTokenRevocation: true,
      // Explicitly off: Cognito refuses REFRESH_TOKEN_AUTH, which the BFF refreshes with, when rotation is on.
      RefreshTokenRotation: { Feature: "DISABLED" },
      PreventUserExistenceErrors: "ENABLED",
    });
    expect(bffClient.explicitAuthFlows).toEqual(expect.arrayContaining(["ALLOW_CUSTOM_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]));
  });

  test("allows no flow that issues tokens for the password alone (only CUSTOM_AUTH, with SRP inside, and refresh)", () => {
    const { bffClient } = synthesized.definition;
    expect([...bffClient.explicitAuthFlows].sort()).toEqual(["ALLOW_CUSTOM_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]);
    const [, client] = onlyResource(template(), "AWS::Cognito::UserPoolClient");
    for (const flow of ["ALLOW_USER_PASSWORD_AUTH", "USER_PASSWORD_AUTH", "ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_USER_AUTH"]) {
      expect(client.Properties!.ExplicitAuthFlows).not.toContain(flow);
    }
  });

  test("keeps the challenge session at least as long as a sign-in code lives", () => {
    const [, client] = onlyResource(template(), "AWS::Cognito::UserPoolClient");
    const minutes = client.Properties!.AuthSessionValidity as number;
    expect(minutes).toBe(synthesized.definition.authSessionValidityMinutes);
    expect(minutes * 60).toBeGreaterThanOrEqual(synthesized.definition.code.lifetimeSeconds);
  });

  test("issues tokens with the defined lifetimes", () => {
    const { bffClient } = synthesized.definition;
    template().hasResourceProperties("AWS::Cognito::UserPoolClient", {
      AccessTokenValidity: bffClient.accessTokenValidityMinutes,
      IdTokenValidity: bffClient.idTokenValidityMinutes,
      RefreshTokenValidity: bffClient.refreshTokenValidityDays * 24 * 60,
      TokenValidityUnits: { AccessToken: "minutes", IdToken: "minutes", RefreshToken: "minutes" },
    });
  });

  test("has no OAuth flows (the BFF signs in through the API, not managed login)", () => {
    const [, client] = onlyResource(template(), "AWS::Cognito::UserPoolClient");
    expect(client.Properties!.AllowedOAuthFlowsUserPoolClient).toBe(false);
    expect(client.Properties!.AllowedOAuthFlows).toBeUndefined();
    expect(client.Properties!.CallbackURLs).toBeUndefined();
  });
});

describe("triggers", () => {
  test("run Node 22 on arm64 from the esbuild bundles, with their own log group", () => {
    for (const trigger of Object.values(stack().triggers)) {
      const [, fn] = onlyResource(template(), "AWS::Lambda::Function", { Properties: Match.objectLike({ Handler: "index.handler", Role: arnOf(trigger.role) }) });
      expect(fn.Properties).toMatchObject({ Runtime: "nodejs22.x", Architectures: ["arm64"], LoggingConfig: { LogGroup: ref(trigger.logGroup) } });
      expect((fn.Properties!.Code as { S3Key: string }).S3Key).toMatch(/^[0-9a-f]{64}\.zip$/);
    }
  });

  test("get the code settings and the shared passkey secret from Secrets Manager, and send mail through SES", () => {
    const { code } = synthesized.definition;
    for (const trigger of Object.values(stack().triggers)) {
      template().hasResourceProperties("AWS::Lambda::Function", {
        Role: arnOf(trigger.role),
        Environment: {
          Variables: Match.objectLike({
            OTP_TTL_SECONDS: String(code.lifetimeSeconds),
            OTP_MAX_ATTEMPTS: String(code.maxAttempts),
            CODE_DELIVERY: "ses",
            SES_FROM_ADDRESS: "no-reply@example.org",
            PASSKEY_PROOF_SECRET: { "Fn::Join": ["", ["{{resolve:secretsmanager:", ref(stack().secrets.passkeyProofSecret), ":SecretString:::}}"]] },
          }),
        },
      });
    }
  });

  test("their environment is one the triggers' configuration accepts, with the definition's code settings", () => {
    const { triggers, secrets } = stack();
    for (const trigger of Object.values(triggers)) {
      const [, fn] = onlyResource(template(), "AWS::Lambda::Function", { Properties: Match.objectLike({ Role: arnOf(trigger.role) }) });
      const variables = (fn.Properties!.Environment as { Variables: Record<string, unknown> }).Variables;
      const secret = "s".repeat(64);
      const config = loadTriggersConfig({ ...sampleEnvironment(variables, {}, { [logicalId(secrets.passkeyProofSecret)]: secret }), AWS_REGION: "eu-west-1" });
      expect(config).toMatchObject({
        passkeyProofSecret: secret,
        otpTtlSeconds: synthesized.definition.code.lifetimeSeconds,
        otpMaxAttempts: synthesized.definition.code.maxAttempts,
        sesFromAddress: "no-reply@example.org",
      });
    }
  });

  test("may only write their logs; the create trigger may also send mail from the configured identity and address, nothing else", () => {
    const { triggers } = stack();
    for (const trigger of Object.values(triggers)) {
      const statements = statementsOfRole(template(), logicalId(trigger.role));
      const logs = statements.filter((statement) => asArray(statement.Action as string | string[]).every((action) => action.startsWith("logs:")));
      expect(logs).toEqual([{ Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: arnOf(trigger.logGroup) }]);
      const others = statements.filter((statement) => !logs.includes(statement));
      if (trigger === triggers.createAuthChallenge) {
        expect(others).toEqual([
          {
            Effect: "Allow",
            Action: "ses:SendEmail",
            Resource: { "Fn::Join": ["", ["arn:", { Ref: "AWS::Partition" }, ":ses:eu-west-1:", { Ref: "AWS::AccountId" }, ":identity/example.org"]] },
            Condition: { StringEquals: { "ses:FromAddress": "no-reply@example.org" } },
          },
        ]);
      } else {
        expect(others).toEqual([]);
      }
    }
  });

  test("roles carry no managed policies", () => {
    const json = template().toJSON() as { Resources: Record<string, { Properties: Record<string, unknown> }> };
    for (const trigger of Object.values(stack().triggers)) {
      expect(json.Resources[logicalId(trigger.role)]!.Properties.ManagedPolicyArns).toBeUndefined();
    }
  });
});

describe("store table", () => {
  test("is keyed, expired and indexed as the store expects, on demand, with point-in-time recovery, retained", () => {
    const [, table] = onlyResource(template(), "AWS::DynamoDB::Table");
    expect(table.Properties).toMatchObject({
      KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }],
      AttributeDefinitions: expect.arrayContaining([
        { AttributeName: "pk", AttributeType: "S" },
        { AttributeName: "ix", AttributeType: "S" },
      ]),
      TimeToLiveSpecification: { AttributeName: "expiresAt", Enabled: true },
      GlobalSecondaryIndexes: [{ IndexName: "byIndex", KeySchema: [{ AttributeName: "ix", KeyType: "HASH" }], Projection: { ProjectionType: "ALL" } }],
      BillingMode: "PAY_PER_REQUEST",
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      DeletionProtectionEnabled: true,
    });
    expect(table.DeletionPolicy).toBe("Retain");
    expect(table.UpdateReplacePolicy).toBe("Retain");
  });
});

describe("BFF service", () => {
  test("runs at least two Fargate tasks in private subnets of two availability zones", () => {
    const [, service] = onlyResource(template(), "AWS::ECS::Service");
    expect(service.Properties!.LaunchType).toBe("FARGATE");
    expect(service.Properties!.DesiredCount).toBeGreaterThanOrEqual(2);
    const network = service.Properties!.NetworkConfiguration as { AwsvpcConfiguration: { Subnets: unknown[]; AssignPublicIp: string } };
    expect(network.AwsvpcConfiguration.AssignPublicIp).toBe("DISABLED");
    const privateSubnets = stack().bff.vpc.privateSubnets;
    expect(network.AwsvpcConfiguration.Subnets).toEqual(privateSubnets.map((subnet) => ({ Ref: logicalId(subnet) })));
    expect(new Set(privateSubnets.map((subnet) => subnet.availabilityZone)).size).toBeGreaterThanOrEqual(2);
  });

  test("runs the repository's Dockerfile image, which is Node 22 in every stage", () => {
    expect(JSON.stringify(containerDefinition().Image)).toContain("container-assets");
    const manifest = JSON.parse(readFileSync(join(synthesized.outdir, "TobiraSignIn.assets.json"), "utf8")) as {
      dockerImages: Record<string, { source: { directory: string; dockerFile?: string } }>;
    };
    const images = Object.values(manifest.dockerImages);
    expect(images).toHaveLength(1);
    expect(images[0]!.source.dockerFile ?? "Dockerfile").toBe("Dockerfile");
    const stages = readFileSync(join(repoRoot, "Dockerfile"), "utf8").match(/^FROM\s+\S+/gim) ?? [];
    expect(stages.length).toBeGreaterThan(0);
    for (const stage of stages) expect(stage).toMatch(/^FROM\s+node:22[-.@\w]*$/i);
  });

  test("runs the container as a non-root user on a read-only root file system", () => {
    const container = containerDefinition();
    expect(container.User).toMatch(/^[1-9]\d*(:[1-9]\d*)?$/);
    expect(container.ReadonlyRootFilesystem).toBe(true);
  });

  test("checks liveness on /healthz in the container and readiness on /readyz at the load balancer", () => {
    const healthCheck = containerDefinition().HealthCheck as { Command: string[] };
    expect(healthCheck.Command.join(" ")).toContain(`http://127.0.0.1:${BFF_PORT}/healthz`);
    template().hasResourceProperties("AWS::ElasticLoadBalancingV2::TargetGroup", {
      HealthCheckPath: "/readyz",
      Port: BFF_PORT,
      TargetType: "ip",
      Matcher: { HttpCode: "200" },
    });
  });

  test("trusts exactly one proxy hop: the load balancer", () => {
    expect(ALB_TRUST_PROXY).toBe("1");
    expect(containerEnvironment().TRUST_PROXY).toBe("1");
  });

  test("gets its settings from the stack and its secrets from Secrets Manager", () => {
    const { secrets, userPool, client, table } = stack();
    expect(containerEnvironment()).toMatchObject({
      TOBIRA_MODE: "aws",
      PUBLIC_URL: "https://signin.example.org",
      AWS_REGION: "eu-west-1",
      COGNITO_USER_POOL_ID: ref(userPool),
      COGNITO_CLIENT_ID: ref(client),
      DYNAMODB_TABLE: ref(table),
      OTP_MAX_ATTEMPTS: String(synthesized.definition.code.maxAttempts),
    });
    expect(containerDefinition().Secrets).toEqual([
      { Name: "COOKIE_KEYS", ValueFrom: ref(secrets.cookieKeys) },
      { Name: "PASSKEY_PROOF_SECRET", ValueFrom: ref(secrets.passkeyProofSecret) },
      { Name: "OIDC_JWKS", ValueFrom: ref(secrets.oidcJwks) },
      { Name: "OIDC_CLIENTS", ValueFrom: ref(secrets.relyingParties) },
      { Name: "OIDC_RESOURCE_SERVERS", ValueFrom: ref(secrets.registeredApis) },
      { Name: "COGNITO_CLIENT_SECRET", ValueFrom: ref(secrets.appClientSecret) },
    ]);
    const environmentText = JSON.stringify(containerEnvironment());
    expect(environmentText).not.toMatch(/secretsmanager/);
  });

  test("its environment and secrets are what the BFF's configuration needs in aws mode", () => {
    const { userPool, client } = stack();
    const environment = sampleEnvironment(containerEnvironment(), { [logicalId(userPool)]: "eu-west-1_TestPool1", [logicalId(client)]: "testclientid0000000000000" });
    const secrets = {
      COOKIE_KEYS: "c".repeat(64),
      PASSKEY_PROOF_SECRET: "p".repeat(64),
      OIDC_JWKS: JSON.stringify(generateSigningKeys()),
      OIDC_CLIENTS: "[]",
      OIDC_RESOURCE_SERVERS: "[]",
      COGNITO_CLIENT_SECRET: "client-secret",
    };
    expect(Object.keys(secrets)).toEqual((containerDefinition().Secrets as { Name: string }[]).map((secret) => secret.Name));
    const config = loadBffRuntimeConfig({ ...environment, ...secrets });
    expect(config.kind).toBe("sign-in");
    expect(config).toMatchObject({ mode: "aws", publicUrl: "https://signin.example.org", trustProxy: 1, port: BFF_PORT });
  });

  test("scales between the minimum and maximum tasks on CPU and on requests per target", () => {
    template().hasResourceProperties("AWS::ApplicationAutoScaling::ScalableTarget", { MinCapacity: 2, MaxCapacity: 6, ScalableDimension: "ecs:service:DesiredCount" });
    const metrics = resources(template(), "AWS::ApplicationAutoScaling::ScalingPolicy").map(
      ([, policy]) =>
        (policy.Properties!.TargetTrackingScalingPolicyConfiguration as { PredefinedMetricSpecification: { PredefinedMetricType: string } }).PredefinedMetricSpecification
          .PredefinedMetricType,
    );
    expect(metrics.sort()).toEqual(["ALBRequestCountPerTarget", "ECSServiceAverageCPUUtilization"]);
  });

  test("the task role may only run item operations on the table, queries on its index, and AdminGetUser / AdminUserGlobalSignOut on the pool", () => {
    const { bff, table } = stack();
    const statements = statementsOfRole(template(), logicalId(bff.taskRole));
    expect(statements).toEqual([
      { Effect: "Allow", Action: [...storeItemActions], Resource: arnOf(table) },
      {
        Effect: "Allow",
        Action: storeIndexActions.length === 1 ? storeIndexActions[0] : [...storeIndexActions],
        Resource: { "Fn::Join": ["", [arnOf(table), `/index/${storeTable.indexName}`]] },
      },
      { Effect: "Allow", Action: ["cognito-idp:AdminGetUser", "cognito-idp:AdminUserGlobalSignOut"], Resource: expect.anything() },
    ]);
    const roleResource = (template().toJSON() as { Resources: Record<string, { Properties: Record<string, unknown> }> }).Resources[logicalId(bff.taskRole)]!;
    expect(roleResource.Properties.ManagedPolicyArns).toBeUndefined();
  });

  test("no role in the stack may call a Cognito admin API but the BFF's AdminGetUser and AdminUserGlobalSignOut", () => {
    const actions = resources(template(), "AWS::IAM::Policy").flatMap(([, policy]) =>
      (policy.Properties!.PolicyDocument as { Statement: { Action: string | string[] }[] }).Statement.flatMap((statement) => asArray(statement.Action)),
    );
    expect(actions.filter((action) => /^cognito-idp:(Admin|\*)/i.test(action))).toEqual(["cognito-idp:AdminGetUser", "cognito-idp:AdminUserGlobalSignOut"]);
    expect(actions.filter((action) => action.endsWith("*") && !action.startsWith("kms:GenerateDataKey"))).toEqual([]);
  });
});

describe("load balancer", () => {
  test("answers HTTPS with the given certificate and a TLS 1.2+ policy, and redirects HTTP to HTTPS", () => {
    template().hasResourceProperties("AWS::ElasticLoadBalancingV2::Listener", {
      Port: 443,
      Protocol: "HTTPS",
      Certificates: [{ CertificateArn: synthesized.settings.certificateArn }],
      SslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
      DefaultActions: [{ Type: "forward", TargetGroupArn: ref(stack().bff.targetGroup) }],
    });
    template().hasResourceProperties("AWS::ElasticLoadBalancingV2::Listener", {
      Port: 80,
      Protocol: "HTTP",
      DefaultActions: [{ Type: "redirect", RedirectConfig: { Protocol: "HTTPS", Port: "443", StatusCode: "HTTP_301" } }],
    });
  });

  test("drops invalid header fields and writes access logs", () => {
    const [, lb] = onlyResource(template(), "AWS::ElasticLoadBalancingV2::LoadBalancer");
    const attributes = Object.fromEntries((lb.Properties!.LoadBalancerAttributes as { Key: string; Value: string }[]).map((entry) => [entry.Key, entry.Value]));
    expect(attributes).toMatchObject({ "routing.http.drop_invalid_header_fields.enabled": "true", "access_logs.s3.enabled": "true" });
    expect(lb.Properties!.Scheme).toBe("internet-facing");
  });

  test("the tasks accept traffic from the load balancer's security group only", () => {
    const ingress = resources(template(), "AWS::EC2::SecurityGroupIngress");
    expect(ingress).toHaveLength(1);
    const [albGroup] = stack().bff.loadBalancer.connections.securityGroups;
    const [serviceGroup] = stack().bff.service.connections.securityGroups;
    expect(ingress[0]![1].Properties).toMatchObject({
      IpProtocol: "tcp",
      FromPort: BFF_PORT,
      ToPort: BFF_PORT,
      GroupId: { "Fn::GetAtt": [logicalId(serviceGroup!), "GroupId"] },
      SourceSecurityGroupId: { "Fn::GetAtt": [logicalId(albGroup!), "GroupId"] },
    });
    const json = template().toJSON() as { Resources: Record<string, { Properties: Record<string, unknown> }> };
    expect(json.Resources[logicalId(serviceGroup!)]!.Properties.SecurityGroupIngress).toBeUndefined();
  });

  test("gets an alias record in the given hosted zone", () => {
    template().hasResourceProperties("AWS::Route53::RecordSet", { Name: "signin.example.org.", Type: "A", HostedZoneId: "Z0123456789ABCDEFGHIJ" });
  });
});

describe("secrets and logs", () => {
  test("keeps cookie keys, the passkey secret, the signing keys, the relying parties, the registered APIs and the client secret in Secrets Manager", () => {
    expect(resources(template(), "AWS::SecretsManager::Secret")).toHaveLength(6);
    template().hasResourceProperties("AWS::SecretsManager::Secret", { Description: Match.stringLikeRegexp("OIDC_RESOURCE_SERVERS"), SecretString: "[]" });
    template().hasResourceProperties("AWS::SecretsManager::Secret", {
      GenerateSecretString: { PasswordLength: 64, ExcludePunctuation: true, IncludeSpace: false },
    });
    template().hasResourceProperties("Custom::TobiraSecretValue", { Kind: "oidc-jwks" });
    template().hasResourceProperties("Custom::TobiraSecretValue", { Kind: "app-client-secret", UserPoolId: ref(stack().userPool), ClientId: ref(stack().client) });
  });

  test("the secrets initializer may read this pool's clients and nothing else of Cognito", () => {
    const statements = statementsOfRole(template(), logicalId(stack().secretsInitializer.role));
    expect(statements.filter((statement) => JSON.stringify(statement.Action).includes("cognito-idp"))).toEqual([
      { Effect: "Allow", Action: "cognito-idp:DescribeUserPoolClient", Resource: arnOf(stack().userPool) },
    ]);
  });

  test("every log group has a retention", () => {
    const groups = resources(template(), "AWS::Logs::LogGroup");
    expect(groups.length).toBeGreaterThanOrEqual(6);
    for (const [, group] of groups) expect(group.Properties!.RetentionInDays).toBeGreaterThan(0);
  });
});

describe("alarms and dashboard", () => {
  const alarmsOn = (metricName: string) =>
    resources(template(), "AWS::CloudWatch::Alarm").filter(([, alarm]) => JSON.stringify(alarm.Properties).includes(`"MetricName":"${metricName}"`));

  test("alarm on the 5xx rate of the load balancer and the BFF", () => {
    expect(alarmsOn("HTTPCode_ELB_5XX_Count")).toHaveLength(1);
    expect(JSON.stringify(alarmsOn("HTTPCode_ELB_5XX_Count")[0]![1].Properties)).toContain("HTTPCode_Target_5XX_Count");
  });

  test("alarm on sign-in failure spikes, throttling and Cognito errors, from the BFF's EMF metrics", () => {
    for (const metric of [MetricName.SignInFailed, MetricName.RateLimited, MetricName.CognitoError]) {
      const alarms = alarmsOn(metric);
      expect(alarms.length, metric).toBeGreaterThanOrEqual(1);
      expect(JSON.stringify(alarms[0]![1].Properties)).toContain(`"Namespace":"${METRIC_NAMESPACE}"`);
    }
  });

  test("alarm on errors of each trigger", () => {
    const errorAlarms = alarmsOn("Errors");
    expect(errorAlarms).toHaveLength(3);
    for (const trigger of Object.values(stack().triggers)) {
      expect(errorAlarms.some(([, alarm]) => JSON.stringify(alarm.Properties).includes(JSON.stringify(ref(trigger.function))))).toBe(true);
    }
  });

  test("every alarm notifies the alarm topic, which the given address subscribes to", () => {
    const topic = ref(stack().monitoring.topic);
    for (const [, alarm] of resources(template(), "AWS::CloudWatch::Alarm")) expect(alarm.Properties!.AlarmActions).toEqual([topic]);
    template().hasResourceProperties("AWS::SNS::Subscription", { Protocol: "email", Endpoint: "ops@example.org", TopicArn: topic });
    template().hasResourceProperties("AWS::SNS::Topic", { KmsMasterKeyId: Match.anyValue() });
  });

  test("a dashboard shows the Tobira metrics", () => {
    const [, dashboard] = onlyResource(template(), "AWS::CloudWatch::Dashboard");
    const body = JSON.stringify(dashboard.Properties!.DashboardBody);
    for (const metric of Object.values(MetricName)) expect(body, metric).toContain(metric);
  });
});
