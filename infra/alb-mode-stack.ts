import { CfnOutput, Duration, Stack, type StackProps } from "aws-cdk-lib";
import type * as cognito from "aws-cdk-lib/aws-cognito";
import * as elbv2 from "aws-cdk-lib/aws-elasticloadbalancingv2";
import * as elbv2Actions from "aws-cdk-lib/aws-elasticloadbalancingv2-actions";
import * as elbv2Targets from "aws-cdk-lib/aws-elasticloadbalancingv2-targets";
import type { Construct } from "constructs";
import { ALB_SESSION_COOKIE_NAME } from "../common/alb-logout";
import type { PoolDefinition } from "../common/pool-definition";
import { BffService } from "./bff-service";
import type { LambdaName } from "./bundle-triggers";
import { BundledFunction } from "./bundled-function";
import { Monitoring } from "./monitoring";
import type { DeploySettings } from "./settings";
import { createAppClient, createUserPool } from "./user-pool";

/**
 * ALB mode on AWS (docs/architecture.md, "ALB mode"): the load balancer signs users in through
 * Cognito's managed login (`authenticate-cognito`) and forwards to the BFF in ALB mode, which
 * verifies the `x-amzn-oidc-*` headers; `/logout` goes to the ALB-logout Lambda, which expires the
 * load balancer's session cookies and sends the browser to Cognito's `/logout`.
 */

/** The path of the listener rule that sends the browser to the ALB-logout Lambda. */
export const LOGOUT_PATH = "/logout";

export interface AlbModeStackProps extends StackProps {
  settings: DeploySettings;
  definition: PoolDefinition;
  bundles: Pick<Record<LambdaName, string>, "albLogout">;
}

export class AlbModeStack extends Stack {
  readonly bff: BffService;
  readonly monitoring: Monitoring;
  readonly userPool: cognito.UserPool;
  readonly client: cognito.UserPoolClient;
  readonly domain: cognito.UserPoolDomain;
  readonly logout: BundledFunction;
  readonly logoutTargets: elbv2.ApplicationTargetGroup;

  constructor(scope: Construct, id: string, props: AlbModeStackProps) {
    super(scope, id, props);
    const { settings, definition, bundles } = props;
    const origin = `https://${settings.albDomain}`;

    const pool = createUserPool(this, "UserPool", { definition, sesIdentity: settings.sesIdentity, sesFromAddress: settings.sesFromAddress });
    const domain = pool.addDomain("ManagedLogin", { cognitoDomain: { domainPrefix: settings.cognitoDomainPrefix } });
    // Callback https://<domain>/oauth2/idpresponse and the sign-out URL, from the definition's paths.
    const client = createAppClient(this, "AlbClient", pool, definition.albClient, definition, { origin, oauth: true });
    const signOutUrl = new URL(definition.albClient.logoutPaths[0] ?? "/", origin).href;

    this.bff = new BffService(this, "Bff", {
      settings,
      domain: settings.albDomain,
      certificateArn: settings.albCertificateArn,
      healthCheckPath: "/healthz",
      environment: {
        TOBIRA_MODE: "aws",
        ALB_MODE: "true",
        PUBLIC_URL: origin,
        AWS_REGION: this.region,
        COGNITO_USER_POOL_ID: pool.userPoolId,
        COGNITO_CLIENT_ID: client.userPoolClientId,
        COGNITO_DOMAIN: domain.baseUrl(),
        ALB_LOGOUT_URI: signOutUrl,
        ALB_SESSION_COOKIE_NAME,
        LOG_LEVEL: "info",
      },
      defaultAction: (target) =>
        new elbv2Actions.AuthenticateCognitoAction({
          userPool: pool,
          userPoolClient: client,
          userPoolDomain: domain,
          scope: definition.albClient.allowedOAuthScopes.join(" "),
          sessionCookieName: ALB_SESSION_COOKIE_NAME,
          sessionTimeout: Duration.hours(8),
          next: elbv2.ListenerAction.forward([target]),
        }),
    });
    // The BFF checks that x-amzn-oidc-data was signed by this load balancer.
    this.bff.container.addEnvironment("ALB_ARN", this.bff.loadBalancer.loadBalancerArn);

    const logout = new BundledFunction(this, "AlbLogout", {
      bundleDir: bundles.albLogout,
      description: "Tobira: ends the load balancer's Cognito session and redirects to Cognito's /logout",
      environment: {
        APP_LOGOUT_URL: signOutUrl,
        COGNITO_USER_POOL_DOMAIN_PREFIX: settings.cognitoDomainPrefix,
        COGNITO_CLIENT_ID: client.userPoolClientId,
        ALB_SESSION_COOKIE_NAME,
      },
    });
    const logoutTargets = new elbv2.ApplicationTargetGroup(this, "LogoutTargets", {
      targetType: elbv2.TargetType.LAMBDA,
      targets: [new elbv2Targets.LambdaTarget(logout.function)],
      // One 302 carries a Set-Cookie for every session shard (triggers/alb-logout.ts).
      multiValueHeadersEnabled: true,
    });
    // No authenticate action on this rule: a half-expired session must still be able to leave.
    this.bff.httpsListener.addAction("Logout", {
      priority: 1,
      conditions: [elbv2.ListenerCondition.pathPatterns([LOGOUT_PATH])],
      action: elbv2.ListenerAction.forward([logoutTargets]),
    });

    this.userPool = pool;
    this.client = client;
    this.domain = domain;
    this.logout = logout;
    this.logoutTargets = logoutTargets;

    this.monitoring = new Monitoring(this, "Monitoring", {
      loadBalancer: this.bff.loadBalancer,
      service: this.bff.service,
      functions: { AlbLogout: logout.function },
      signInMetrics: false,
      alarmEmail: settings.alarmEmail,
    });

    new CfnOutput(this, "Url", { value: origin, description: "The app behind the load balancer" });
    new CfnOutput(this, "LoadBalancerDnsName", {
      value: this.bff.loadBalancer.loadBalancerDnsName,
      description: `Point ${settings.albDomain} here (CNAME or alias) unless a hosted zone was given`,
    });
    new CfnOutput(this, "UserPoolId", { value: pool.userPoolId });
    new CfnOutput(this, "AlbClientId", { value: client.userPoolClientId });
    new CfnOutput(this, "ManagedLoginUrl", { value: domain.baseUrl() });
    new CfnOutput(this, "AlarmTopicArn", { value: this.monitoring.topic.topicArn });
    new CfnOutput(this, "DashboardName", { value: this.monitoring.dashboard.dashboardName });
  }
}
