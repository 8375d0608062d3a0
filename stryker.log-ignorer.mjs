// @ts-check
import { PluginKind, declareValuePlugin } from "@stryker-mutator/api/plugin";

/**
 * A Stryker ignorer (used by stryker.config.mjs): no mutants inside log and metric calls
 * (`logger.warn(…)`, `req.log?.info(…)`, `metrics.count(…)`). Emptying a log message or dropping
 * a field from it changes what an operator reads, not what the code lets through, and testing
 * every log line's wording would only pin it down.
 */
const logMethods = new Set(["trace", "debug", "info", "warn", "error", "fatal", "count", "duration"]);
const loggerNames = /^(log|logger|metrics|childLogger)$/;

/** @param {any} node */
function isLogCall(node) {
  if (node?.type !== "CallExpression" && node?.type !== "OptionalCallExpression") return false;
  const callee = node.callee;
  if (callee?.type !== "MemberExpression" && callee?.type !== "OptionalMemberExpression") return false;
  if (callee.property?.type !== "Identifier" || !logMethods.has(callee.property.name)) return false;
  const target = callee.object;
  if (target?.type === "Identifier") return loggerNames.test(target.name);
  // req.log, this.logger, deps.logger…
  return (
    (target?.type === "MemberExpression" || target?.type === "OptionalMemberExpression") &&
    target.property?.type === "Identifier" &&
    loggerNames.test(target.property.name)
  );
}

export const strykerPlugins = [
  declareValuePlugin(PluginKind.Ignore, "log-calls", {
    /** @param {any} path */
    shouldIgnore(path) {
      return isLogCall(path.node) ? "a log or metric call: its wording is not a protection" : undefined;
    },
  }),
];
