import { Duration, Stack } from "aws-cdk-lib";
import * as cloudwatch from "aws-cdk-lib/aws-cloudwatch";
import * as cloudwatchActions from "aws-cdk-lib/aws-cloudwatch-actions";
import type * as ecs from "aws-cdk-lib/aws-ecs";
import * as elbv2 from "aws-cdk-lib/aws-elasticloadbalancingv2";
import * as iam from "aws-cdk-lib/aws-iam";
import * as kms from "aws-cdk-lib/aws-kms";
import type * as lambda from "aws-cdk-lib/aws-lambda";
import * as sns from "aws-cdk-lib/aws-sns";
import * as subscriptions from "aws-cdk-lib/aws-sns-subscriptions";
import { Construct } from "constructs";
import { METRIC_NAMESPACE, MetricDimension, MetricName, metricUnits } from "../common/metric-names";

/**
 * Alarms and a dashboard on the load balancer, the Lambda functions and the BFF's own metrics
 * (CloudWatch Embedded Metric Format, names in common/metric-names.ts). Alarms notify an SNS
 * topic (encrypted with a key CloudWatch may use), which an email address can subscribe to.
 */

/** Thresholds; each alarm's description repeats its own so the notification explains itself. */
export const alarmThresholds = {
  /** Percent of requests answered 5xx (load balancer or BFF), per minute, 3 of 5 minutes. */
  http5xxPercent: 5,
  /** Percent of finished sign-ins that failed over 5 minutes, when at least `signInFailureMinimum` failed. */
  signInFailurePercent: 50,
  signInFailureMinimum: 20,
  /** Errors of one Lambda function in 5 minutes. */
  lambdaErrors: 3,
  /** Requests refused by a rate limit in 5 minutes. */
  rateLimited: 100,
  /** Failed Cognito calls in 5 minutes. */
  cognitoErrors: 5,
  /** Failed store calls in 5 minutes. */
  storeErrors: 5,
} as const;

const FIVE_MINUTES = Duration.minutes(5);

/** A Tobira metric as the BFF emits it (no dimensions: the aggregate of common/metric-names.ts). */
export function tobiraMetric(name: MetricName, statistic = metricUnits[name] === "Milliseconds" ? "p99" : "Sum"): cloudwatch.Metric {
  return new cloudwatch.Metric({ namespace: METRIC_NAMESPACE, metricName: name, statistic, period: FIVE_MINUTES });
}

export interface MonitoringProps {
  loadBalancer: elbv2.ApplicationLoadBalancer;
  service: ecs.FargateService;
  /** Functions whose errors page someone, by a readable name. */
  functions: Record<string, lambda.IFunction>;
  /** The BFF signs people in itself (sign-in mode): alarms and widgets on its sign-in metrics. */
  signInMetrics: boolean;
  alarmEmail: string | undefined;
}

export class Monitoring extends Construct {
  readonly topic: sns.Topic;
  readonly dashboard: cloudwatch.Dashboard;
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    const stackName = Stack.of(this).stackName;

    // CloudWatch publishes to an encrypted topic only with a customer managed key it may use
    // (SNS developer guide, "Encryption at rest": AWS managed keys cannot be shared).
    const key = new kms.Key(this, "AlarmTopicKey", { enableKeyRotation: true, description: `${stackName} alarm notifications` });
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal("cloudwatch.amazonaws.com")],
        actions: ["kms:Decrypt", "kms:GenerateDataKey*"],
        resources: ["*"],
        conditions: { StringEquals: { "aws:SourceAccount": Stack.of(this).account } },
      }),
    );
    this.topic = new sns.Topic(this, "Alarms", { masterKey: key, enforceSSL: true, displayName: `${stackName} alarms` });
    if (props.alarmEmail !== undefined) this.topic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));
    const notify = new cloudwatchActions.SnsAction(this.topic);
    const add = (alarm: cloudwatch.Alarm) => {
      alarm.addAlarmAction(notify);
      alarm.addOkAction(notify);
      this.alarms.push(alarm);
      return alarm;
    };

    const lb = props.loadBalancer.metrics;
    const perMinute = { period: Duration.minutes(1), statistic: "Sum" };
    const http5xxRate = new cloudwatch.MathExpression({
      expression: "IF(requests > 0, 100 * (FILL(elb5xx, 0) + FILL(target5xx, 0)) / requests, 0)",
      usingMetrics: {
        requests: lb.requestCount(perMinute),
        elb5xx: lb.httpCodeElb(elbv2.HttpCodeElb.ELB_5XX_COUNT, perMinute),
        target5xx: lb.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT, perMinute),
      },
      period: Duration.minutes(1),
      label: "5xx responses (%)",
    });
    add(
      http5xxRate.createAlarm(this, "Http5xxRate", {
        alarmDescription: `More than ${alarmThresholds.http5xxPercent}% of requests answered 5xx (load balancer or BFF) in 3 of the last 5 minutes.`,
        threshold: alarmThresholds.http5xxPercent,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 5,
        datapointsToAlarm: 3,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
    );

    for (const [name, fn] of Object.entries(props.functions)) {
      add(
        fn.metricErrors({ period: FIVE_MINUTES, statistic: "Sum" }).createAlarm(this, `${name}Errors`, {
          alarmDescription: `The ${name} Lambda function failed ${alarmThresholds.lambdaErrors} or more times in 5 minutes (sign-in or logout may be broken).`,
          threshold: alarmThresholds.lambdaErrors,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          evaluationPeriods: 1,
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        }),
      );
    }

    if (props.signInMetrics) {
      const failureRate = new cloudwatch.MathExpression({
        expression: `IF(failed >= ${alarmThresholds.signInFailureMinimum}, 100 * failed / (failed + FILL(completed, 0)), 0)`,
        usingMetrics: { failed: tobiraMetric(MetricName.SignInFailed), completed: tobiraMetric(MetricName.SignInCompleted) },
        period: FIVE_MINUTES,
        label: "Failed sign-ins (%)",
      });
      add(
        failureRate.createAlarm(this, "SignInFailureSpike", {
          alarmDescription: `${alarmThresholds.signInFailurePercent}% or more of sign-ins failed in 5 minutes (at least ${alarmThresholds.signInFailureMinimum} failures): credential stuffing, or a broken second factor.`,
          threshold: alarmThresholds.signInFailurePercent,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          evaluationPeriods: 1,
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        }),
      );
      const countAlarm = (alarmId: string, metric: MetricName, threshold: number, description: string) =>
        add(
          tobiraMetric(metric).createAlarm(this, alarmId, {
            alarmDescription: description,
            threshold,
            comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
            evaluationPeriods: 1,
            treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
          }),
        );
      countAlarm(
        "Throttling",
        MetricName.RateLimited,
        alarmThresholds.rateLimited,
        `${alarmThresholds.rateLimited} or more requests refused by rate limits in 5 minutes.`,
      );
      countAlarm("CognitoErrors", MetricName.CognitoError, alarmThresholds.cognitoErrors, `${alarmThresholds.cognitoErrors} or more failed Cognito calls in 5 minutes.`);
      countAlarm("StoreErrors", MetricName.StoreError, alarmThresholds.storeErrors, `${alarmThresholds.storeErrors} or more failed DynamoDB calls in 5 minutes.`);
    }

    this.dashboard = new cloudwatch.Dashboard(this, "Dashboard", {
      dashboardName: `${stackName}`,
      defaultInterval: Duration.hours(6),
    });
    const requests = lb.requestCount({ period: FIVE_MINUTES, statistic: "Sum" });
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({ title: "Requests", left: [requests], right: [http5xxRate], width: 12 }),
      new cloudwatch.GraphWidget({
        title: "BFF response time",
        left: [lb.targetResponseTime({ statistic: "p50", period: FIVE_MINUTES }), lb.targetResponseTime({ statistic: "p99", period: FIVE_MINUTES })],
        width: 12,
      }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: "BFF tasks",
        left: [props.service.metricCpuUtilization({ period: FIVE_MINUTES }), props.service.metricMemoryUtilization({ period: FIVE_MINUTES })],
        width: 12,
      }),
      new cloudwatch.GraphWidget({
        title: "Lambda errors",
        left: Object.entries(props.functions).map(([name, fn]) => fn.metricErrors({ period: FIVE_MINUTES, statistic: "Sum", label: name })),
        width: 12,
      }),
    );
    if (props.signInMetrics) {
      this.dashboard.addWidgets(
        new cloudwatch.GraphWidget({
          title: "Sign-ins",
          left: [tobiraMetric(MetricName.SignInStarted), tobiraMetric(MetricName.SignInCompleted), tobiraMetric(MetricName.SignInFailed)],
          width: 12,
        }),
        new cloudwatch.GraphWidget({
          title: "Failed sign-ins by reason",
          left: [
            new cloudwatch.MathExpression({
              expression: `SEARCH('{${METRIC_NAMESPACE},${MetricDimension.Reason}} MetricName="${MetricName.SignInFailed}"', 'Sum', 300)`,
              label: "",
              period: FIVE_MINUTES,
            }),
          ],
          width: 12,
        }),
      );
      this.dashboard.addWidgets(
        new cloudwatch.GraphWidget({
          title: "Codes, passkeys, rate limits",
          left: [tobiraMetric(MetricName.CodeSent), tobiraMetric(MetricName.PasskeyCeremony), tobiraMetric(MetricName.RateLimited)],
          width: 12,
        }),
        new cloudwatch.GraphWidget({
          title: "Cognito and store",
          left: [tobiraMetric(MetricName.CognitoLatency), tobiraMetric(MetricName.StoreLatency)],
          right: [tobiraMetric(MetricName.CognitoError), tobiraMetric(MetricName.StoreError)],
          width: 12,
        }),
      );
      this.dashboard.addWidgets(
        new cloudwatch.GraphWidget({
          title: "Security events",
          left: [tobiraMetric(MetricName.SecurityEvent)],
          right: [tobiraMetric(MetricName.SecurityEventFailed)],
          width: 12,
        }),
      );
    }
    this.dashboard.addWidgets(new cloudwatch.AlarmStatusWidget({ title: "Alarms", alarms: this.alarms, width: 24 }));
  }
}
