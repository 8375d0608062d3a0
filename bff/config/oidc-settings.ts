import { z } from "zod";
import { describeIssues } from "../../common/env";
import { oidcClientSchema, resourceServerSchema, type OidcClientConfig, type ResourceServerConfig } from "../../common/local-config";
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

/** OIDC_CLIENTS / OIDC_RESOURCE_SERVERS / OIDC_JWKS (JSON), else the mode's; problems are appended to `problems`. */
export function parseOidcSettings(
  vars: BffEnv,
  defaultClients: OidcClientConfig[],
  problems: string[],
  defaultResourceServers: ResourceServerConfig[] = [],
): OidcSettings {
  const clients = parseJsonVariable("OIDC_CLIENTS", vars.OIDC_CLIENTS, z.array(oidcClientSchema), problems);
  const resourceServers = parseJsonVariable("OIDC_RESOURCE_SERVERS", vars.OIDC_RESOURCE_SERVERS, z.array(resourceServerSchema), problems);
  const jwks = parseJsonVariable("OIDC_JWKS", vars.OIDC_JWKS, oidcJwksSchema, problems);
  const settings = { clients: clients ?? defaultClients, resourceServers: resourceServers ?? defaultResourceServers, jwks, rateLimitPerIp: vars.OIDC_RATE_LIMIT_PER_IP };
  problems.push(...clientIdProblems(settings));
  return settings;
}

/** Apps and APIs share the provider's client registry: one id names one of them. */
function clientIdProblems(settings: Pick<OidcSettings, "clients" | "resourceServers">): string[] {
  const seen = new Set<string>();
  const problems: string[] = [];
  for (const { clientId } of [...settings.clients, ...settings.resourceServers]) {
    if (seen.has(clientId)) problems.push(`OIDC_CLIENTS / OIDC_RESOURCE_SERVERS: the client id ${clientId} is used twice`);
    seen.add(clientId);
  }
  const audiences = settings.resourceServers.map((server) => server.audience);
  for (const audience of new Set(audiences.filter((value, index) => audiences.indexOf(value) !== index))) {
    problems.push(`OIDC_RESOURCE_SERVERS: the audience ${audience} is registered twice`);
  }
  return problems;
}
