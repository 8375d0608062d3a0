import { Duration, RemovalPolicy, Stack, Validations } from "aws-cdk-lib";
import * as ec2 from "aws-cdk-lib/aws-ec2";
import { Platform } from "aws-cdk-lib/aws-ecr-assets";
import * as ecs from "aws-cdk-lib/aws-ecs";
import * as elbv2 from "aws-cdk-lib/aws-elasticloadbalancingv2";
import * as iam from "aws-cdk-lib/aws-iam";
import * as logs from "aws-cdk-lib/aws-logs";
import * as route53 from "aws-cdk-lib/aws-route53";
import * as route53Targets from "aws-cdk-lib/aws-route53-targets";
import * as s3 from "aws-cdk-lib/aws-s3";
import { Construct } from "constructs";
import { repoRoot } from "./bundle-triggers";
import type { DeploySettings } from "./settings";

/**
 * The BFF on ECS Fargate behind an internet-facing HTTPS Application Load Balancer, in a VPC of
 * two availability zones: public subnets for the load balancer, private ones for the tasks.
 * Everything the tasks keep is in DynamoDB or Cognito, so more tasks is the only scaling step.
 */

/** The port the BFF listens on inside the container (bff/config.ts default). */
export const BFF_PORT = 3000;

/**
 * Express `trust proxy` for ALB → Fargate: one hop. The load balancer appends the client's
 * address to X-Forwarded-For; trusting exactly one hop makes that address `req.ip` (so each client
 * has its own rate-limit budget) and makes `req.secure` reflect the client's HTTPS. More hops would
 * let a client choose its own address by sending X-Forwarded-For (Express guide, "behind proxies").
 */
export const ALB_TRUST_PROXY = "1";

/** Files the image build does not need; the Dockerfile builds from the sources. */
export const imageAssetExclude = [".git", "node_modules", "cdk.out", ".data", "dist", "coverage", "test-results", "playwright-report", "*.log"];

/** Liveness probe run inside the container (Node 22 has fetch; the image needs no curl). */
export const containerHealthCommand = [
  "CMD",
  "node",
  "-e",
  `fetch("http://127.0.0.1:${BFF_PORT}/healthz").then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))`,
];

export interface BffServiceProps {
  settings: Pick<DeploySettings, "bffImage" | "architecture" | "minTasks" | "maxTasks" | "natGateways" | "hostedZone">;
  /** Public host name and its ACM certificate. */
  domain: string;
  certificateArn: string;
  environment: Record<string, string>;
  secrets?: Record<string, ecs.Secret>;
  /** The target group's health check: /readyz where the BFF has one (it checks Cognito and the store). */
  healthCheckPath: string;
  /** The HTTPS listener's default action, given the BFF's target group (default: forward to it). */
  defaultAction?: (target: elbv2.IApplicationTargetGroup) => elbv2.ListenerAction;
}

export class BffService extends Construct {
  readonly vpc: ec2.Vpc;
  readonly cluster: ecs.Cluster;
  readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  readonly httpsListener: elbv2.ApplicationListener;
  readonly targetGroup: elbv2.ApplicationTargetGroup;
  readonly service: ecs.FargateService;
  readonly taskDefinition: ecs.FargateTaskDefinition;
  readonly container: ecs.ContainerDefinition;
  readonly taskRole: iam.Role;
  readonly logGroup: logs.LogGroup;
  readonly publicUrl: string;

  constructor(scope: Construct, id: string, props: BffServiceProps) {
    super(scope, id);
    const { settings } = props;
    this.publicUrl = `https://${props.domain}`;

    const flowLogGroup = new logs.LogGroup(this, "VpcFlowLogs", { retention: logs.RetentionDays.ONE_MONTH, removalPolicy: RemovalPolicy.DESTROY });
    this.vpc = new ec2.Vpc(this, "Vpc", {
      maxAzs: 2,
      natGateways: settings.natGateways,
      subnetConfiguration: [
        { name: "public", subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 },
        { name: "tasks", subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 22 },
      ],
      // DynamoDB through a gateway endpoint: free, and the store's traffic stays off the NAT.
      gatewayEndpoints: { DynamoDb: { service: ec2.GatewayVpcEndpointAwsService.DYNAMODB } },
      flowLogs: { All: { destination: ec2.FlowLogDestination.toCloudWatchLogs(flowLogGroup), trafficType: ec2.FlowLogTrafficType.REJECT } },
    });

    this.cluster = new ecs.Cluster(this, "Cluster", { vpc: this.vpc, containerInsightsV2: ecs.ContainerInsights.ENABLED });

    this.logGroup = new logs.LogGroup(this, "Logs", { retention: logs.RetentionDays.THREE_MONTHS, removalPolicy: RemovalPolicy.RETAIN });
    // The BFF's own AWS permissions; grants are added by the stack (the table's item operations only).
    this.taskRole = new iam.Role(this, "TaskRole", {
      assumedBy: new iam.ServicePrincipal("ecs-tasks.amazonaws.com"),
      description: "Tobira BFF tasks",
    });
    const cpuArchitecture = settings.architecture === "arm64" ? ecs.CpuArchitecture.ARM64 : ecs.CpuArchitecture.X86_64;
    this.taskDefinition = new ecs.FargateTaskDefinition(this, "Task", {
      cpu: 512,
      memoryLimitMiB: 1024,
      taskRole: this.taskRole,
      runtimePlatform: { cpuArchitecture, operatingSystemFamily: ecs.OperatingSystemFamily.LINUX },
    });
    this.container = this.taskDefinition.addContainer("bff", {
      image: bffImage(settings),
      essential: true,
      // Not root, whatever the image says; the root file system is read-only (nothing is written).
      user: "1000:1000",
      readonlyRootFilesystem: true,
      portMappings: [{ containerPort: BFF_PORT, protocol: ecs.Protocol.TCP }],
      environment: { PORT: String(BFF_PORT), TRUST_PROXY: ALB_TRUST_PROXY, ...props.environment },
      ...(props.secrets === undefined ? {} : { secrets: props.secrets }),
      logging: ecs.LogDrivers.awsLogs({ logGroup: this.logGroup, streamPrefix: "bff", mode: ecs.AwsLogDriverMode.NON_BLOCKING }),
      healthCheck: {
        command: containerHealthCommand,
        interval: Duration.seconds(15),
        timeout: Duration.seconds(5),
        retries: 3,
        startPeriod: Duration.seconds(30),
      },
      stopTimeout: Duration.seconds(30),
    });

    const albSecurityGroup = new ec2.SecurityGroup(this, "LoadBalancerSecurityGroup", {
      vpc: this.vpc,
      description: "Tobira load balancer: HTTPS (and HTTP, redirected) from the internet",
      allowAllOutbound: false,
    });
    albSecurityGroup.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), "HTTPS from anywhere");
    albSecurityGroup.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(80), "HTTP from anywhere, redirected to HTTPS");
    Validations.of(albSecurityGroup).acknowledge({
      id: "AwsSolutions-EC23",
      reason: "The sign-in service is public: the load balancer accepts HTTPS (and HTTP that it only redirects to HTTPS) from any address.",
    });

    const accessLogs = new s3.Bucket(this, "AccessLogs", {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ expiration: Duration.days(90) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(accessLogs).acknowledge({
      id: "AwsSolutions-S1",
      reason: "This bucket holds the load balancer's access logs; logging access to the log bucket itself would need yet another bucket.",
    });

    this.loadBalancer = new elbv2.ApplicationLoadBalancer(this, "LoadBalancer", {
      vpc: this.vpc,
      internetFacing: true,
      securityGroup: albSecurityGroup,
      vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
      // Requests with malformed header names are refused, not passed on (request smuggling).
      dropInvalidHeaderFields: true,
      desyncMitigationMode: elbv2.DesyncMitigationMode.DEFENSIVE,
    });
    this.loadBalancer.logAccessLogs(accessLogs, "alb");

    this.service = new ecs.FargateService(this, "Service", {
      cluster: this.cluster,
      taskDefinition: this.taskDefinition,
      desiredCount: settings.minTasks,
      minHealthyPercent: 100,
      maxHealthyPercent: 200,
      circuitBreaker: { enable: true, rollback: true },
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      assignPublicIp: false,
      // Spread over the zones so that losing one leaves a task serving.
      availabilityZoneRebalancing: ecs.AvailabilityZoneRebalancing.ENABLED,
      healthCheckGracePeriod: Duration.seconds(60),
    });

    this.targetGroup = new elbv2.ApplicationTargetGroup(this, "Targets", {
      vpc: this.vpc,
      port: BFF_PORT,
      protocol: elbv2.ApplicationProtocol.HTTP,
      targetType: elbv2.TargetType.IP,
      targets: [this.service.loadBalancerTarget({ containerName: "bff", containerPort: BFF_PORT })],
      healthCheck: {
        path: props.healthCheckPath,
        healthyHttpCodes: "200",
        interval: Duration.seconds(15),
        timeout: Duration.seconds(5),
        healthyThresholdCount: 2,
        unhealthyThresholdCount: 3,
      },
      deregistrationDelay: Duration.seconds(30),
    });

    this.httpsListener = this.loadBalancer.addListener("Https", {
      port: 443,
      protocol: elbv2.ApplicationProtocol.HTTPS,
      sslPolicy: elbv2.SslPolicy.RECOMMENDED_TLS,
      certificates: [elbv2.ListenerCertificate.fromArn(props.certificateArn)],
      defaultAction: props.defaultAction?.(this.targetGroup) ?? elbv2.ListenerAction.forward([this.targetGroup]),
      open: false,
    });
    this.loadBalancer.addListener("Http", {
      port: 80,
      protocol: elbv2.ApplicationProtocol.HTTP,
      defaultAction: elbv2.ListenerAction.redirect({ protocol: "HTTPS", port: "443", permanent: true }),
      open: false,
    });
    // The tasks accept the BFF port from the load balancer only (and the load balancer may send nothing else).
    this.service.connections.allowFrom(albSecurityGroup, ec2.Port.tcp(BFF_PORT), "BFF port from the load balancer");

    const scaling = this.service.autoScaleTaskCount({ minCapacity: settings.minTasks, maxCapacity: settings.maxTasks });
    scaling.scaleOnCpuUtilization("Cpu", { targetUtilizationPercent: 60, scaleInCooldown: Duration.minutes(5), scaleOutCooldown: Duration.minutes(1) });
    scaling.scaleOnRequestCount("Requests", {
      requestsPerTarget: 600,
      targetGroup: this.targetGroup,
      scaleInCooldown: Duration.minutes(5),
      scaleOutCooldown: Duration.minutes(1),
    });

    if (settings.hostedZone !== undefined) {
      const zone = route53.HostedZone.fromHostedZoneAttributes(this, "Zone", { hostedZoneId: settings.hostedZone.id, zoneName: settings.hostedZone.name });
      new route53.ARecord(this, "Alias", {
        zone,
        recordName: props.domain,
        target: route53.RecordTarget.fromAlias(new route53Targets.LoadBalancerTarget(this.loadBalancer)),
      });
    }

    Validations.of(this.taskDefinition.obtainExecutionRole()).acknowledge({
      id: "AwsSolutions-IAM5[Resource::*]",
      reason:
        "ecr:GetAuthorizationToken, which ECS needs to pull the BFF image, has no resource-level permissions (ECR user guide, 'Private registry authentication'); every other statement of the execution role names its repository, log group or secret.",
    });
    Validations.of(this.taskDefinition).acknowledge({
      id: "AwsSolutions-ECS2",
      reason: "Only non-secret settings (ids, URLs, limits) are plain environment variables; every secret is injected from Secrets Manager.",
    });
  }
}

function bffImage(settings: Pick<DeploySettings, "bffImage" | "architecture">): ecs.ContainerImage {
  if (settings.bffImage !== undefined) return ecs.ContainerImage.fromRegistry(settings.bffImage);
  // The repository's Dockerfile (multi-stage, Node 22, non-root); built and pushed by `cdk deploy`.
  return ecs.ContainerImage.fromAsset(repoRoot, {
    file: "Dockerfile",
    exclude: imageAssetExclude,
    platform: settings.architecture === "arm64" ? Platform.LINUX_ARM64 : Platform.LINUX_AMD64,
  });
}

/** The stack's region-qualified ARN of an SES identity. */
export function sesIdentityArn(scope: Construct, identity: string): string {
  return Stack.of(scope).formatArn({ service: "ses", resource: "identity", resourceName: identity });
}
