import type { RequestHandler } from "express";
import { METRIC_NAMESPACE, MetricName, metricDimensionSets, metricUnits, type MetricDimension } from "../common/metric-names";
import type { Logger } from "./logger";

/**
 * The BFF's metrics as CloudWatch Embedded Metric Format (EMF) log lines: CloudWatch Logs turns
 * each line's `_aws` directive into metric values, so no agent or API call is needed on AWS
 * (AWS CloudWatch user guide, "Specification: Embedded metric format"). Names, units and
 * dimension sets come from common/metric-names.ts, which the infrastructure's alarms read too.
 *
 * Lines go through the BFF's pino logger (same stream, same redaction) at "info" whatever
 * LOG_LEVEL says, so raising the level to cut log volume cannot blind the alarms; only
 * LOG_LEVEL=silent turns them off.
 */

export type MetricDimensions = Partial<Record<MetricDimension, string>>;

/** Extra members of a line: searchable in CloudWatch Logs Insights, but not metric dimensions. */
export type MetricProperties = Record<string, string | number | boolean>;

export interface EmfRecord {
  _aws: {
    Timestamp: number;
    CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: MetricName; Unit: string }[] }[];
  };
  [member: string]: unknown;
}

/**
 * One EMF record for one value. A dimension set that names a dimension the record lacks is left
 * out (CloudWatch would refuse the directive); the empty set always stays, so totals are kept.
 */
export function emfRecord(
  name: MetricName,
  value: number,
  options: { dimensions?: MetricDimensions; properties?: MetricProperties; timestamp?: number } = {},
): EmfRecord {
  const dimensions = Object.fromEntries(Object.entries(options.dimensions ?? {}).filter(([, dimensionValue]) => dimensionValue !== undefined && dimensionValue !== ""));
  const sets = metricDimensionSets[name].filter((set) => set.every((dimension) => dimension in dimensions)).map((set) => [...set]);
  return {
    // Properties first: they can never overwrite the directive, a dimension or the value.
    ...options.properties,
    _aws: {
      Timestamp: options.timestamp ?? Date.now(),
      CloudWatchMetrics: [{ Namespace: METRIC_NAMESPACE, Dimensions: sets, Metrics: [{ Name: name, Unit: metricUnits[name] }] }],
    },
    ...dimensions,
    [name]: value,
  };
}

export interface Metrics {
  /** Adds 1 to a Count metric. */
  count(name: MetricName, dimensions?: MetricDimensions, properties?: MetricProperties): void;
  /** Records one duration in milliseconds. */
  duration(name: MetricName, milliseconds: number, properties?: MetricProperties): void;
  /**
   * Runs one dependency call, recording its duration as `latency` and, when it fails and
   * `isFault(error)` holds, one `error` (a refusal that is the user's doing is not a fault).
   */
  measure<T>(names: { latency: MetricName; error: MetricName }, operation: string, run: () => Promise<T>, isFault?: (error: unknown) => boolean): Promise<T>;
}

export function createMetrics(write: (record: EmfRecord) => void, now: () => number = Date.now): Metrics {
  const metrics: Metrics = {
    count(name, dimensions, properties) {
      write(emfRecord(name, 1, { dimensions, properties, timestamp: now() }));
    },
    duration(name, milliseconds, properties) {
      write(emfRecord(name, Math.max(0, Math.round(milliseconds * 1000) / 1000), { properties, timestamp: now() }));
    },
    async measure(names, operation, run, isFault = () => true) {
      const started = performance.now();
      try {
        return await run();
      } catch (error) {
        if (isFault(error)) metrics.count(names.error, {}, { operation });
        throw error;
      } finally {
        metrics.duration(names.latency, performance.now() - started, { operation });
      }
    },
  };
  return metrics;
}

/** Discards everything (LOG_LEVEL=silent, and code that has no logger). */
export const noMetrics: Metrics = createMetrics(() => {});

const byLogger = new WeakMap<Logger, Metrics>();

/** The metrics written through `logger` (one instance per logger, so every module may ask). */
export function metricsFor(logger: Logger): Metrics {
  if (logger.level === "silent") return noMetrics;
  let metrics = byLogger.get(logger);
  if (metrics === undefined) {
    // A child at "info" writes to the parent's stream even when the parent is set higher.
    const sink = logger.child({}, { level: "info" });
    metrics = createMetrics((record) => sink.info(record));
    byLogger.set(logger, metrics);
  }
  return metrics;
}

// ---- sign-in outcomes, read from the JSON API's answers ----------------------------------------

/** The API's sign-in calls (docs/architecture.md, "The JSON API"): refusals of these count as failed sign-ins. */
const signInPaths = new Set(["/api/signin", "/api/signin/otp/send", "/api/signin/otp", "/api/signin/passkey"]);
const codeSendingPaths = new Set(["/api/signin", "/api/signin/otp/send"]);
const passkeyCeremonyPaths = new Set(["/api/passkeys", "/api/signin/passkey"]);

interface AnswerBody {
  next?: unknown;
  delivery?: unknown;
  error?: { code?: unknown };
}

/**
 * Counts sign-ins, codes, passkey ceremonies and rate-limit refusals from the answers of the JSON
 * API, in one place instead of in every route: the contract's `next` and `error.code` say what
 * happened. Mount it first under /api so refusals of the guards before the routes count too.
 */
export function apiOutcomeMetrics(metrics: Metrics): RequestHandler {
  return (req, res, next) => {
    const method = req.method;
    let body: AnswerBody | undefined;
    let counting = false;
    const onFinish = () => {
      const ok = res.statusCode < 400;
      const errorCode = typeof body?.error?.code === "string" ? body.error.code : undefined;
      if (res.statusCode === 429 && errorCode === "rate_limited") metrics.count(MetricName.RateLimited);
      if (method !== "POST") return;
      // Express routes ignore case and a trailing slash; so does this.
      const path = (req.originalUrl.split("?")[0] ?? "").toLowerCase().replace(/\/+$/, "");
      if (signInPaths.has(path)) {
        if (!ok) metrics.count(MetricName.SignInFailed, { Reason: errorCode ?? `http_${res.statusCode}` });
        // The password was accepted: the second factor begins (passkey-first starts are counted where the ceremony is known).
        if (ok && path === "/api/signin") metrics.count(MetricName.SignInStarted);
        if (ok && body?.next === "done") metrics.count(MetricName.SignInCompleted);
        if (ok && codeSendingPaths.has(path) && body?.next === "otp" && body.delivery !== undefined) metrics.count(MetricName.CodeSent);
      }
      if (passkeyCeremonyPaths.has(path)) {
        metrics.count(MetricName.PasskeyCeremony, {}, { ceremony: path === "/api/passkeys" ? "registration" : "authentication", outcome: ok ? "success" : "failure" });
      }
    };
    const countAtFinish = () => {
      if (counting) return;
      counting = true;
      res.on("finish", onFinish);
    };
    const json = res.json;
    res.json = (value: unknown) => {
      body = typeof value === "object" && value !== null ? (value as AnswerBody) : undefined;
      // Other methods count only a rate-limit refusal, which is always a JSON answer: the rest of
      // their answers (most of the API's calls, e.g. GET /api/session) add no listener.
      if (res.statusCode === 429) countAtFinish();
      return json.call(res, value);
    };
    // A POST counts whatever its answer is, JSON or not.
    if (method === "POST") countAtFinish();
    next();
  };
}
