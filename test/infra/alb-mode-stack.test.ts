import { Match } from "aws-cdk-lib/assertions";
import { loadBffRuntimeConfig } from "../../bff/config";
import { ALB_SESSION_COOKIE_NAME } from "../../common/alb-logout";
import { LOGOUT_PATH } from "../../infra/alb-mode-stack";
import { BFF_PORT } from "../../infra/bff-service";
import { loadAlbLogoutConfig } from "../../triggers/alb-logout-config";
import { type SynthesizedApp, logicalId, onlyResource, removeTestBundles, resources, sampleEnvironment, statementsOfRole, synthesizeTobira } from "./support";

let synthesized: SynthesizedApp;
beforeAll(() => {
  synthesized = synthesizeTobira();
}, 180_000);
afterAll(() => {
  synthesized.cleanup();
  removeTestBundles();
});

const template = () => synthesized.albMode;
const stack = () => synthesized.stacks.albMode;
const ref = (construct: Parameters<typeof logicalId>[0]) => ({ Ref: logicalId(construct) });
const arnOf = (construct: Parameters<typeof logicalId>[0]) => ({ "Fn::GetAtt": [logicalId(construct), "Arn"] });

function containerDefinition(): Record<string, unknown> {
  const [, taskDefinition] = onlyResource(template(), "AWS::ECS::TaskDefinition");
  return (taskDefinition.Properties!.ContainerDefinitions as Record<string, unknown>[])[0]!;
}

describe("managed login", () => {
  test("the pool has a managed-login domain with the configured prefix", () => {
    template().hasResourceProperties("AWS::Cognito::UserPoolDomain", { Domain: "tobira-test", UserPoolId: ref(stack().userPool) });
  });

  test("the pool is the defined one, deletion-protected and retained", () => {
    const [, pool] = onlyResource(template(), "AWS::Cognito::UserPool");
    expect(pool.Properties).toMatchObject({
      UsernameAttributes: ["email"],
      DeletionProtection: "ACTIVE",
      Policies: { PasswordPolicy: { MinimumLength: synthesized.definition.passwordPolicy.minimumLength } },
    });
    expect(pool.DeletionPolicy).toBe("Retain");
  });

  test("the load balancer's client uses the code flow, the idpresponse callback and the registered sign-out URL", () => {
    const { albClient } = synthesized.definition;
    template().hasResourceProperties("AWS::Cognito::UserPoolClient", {
      GenerateSecret: true,
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ["code"],
      AllowedOAuthScopes: [...albClient.allowedOAuthScopes],
      CallbackURLs: ["https://alb.example.org/oauth2/idpresponse"],
      LogoutURLs: ["https://alb.example.org/"],
      SupportedIdentityProviders: ["COGNITO"],
      ExplicitAuthFlows: [...albClient.explicitAuthFlows],
      PreventUserExistenceErrors: "ENABLED",
      EnableTokenRevocation: true,
      AuthSessionValidity: synthesized.definition.authSessionValidityMinutes,
    });
  });
});

describe("listener", () => {
  test("signs users in with authenticate-cognito, then forwards to the BFF", () => {
    template().hasResourceProperties("AWS::ElasticLoadBalancingV2::Listener", {
      Port: 443,
      Protocol: "HTTPS",
      Certificates: [{ CertificateArn: synthesized.settings.albCertificateArn }],
      DefaultActions: [
        {
          Type: "authenticate-cognito",
          Order: 1,
          AuthenticateCognitoConfig: Match.objectLike({
            UserPoolArn: arnOf(stack().userPool),
            UserPoolClientId: ref(stack().client),
            UserPoolDomain: ref(stack().domain),
            SessionCookieName: ALB_SESSION_COOKIE_NAME,
            Scope: synthesized.definition.albClient.allowedOAuthScopes.join(" "),
          }),
        },
        { Type: "forward", Order: 2, TargetGroupArn: ref(stack().bff.targetGroup) },
      ],
    });
  });

  test("may reach the managed-login endpoints over HTTPS", () => {
    const [albGroup] = stack().bff.loadBalancer.connections.securityGroups;
    const json = template().toJSON() as { Resources: Record<string, { Properties: Record<string, unknown> }> };
    expect(json.Resources[logicalId(albGroup!)]!.Properties.SecurityGroupEgress).toEqual([
      expect.objectContaining({ CidrIp: "0.0.0.0/0", FromPort: 443, ToPort: 443, IpProtocol: "tcp" }),
    ]);
  });

  test("sends /logout to the logout Lambda without an authenticate action", () => {
    const [, rule] = onlyResource(template(), "AWS::ElasticLoadBalancingV2::ListenerRule");
    expect(rule.Properties).toMatchObject({
      Priority: 1,
      Conditions: [{ Field: "path-pattern", PathPatternConfig: { Values: [LOGOUT_PATH] } }],
      Actions: [{ Type: "forward", TargetGroupArn: ref(stack().logoutTargets) }],
    });
  });

  test("the logout target group is the Lambda with multi-value headers enabled", () => {
    const [, group] = onlyResource(template(), "AWS::ElasticLoadBalancingV2::TargetGroup", { Properties: Match.objectLike({ TargetType: "lambda" }) });
    expect(group.Properties).toMatchObject({
      Targets: [{ Id: arnOf(stack().logout.function) }],
      TargetGroupAttributes: expect.arrayContaining([{ Key: "lambda.multi_value_headers.enabled", Value: "true" }]),
    });
    template().hasResourceProperties("AWS::Lambda::Permission", {
      Action: "lambda:InvokeFunction",
      FunctionName: arnOf(stack().logout.function),
      Principal: "elasticloadbalancing.amazonaws.com",
    });
  });
});

describe("ALB-logout Lambda", () => {
  test("runs Node 22 on arm64 from its bundle and may only write its logs", () => {
    const { logout } = stack();
    template().hasResourceProperties("AWS::Lambda::Function", {
      Role: arnOf(logout.role),
      Runtime: "nodejs22.x",
      Architectures: ["arm64"],
      Handler: "index.handler",
      LoggingConfig: { LogGroup: ref(logout.logGroup) },
    });
    expect(statementsOfRole(template(), logicalId(logout.role))).toEqual([
      { Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: arnOf(logout.logGroup) },
    ]);
  });

  test("its environment is one the ALB-logout configuration accepts: this client, this domain, the registered sign-out URL", () => {
    const [, fn] = onlyResource(template(), "AWS::Lambda::Function", { Properties: Match.objectLike({ Role: arnOf(stack().logout.role) }) });
    const variables = (fn.Properties!.Environment as { Variables: Record<string, unknown> }).Variables;
    expect(variables.COGNITO_CLIENT_ID).toEqual(ref(stack().client));
    const config = loadAlbLogoutConfig({ ...sampleEnvironment(variables, { [logicalId(stack().client)]: "albclientid00000000000000" }), AWS_REGION: "eu-west-1" });
    expect(config).toEqual({
      appLogoutUrl: "https://alb.example.org/",
      clientId: "albclientid00000000000000",
      domainPrefix: "tobira-test",
      region: "eu-west-1",
      sessionCookieName: ALB_SESSION_COOKIE_NAME,
    });
  });
});

describe("BFF in ALB mode", () => {
  test("runs at least two tasks, checks /healthz, and holds no secrets and no AWS permissions", () => {
    const [, service] = onlyResource(template(), "AWS::ECS::Service");
    expect(service.Properties!.DesiredCount).toBeGreaterThanOrEqual(2);
    template().hasResourceProperties("AWS::ElasticLoadBalancingV2::TargetGroup", { HealthCheckPath: "/healthz", Port: BFF_PORT, TargetType: "ip" });
    expect(containerDefinition().Secrets).toBeUndefined();
    expect(statementsOfRole(template(), logicalId(stack().bff.taskRole))).toEqual([]);
  });

  test("its environment is what the BFF's ALB-mode configuration needs: this load balancer, client and domain", () => {
    const entries = containerDefinition().Environment as { Name: string; Value: unknown }[];
    const variables = Object.fromEntries(entries.map((entry) => [entry.Name, entry.Value]));
    expect(variables).toMatchObject({ ALB_MODE: "true", TOBIRA_MODE: "aws", TRUST_PROXY: "1", ALB_ARN: ref(stack().bff.loadBalancer) });
    const albArn = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/tobira/0123456789abcdef";
    const environment = sampleEnvironment(variables, {
      [logicalId(stack().bff.loadBalancer)]: albArn,
      [logicalId(stack().userPool)]: "eu-west-1_TestPool1",
      [logicalId(stack().client)]: "albclientid00000000000000",
      [logicalId(stack().domain)]: "tobira-test",
    });
    const config = loadBffRuntimeConfig(environment);
    if (config.kind !== "alb") throw new Error(`expected ALB mode, got ${config.kind}`);
    expect(config.trustProxy).toBe(1);
    expect(config.publicUrl).toBe("https://alb.example.org");
    expect(config.alb).toMatchObject({
      albArn,
      clientId: "albclientid00000000000000",
      hostedUiUrl: "https://tobira-test.auth.eu-west-1.amazoncognito.com",
      logoutUri: "https://alb.example.org/",
      sessionCookieName: ALB_SESSION_COOKIE_NAME,
    });
  });
});

describe("alarms", () => {
  test("alarm on the 5xx rate and on logout Lambda errors, notifying the alarm topic", () => {
    const alarms = resources(template(), "AWS::CloudWatch::Alarm");
    const text = alarms.map(([, alarm]) => JSON.stringify(alarm.Properties));
    expect(text.filter((alarm) => alarm.includes("HTTPCode_ELB_5XX_Count"))).toHaveLength(1);
    expect(text.filter((alarm) => alarm.includes('"MetricName":"Errors"') && alarm.includes(JSON.stringify(ref(stack().logout.function))))).toHaveLength(1);
    for (const [, alarm] of alarms) expect(alarm.Properties!.AlarmActions).toEqual([ref(stack().monitoring.topic)]);
  });
});
