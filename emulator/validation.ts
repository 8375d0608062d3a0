import { z } from "zod";
import { InvalidParameterException, SerializationException } from "./errors";

/**
 * Input shapes of the JSON 1.1 operations with the API model's field constraints
 * (docs/cognito-behaviour.md, "Wire protocol (AWS JSON 1.1)"). The SDK checks none of them, so the
 * service must; a violation is an InvalidParameterException worded like AWS's validation layer:
 * "1 validation error detected: Value at 'clientId' failed to satisfy constraint: …".
 * Values are never echoed: they may be passwords, codes or tokens.
 */

const NOT_NULL = "Member must not be null";

type StringConstraint = { min?: number; max?: number; pattern?: RegExp; patternText?: string };

export function awsString({ min, max, pattern, patternText }: StringConstraint = {}) {
  let schema = z.string({ error: (issue) => (issue.input === undefined ? NOT_NULL : "Member must be a string") });
  if (min !== undefined) schema = schema.min(min, `Member must have length greater than or equal to ${min}`);
  if (max !== undefined) schema = schema.max(max, `Member must have length less than or equal to ${max}`);
  if (pattern !== undefined) {
    schema = schema.regex(pattern, `Member must satisfy regular expression pattern: ${patternText ?? pattern.source}`);
  }
  return schema;
}

export function awsEnum<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, {
    error: (issue) => (issue.input === undefined ? NOT_NULL : `Member must satisfy enum value set: [${values.join(", ")}]`),
  });
}

/** A string-to-string map (AuthParameters, ChallengeResponses, ClientMetadata). */
export function awsStringMap() {
  return z.record(z.string(), z.string({ error: "Map values must be strings" }).max(131072, "Map values must be shorter than 131072"), {
    error: (issue) => (issue.input === undefined ? NOT_NULL : "Member must be a map of strings"),
  });
}

export const Fields = {
  clientId: awsString({ min: 1, max: 128, pattern: /^[\w+]+$/, patternText: "[\\w+]+" }),
  username: awsString({ min: 1, max: 128, pattern: /^[\p{L}\p{M}\p{S}\p{N}\p{P}]+$/u, patternText: "[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+" }),
  // Spaces inside a password are allowed, leading or trailing ones are not (AWS DG, password requirements).
  password: awsString({ max: 256, pattern: /^[\S]+.*[\S]+$/, patternText: "^[\\S]+.*[\\S]+$" }),
  secretHash: awsString({ min: 1, max: 128, pattern: /^[\w+=/]+$/, patternText: "[\\w+=/]+" }),
  confirmationCode: awsString({ min: 1, max: 2048, pattern: /^\S+$/, patternText: "[\\S]+" }),
  session: awsString({ min: 20, max: 2048 }),
  token: awsString({ pattern: /^[A-Za-z0-9\-_=.]+$/, patternText: "[A-Za-z0-9-_=.]+" }),
  clientSecret: awsString({ min: 1, max: 64 }),
  userPoolId: awsString({ min: 1, max: 55, pattern: /^[\w-]+_[0-9a-zA-Z]+$/, patternText: "[\\w-]+_[0-9a-zA-Z]+" }),
  attributes: z.array(
    z.object({
      Name: awsString({ min: 1, max: 32, pattern: /^[\p{L}\p{M}\p{S}\p{N}\p{P}]+$/u, patternText: "[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+" }),
      Value: awsString({ max: 2048 }).optional(),
    }),
    { error: "Member must be a list of attributes" },
  ),
  stringMap: awsStringMap(),
};

function memberName(path: readonly PropertyKey[]): string {
  const top = String(path[0] ?? "input");
  return top.charAt(0).toLowerCase() + top.slice(1);
}

/** Parses an operation's input, or throws InvalidParameterException listing each violation. */
export function parseInput<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    throw new SerializationException("The request body must be a JSON object.");
  }
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  // One violation per member, as AWS reports them.
  const seen = new Set<string>();
  const problems: string[] = [];
  for (const issue of parsed.error.issues) {
    const member = memberName(issue.path);
    if (seen.has(member)) continue;
    seen.add(member);
    const value = issue.message === NOT_NULL ? "Value null" : "Value";
    problems.push(`${value} at '${member}' failed to satisfy constraint: ${issue.message}`);
  }
  const count = problems.length;
  throw new InvalidParameterException(`${count} validation error${count === 1 ? "" : "s"} detected: ${problems.join("; ")}`);
}

/** A required key of AuthParameters / ChallengeResponses (AWS: "Missing required parameter USERNAME"). */
export function requireParameter(map: Record<string, string> | undefined, key: string): string {
  const value = map?.[key];
  if (value === undefined || value === "") throw new InvalidParameterException(`Missing required parameter ${key}`);
  return value;
}
