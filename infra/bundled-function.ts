import { Duration, RemovalPolicy, Validations } from "aws-cdk-lib";
import * as iam from "aws-cdk-lib/aws-iam";
import * as lambda from "aws-cdk-lib/aws-lambda";
import * as logs from "aws-cdk-lib/aws-logs";
import { Construct } from "constructs";
import { LAMBDA_HANDLER } from "./bundle-triggers";

/**
 * A Lambda function from one of the esbuild bundles (infra/bundle-triggers.ts): Node 22 on arm64,
 * its own log group with a retention, and its own role that may write to that log group and
 * nothing else until the caller grants more.
 */

/** The runtime every function runs on; the container runs the same Node major. */
export const LAMBDA_RUNTIME = lambda.Runtime.NODEJS_22_X;

export interface BundledFunctionProps {
  /** Folder holding the bundle's index.mjs. */
  bundleDir: string;
  description: string;
  environment?: Record<string, string>;
  timeout?: Duration;
  memorySize?: number;
}

export class BundledFunction extends Construct {
  readonly function: lambda.Function;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: BundledFunctionProps) {
    super(scope, id);
    this.logGroup = new logs.LogGroup(this, "Logs", { retention: logs.RetentionDays.THREE_MONTHS, removalPolicy: RemovalPolicy.RETAIN });
    this.role = new iam.Role(this, "Role", { assumedBy: new iam.ServicePrincipal("lambda.amazonaws.com"), description: props.description });
    this.role.addToPolicy(new iam.PolicyStatement({ actions: ["logs:CreateLogStream", "logs:PutLogEvents"], resources: [this.logGroup.logGroupArn] }));
    this.function = new lambda.Function(this, "Function", {
      description: props.description,
      runtime: LAMBDA_RUNTIME,
      architecture: lambda.Architecture.ARM_64,
      handler: LAMBDA_HANDLER,
      code: lambda.Code.fromAsset(props.bundleDir),
      role: this.role,
      logGroup: this.logGroup,
      memorySize: props.memorySize ?? 256,
      timeout: props.timeout ?? Duration.seconds(5),
      // The bundles carry source maps: stack traces name the TypeScript files.
      environment: { NODE_OPTIONS: "--enable-source-maps", ...props.environment },
    });
    // The role exists before the function's policy: the function must not start without its grants.
    this.function.node.addDependency(this.role);
    Validations.of(this.function).acknowledge({
      id: "AwsSolutions-L1",
      reason:
        "Node 22 on purpose: the BFF image and the tests run Node 22, and the bundles are built for it (esbuild target node22); a newer runtime would run code nobody tested.",
    });
  }
}
