import { z } from "zod";

/**
 * The deployment's settings: CDK context (`-c name=value`) first, then the environment
 * (`TOBIRA_<NAME>`), the only place the infrastructure app reads either.
 *
 * A deployment needs a domain with an ACM certificate and a verified SES identity. An offline
 * synthesis (`npm run synth`, tests) may leave them out: example values are used instead, and
 * `placeholders` says so. The CDK CLI (`cdk deploy`) never gets placeholders: it runs the app with
 * CDK_OUTDIR set, and then a missing value is an error.
 */

export interface DeploySettings {
  /** The region to deploy to; Cognito, SES and the certificate must be in it. */
  region: string;
  /** Public host name of the sign-in service, e.g. `signin.example.com`. */
  domain: string;
  /** ACM certificate for `domain`, in the stack's region. */
  certificateArn: string;
  /** A verified SES identity: a domain (`example.com`) or an email address. */
  sesIdentity: string;
  /** The From address of sign-in codes and Cognito's own mails (inside `sesIdentity`). */
  sesFromAddress: string;
  /** ALB mode: its host name and certificate (default: the sign-in ones). */
  albDomain: string;
  albCertificateArn: string;
  /** ALB mode: prefix of the managed-login domain `<prefix>.auth.<region>.amazoncognito.com`. */
  cognitoDomainPrefix: string;
  /** Optional Route 53 zone: an alias record for the domain is created in it. */
  hostedZone: { id: string; name: string } | undefined;
  /** Optional address that receives the alarms (an SNS email subscription). */
  alarmEmail: string | undefined;
  /** A prebuilt BFF image (`repo/name:tag` or an ECR URI) instead of building the repository's Dockerfile. */
  bffImage: string | undefined;
  /** CPU architecture of the BFF's container image and tasks. */
  architecture: "x86_64" | "arm64";
  /** Tasks: at least 2 (two availability zones), scaled up to maxTasks. */
  minTasks: number;
  maxTasks: number;
  /** NAT gateways for the tasks' outbound calls (Cognito, SES); 2 keeps each zone independent. */
  natGateways: number;
  /** Bump after rotating a shared secret to push it into the Lambda functions and restart the tasks. */
  secretsGeneration: string;
  /** True when example values stand in for missing required settings (offline synthesis only). */
  placeholders: boolean;
}

const hostName = z.string().regex(/^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, "must be a lowercase host name such as signin.example.com");
const certificateArn = z.string().regex(/^arn:aws[\w-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[\w-]+$/, "must be an ACM certificate ARN");
const email = z.email("must be an email address");
const sesIdentity = z.union([hostName, email], { error: "must be a domain or an email address verified in SES" });
const count = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

const schema = z
  .object({
    region: z.string().regex(/^[a-z]{2,4}(?:-[a-z]+)+-\d{1,2}$/, "must be an AWS region such as eu-west-1"),
    domain: hostName,
    certificateArn,
    sesIdentity,
    sesFromAddress: email.optional(),
    albDomain: hostName.optional(),
    albCertificateArn: certificateArn.optional(),
    // Cognito refuses prefixes containing aws, amazon or cognito (Cognito DG, "Using the prefix domain").
    cognitoDomainPrefix: z
      .string()
      .regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, "must be lowercase letters, digits and hyphens")
      .refine((prefix) => !/aws|amazon|cognito/.test(prefix), "must not contain aws, amazon or cognito")
      .optional(),
    hostedZoneId: z
      .string()
      .regex(/^Z[A-Z0-9]{1,31}$/, "must be a Route 53 hosted zone id")
      .optional(),
    hostedZoneName: hostName.optional(),
    alarmEmail: email.optional(),
    bffImage: z.string().min(1).optional(),
    architecture: z.enum(["x86_64", "arm64"]).default("x86_64"),
    minTasks: count(2, 100).default(2),
    maxTasks: count(2, 100).default(6),
    natGateways: count(1, 3).default(2),
    secretsGeneration: z
      .string()
      .regex(/^[\w.-]{1,64}$/)
      .default("1"),
  })
  .refine((values) => values.maxTasks >= values.minTasks, { path: ["maxTasks"], message: "must be at least minTasks" })
  .refine(
    (values) =>
      values.sesFromAddress === undefined ||
      (values.sesIdentity.includes("@") ? values.sesFromAddress === values.sesIdentity : values.sesFromAddress.endsWith(`@${values.sesIdentity}`)),
    // SES sends only from a verified identity: the address itself, or an address at the verified domain.
    { path: ["sesFromAddress"], message: "must be the sesIdentity address, or an address at the sesIdentity domain" },
  )
  .refine((values) => (values.hostedZoneId === undefined) === (values.hostedZoneName === undefined), {
    path: ["hostedZoneId"],
    message: "hostedZoneId and hostedZoneName go together",
  });

type SettingName = keyof z.input<typeof schema>;
const names: SettingName[] = [
  "region",
  "domain",
  "certificateArn",
  "sesIdentity",
  "sesFromAddress",
  "albDomain",
  "albCertificateArn",
  "cognitoDomainPrefix",
  "hostedZoneId",
  "hostedZoneName",
  "alarmEmail",
  "bffImage",
  "architecture",
  "minTasks",
  "maxTasks",
  "natGateways",
  "secretsGeneration",
];
const required = ["region", "domain", "certificateArn", "sesIdentity"] as const;

/** Example values for an offline synthesis; never deployable (the account id is all zeros). */
export const placeholderSettings = {
  region: "us-east-1",
  domain: "signin.example.com",
  certificateArn: "arn:aws:acm:us-east-1:000000000000:certificate/00000000-0000-0000-0000-000000000000",
  sesIdentity: "example.com",
} as const;

/** `domain` → `TOBIRA_DOMAIN`, `certificateArn` → `TOBIRA_CERTIFICATE_ARN`. */
export function environmentName(name: string): string {
  return `TOBIRA_${name.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toUpperCase()}`;
}

export class DeploySettingsError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid deployment settings (pass them as -c name=value or TOBIRA_NAME=value):\n${problems.map((problem) => `  - ${problem}`).join("\n")}`);
    this.name = "DeploySettingsError";
  }
}

/** True when the CDK CLI runs the app (it passes the output folder in CDK_OUTDIR). */
export function runByCdkCli(env: Record<string, string | undefined> = process.env): boolean {
  return env.CDK_OUTDIR !== undefined && env.CDK_OUTDIR !== "";
}

export interface SettingsSources {
  /** CDK context lookup, e.g. `(name) => app.node.tryGetContext(name)`. */
  context: (name: string) => unknown;
  env?: Record<string, string | undefined>;
  /** Fill missing required settings with example values (offline synthesis). */
  allowPlaceholders: boolean;
}

function present(value: unknown): value is string | number {
  return (typeof value === "string" && value.trim() !== "") || typeof value === "number";
}

/** Reads, validates and completes the settings; throws one error listing every problem. */
export function loadDeploySettings(sources: SettingsSources): DeploySettings {
  const raw: Partial<Record<SettingName, string>> = {};
  for (const name of names) {
    const fromContext = sources.context(name);
    const env = sources.env ?? process.env;
    // The region also comes from the CLI's profile (CDK_DEFAULT_REGION) or the usual AWS variables.
    const fromEnv = env[environmentName(name)] ?? (name === "region" ? (env.CDK_DEFAULT_REGION ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION) : undefined);
    const value = present(fromContext) ? fromContext : present(fromEnv) ? fromEnv : undefined;
    if (value !== undefined) raw[name] = String(value).trim();
  }
  const missing = required.filter((name) => raw[name] === undefined);
  if (missing.length > 0 && !sources.allowPlaceholders) {
    throw new DeploySettingsError(missing.map((name) => `${name} is required (-c ${name}=… or ${environmentName(name)})`));
  }
  for (const name of missing) raw[name] = placeholderSettings[name];

  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    throw new DeploySettingsError(parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`));
  }
  const values = parsed.data;
  const albDomain = values.albDomain ?? values.domain;
  return {
    region: values.region,
    domain: values.domain,
    certificateArn: values.certificateArn,
    sesIdentity: values.sesIdentity,
    sesFromAddress: values.sesFromAddress ?? (values.sesIdentity.includes("@") ? values.sesIdentity : `no-reply@${values.sesIdentity}`),
    albDomain,
    albCertificateArn: values.albCertificateArn ?? values.certificateArn,
    cognitoDomainPrefix: values.cognitoDomainPrefix ?? defaultDomainPrefix(albDomain),
    hostedZone: values.hostedZoneId === undefined || values.hostedZoneName === undefined ? undefined : { id: values.hostedZoneId, name: values.hostedZoneName },
    alarmEmail: values.alarmEmail,
    bffImage: values.bffImage,
    architecture: values.architecture,
    minTasks: values.minTasks,
    maxTasks: values.maxTasks,
    natGateways: values.natGateways,
    secretsGeneration: values.secretsGeneration,
    placeholders: missing.length > 0,
  };
}

/** `alb.example.com` → `alb-example-com` (within Cognito's 63 characters, without reserved words). */
export function defaultDomainPrefix(domain: string): string {
  const prefix = domain
    .replace(/aws|amazon|cognito/g, "x")
    .replace(/[^a-z0-9]+/g, "-")
    .slice(0, 63)
    .replace(/^-+|-+$/g, "");
  return prefix === "" ? "tobira" : prefix;
}
