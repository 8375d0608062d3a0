import { z } from "zod";
import { describeIssues } from "../../common/env";
import { oidcClientSchema, type OidcClientConfig } from "../../common/local-config";
import type { BffEnv } from "./env-schema";
import type { OidcSettings } from "./types";

const oidcJwksSchema = z.object({
  keys: z.array(z.record(z.string(), z.unknown()).refine((key) => typeof key.d === "string", "every key must be a private JWK")).min(1),
});

/** A JSON variable checked by `schema`; problems are appended to `problems`. */
function parseJsonVariable<Schema extends z.ZodType>(name: string, raw: string | undefined, schema: Schema, problems: string[]): z.output<Schema> | undefined {
  if (raw === undefined) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    problems.push(`${name}: not valid JSON`);
    return undefined;
  }
  const parsed = schema.safeParse(json);
  if (parsed.success) return parsed.data;
  problems.push(...describeIssues(parsed.error.issues, name));
  return undefined;
}

/** OIDC_CLIENTS / OIDC_JWKS (JSON), else the mode's clients; problems are appended to `problems`. */
export function parseOidcSettings(vars: BffEnv, defaultClients: OidcClientConfig[], problems: string[]): OidcSettings {
  const clients = parseJsonVariable("OIDC_CLIENTS", vars.OIDC_CLIENTS, z.array(oidcClientSchema), problems);
  const jwks = parseJsonVariable("OIDC_JWKS", vars.OIDC_JWKS, oidcJwksSchema, problems);
  return { clients: clients ?? defaultClients, jwks };
}
