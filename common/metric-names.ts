/**
 * The metrics the BFF emits in CloudWatch Embedded Metric Format (EMF) and the names the
 * infrastructure app's alarms and dashboard read. One list, so that a renamed metric breaks the
 * type check instead of silently leaving an alarm on a metric nobody writes.
 *
 * EMF: a JSON log line with an `_aws` member tells CloudWatch Logs to extract the named values as
 * metrics (AWS CloudWatch user guide, "Specification: Embedded metric format"). No agent is needed
 * on Fargate: the awslogs driver ships the line and CloudWatch does the rest.
 */

/** The CloudWatch namespace of every Tobira metric. */
export const METRIC_NAMESPACE = "Tobira";

export const MetricName = {
  /** A password step was accepted and the second factor begins (or a passkey-first sign-in began). */
  SignInStarted: "SignInStarted",
  /** A sign-in ended with a Tobira session. */
  SignInCompleted: "SignInCompleted",
  /** A sign-in attempt was refused; dimension Reason (the API error code). */
  SignInFailed: "SignInFailed",
  /** A one-time code was sent (or resent) for sign-in. */
  CodeSent: "CodeSent",
  /** A WebAuthn ceremony finished (registration or authentication, either outcome). */
  PasskeyCeremony: "PasskeyCeremony",
  /** A request was refused by a rate limit. */
  RateLimited: "RateLimited",
  /** Duration of one Cognito call, milliseconds. */
  CognitoLatency: "CognitoLatency",
  /** A Cognito call failed for a reason that is not the user's (throttling, 5xx, deadline). */
  CognitoError: "CognitoError",
  /** Duration of one store (DynamoDB) call, milliseconds. */
  StoreLatency: "StoreLatency",
  /** A store (DynamoDB) call failed. */
  StoreError: "StoreError",
  /** Something happened to an account (bff/security/security-events.ts); dimension Event (its type). */
  SecurityEvent: "SecurityEvent",
  /** A security mail or history record could not be written; dimension Event. */
  SecurityEventFailed: "SecurityEventFailed",
} as const;
export type MetricName = (typeof MetricName)[keyof typeof MetricName];

/** Dimension names. */
export const MetricDimension = {
  /** Why a sign-in failed: the API error code (e.g. `invalid_credentials`, `code_mismatch`). */
  Reason: "Reason",
  /** A security event's type (e.g. `password_changed`). */
  Event: "Event",
} as const;
export type MetricDimension = (typeof MetricDimension)[keyof typeof MetricDimension];

export type MetricUnit = "Count" | "Milliseconds";

export const metricUnits: Record<MetricName, MetricUnit> = {
  SignInStarted: "Count",
  SignInCompleted: "Count",
  SignInFailed: "Count",
  CodeSent: "Count",
  PasskeyCeremony: "Count",
  RateLimited: "Count",
  CognitoLatency: "Milliseconds",
  CognitoError: "Count",
  StoreLatency: "Milliseconds",
  StoreError: "Count",
  SecurityEvent: "Count",
  SecurityEventFailed: "Count",
};

/**
 * The dimension sets each metric is emitted with (the EMF `Dimensions` array). CloudWatch treats
 * every dimension combination as its own metric and an alarm reads exactly one of them, so
 * SignInFailed is emitted both per Reason and without dimensions: the alarms read the total, the
 * dashboard breaks it down by Reason.
 */
export const metricDimensionSets: Record<MetricName, readonly (readonly MetricDimension[])[]> = {
  SignInStarted: [[]],
  SignInCompleted: [[]],
  SignInFailed: [[MetricDimension.Reason], []],
  CodeSent: [[]],
  PasskeyCeremony: [[]],
  RateLimited: [[]],
  CognitoLatency: [[]],
  CognitoError: [[]],
  StoreLatency: [[]],
  StoreError: [[]],
  SecurityEvent: [[MetricDimension.Event], []],
  SecurityEventFailed: [[MetricDimension.Event], []],
};
