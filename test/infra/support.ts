import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App, type CfnElement, Stack } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import type { IConstruct } from "constructs";
import { type PoolDefinition, loadPoolDefinition } from "../../common/pool-definition";
import { type LambdaName, bundleLambdas, repoRoot } from "../../infra/bundle-triggers";
import { type DeploySettings, loadDeploySettings } from "../../infra/settings";
import { type TobiraStacks, defineTobiraApp } from "../../infra/tobira-app";

/** Settings of a real-looking deployment (no placeholders), as `-c name=value` would give them. */
export const testContext: Record<string, string> = {
  region: "eu-west-1",
  domain: "signin.example.org",
  certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/11111111-2222-3333-4444-555555555555",
  sesIdentity: "example.org",
  albDomain: "alb.example.org",
  albCertificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/66666666-7777-8888-9999-000000000000",
  cognitoDomainPrefix: "tobira-test",
  hostedZoneId: "Z0123456789ABCDEFGHIJ",
  hostedZoneName: "example.org",
  alarmEmail: "ops@example.org",
};

export function testSettings(overrides: Record<string, string> = {}): DeploySettings {
  const context = { ...testContext, ...overrides };
  return loadDeploySettings({ context: (name) => context[name], env: {}, allowPlaceholders: false });
}

/**
 * Bundles once per test file, into node_modules/.cache (so that Node, not the test runner's
 * transform, imports the bundles, as Lambda does).
 */
let bundles: { dir: string; folders: Record<LambdaName, string> } | undefined;
export function testBundles(): Record<LambdaName, string> {
  if (bundles === undefined) {
    // A fresh clone has no node_modules/.cache yet.
    const cache = join(repoRoot, "node_modules", ".cache");
    mkdirSync(cache, { recursive: true });
    const dir = mkdtempSync(join(cache, "tobira-lambda-test-"));
    bundles = { dir, folders: bundleLambdas(dir) };
  }
  return bundles.folders;
}

export interface SynthesizedApp {
  app: App;
  stacks: TobiraStacks;
  signIn: Template;
  albMode: Template;
  outdir: string;
  definition: PoolDefinition;
  settings: DeploySettings;
  cleanup(): void;
}

export interface SynthesizeOptions {
  settings?: DeploySettings;
  definition?: PoolDefinition;
  /** CDK's built-in CloudFormation schema check (slow: a WebAssembly cfn-lint); the nag test turns it on. */
  cloudFormationValidation?: boolean;
  /** Extra CDK context. */
  context?: Record<string, unknown>;
  /** Called after the stacks are defined and before synthesis (tests that break something on purpose). */
  beforeSynth?: (stacks: TobiraStacks) => void;
}

/** The infrastructure app exactly as infra/app.ts builds it, synthesized into a temporary folder. */
export function synthesizeTobira(options: SynthesizeOptions = {}): SynthesizedApp {
  const outdir = mkdtempSync(join(tmpdir(), "tobira-cdk-"));
  const settings = options.settings ?? testSettings();
  const definition = options.definition ?? loadPoolDefinition();
  const app = new App({ outdir, builtinCloudFormationValidation: options.cloudFormationValidation ?? false, context: options.context ?? {} });
  const stacks = defineTobiraApp(app, settings, definition, testBundles());
  options.beforeSynth?.(stacks);
  let assembly;
  try {
    assembly = app.synth();
  } catch (error) {
    rmSync(outdir, { recursive: true, force: true });
    throw error;
  }
  const template = (stack: Stack) => Template.fromJSON(assembly.getStackByName(stack.stackName).template as Record<string, unknown>);
  return {
    app,
    stacks,
    signIn: template(stacks.signIn),
    albMode: template(stacks.albMode),
    outdir,
    definition,
    settings,
    cleanup: () => rmSync(outdir, { recursive: true, force: true }),
  };
}

export function removeTestBundles(): void {
  if (bundles !== undefined) rmSync(bundles.dir, { recursive: true, force: true });
  bundles = undefined;
}

type Resource = { Type: string; Properties?: Record<string, unknown>; DeletionPolicy?: string; UpdateReplacePolicy?: string };

/** The one resource of a type (fails when there are several or none). */
export function onlyResource(template: Template, type: string, props: Record<string, unknown> = {}): [string, Resource] {
  const found = Object.entries(template.findResources(type, props)) as [string, Resource][];
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  return found[0]!;
}

export function resources(template: Template, type: string): [string, Resource][] {
  return Object.entries(template.findResources(type)) as [string, Resource][];
}

/** The logical id of a construct's CloudFormation resource (its default child, or itself). */
export function logicalId(construct: IConstruct): string {
  const element = (construct.node.defaultChild ?? construct) as CfnElement;
  return Stack.of(construct).getLogicalId(element);
}

/** Policy statements attached (inline AWS::IAM::Policy resources) to the role with this logical id. */
export function statementsOfRole(template: Template, roleLogicalId: string): Record<string, unknown>[] {
  return resources(template, "AWS::IAM::Policy")
    .filter(([, policy]) => (policy.Properties?.Roles as unknown[] | undefined)?.some((role) => JSON.stringify(role) === JSON.stringify({ Ref: roleLogicalId })))
    .flatMap(([, policy]) => (policy.Properties?.PolicyDocument as { Statement: Record<string, unknown>[] }).Statement);
}

export function asArray<T>(value: T | T[] | undefined): T[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

/**
 * Replaces CloudFormation intrinsics (Ref, Fn::GetAtt, Fn::Join) with sample values, so that an
 * environment from a template can be fed to the code that reads it. `samples` maps a logical id
 * (or `id.Attribute`) to its value; other references become `ref<id>`. A dynamic reference to a
 * Secrets Manager secret (`{{resolve:secretsmanager:…}}`) becomes `secrets[<secret logical id>]`.
 */
export function resolveSample(value: unknown, samples: Record<string, string> = {}, secrets: Record<string, string> = {}): string {
  const marker = (id: string) => `@secret:${id}@`;
  const resolve = (node: unknown): string => {
    if (typeof node === "string") return node;
    if (typeof node === "number") return String(node);
    const object = node as Record<string, unknown>;
    if (typeof object.Ref === "string") {
      if (secrets[object.Ref] !== undefined) return marker(object.Ref);
      return samples[object.Ref] ?? `ref${object.Ref.replace(/\W/g, "")}`;
    }
    if (Array.isArray(object["Fn::GetAtt"])) {
      const key = (object["Fn::GetAtt"] as string[]).join(".");
      return samples[key] ?? `att${key.replace(/\W/g, "")}`;
    }
    if (Array.isArray(object["Fn::Join"])) {
      const [separator, parts] = object["Fn::Join"] as [string, unknown[]];
      return parts.map(resolve).join(separator);
    }
    throw new Error(`cannot resolve ${JSON.stringify(node)}`);
  };
  return resolve(value).replace(/\{\{resolve:secretsmanager:@secret:([^@]+)@:SecretString:::\}\}/g, (_, id: string) => secrets[id]!);
}

/** An environment from a template (Lambda Variables or a container's Environment), intrinsics resolved with `resolveSample`. */
export function sampleEnvironment(
  variables: Record<string, unknown>,
  samples: Record<string, string> = {},
  secrets: Record<string, string> = {},
): Record<string, string> {
  return Object.fromEntries(Object.entries(variables).map(([name, value]) => [name, resolveSample(value, samples, secrets)]));
}
