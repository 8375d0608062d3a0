import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Validations } from "aws-cdk-lib";
import * as iam from "aws-cdk-lib/aws-iam";
import { AwsSolutionsChecks } from "cdk-nag";
import type { IConstruct } from "constructs";
import { type SynthesizedApp, removeTestBundles, synthesizeTobira } from "./support";

/** Every `Validations.of(…).acknowledge` in the tree: where, which rule, and why. */
function acknowledgements(root: IConstruct): { path: string; id: string; reason: string }[] {
  return root.node
    .findAll()
    .flatMap((construct) =>
      construct.node.metadata
        .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
        .flatMap((entry) => Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({ path: construct.node.path, id, reason }))),
    );
}

let synthesized: SynthesizedApp;
beforeAll(() => {
  // As `npm run synth` and `cdk deploy` run it: cdk-nag and CloudFormation's schema checks, errors fatal.
  synthesized = synthesizeTobira({
    cloudFormationValidation: true,
    context: { "@aws-cdk/core:strictCfnValidateErrors": true, "@aws-cdk/core:validationReportJson": true },
  });
}, 300_000);
afterAll(() => {
  synthesized.cleanup();
  removeTestBundles();
});

describe("cdk-nag AwsSolutions", () => {
  test("finds no unacknowledged violation, error or warning, in either stack", () => {
    for (const stack of [synthesized.stacks.signIn, synthesized.stacks.albMode]) {
      const report = new AwsSolutionsChecks().validateScope(stack);
      expect(
        report.violations.map((violation) => `${violation.ruleName} at ${violation.violatingResources.map((resource) => resource.constructPath).join(", ")}`),
      ).toEqual([]);
    }
  });

  test("the synthesis itself ran the checks and CloudFormation's template validation, and both passed", () => {
    const report = JSON.parse(readFileSync(join(synthesized.outdir, "validation-report.json"), "utf8")) as {
      pluginReports: { summary?: { status?: string }; violations?: unknown[] }[];
    };
    for (const plugin of report.pluginReports) expect(plugin.violations ?? []).toEqual([]);
  });

  test("every acknowledgement names one rule and gives a reason of its own", () => {
    // CDK acknowledges some of its own findings (e.g. CloudFormation-Validate::W3010 for zones it chose).
    const found = acknowledgements(synthesized.app).filter(({ id }) => /AwsSolutions/.test(id));
    expect(found.length).toBeGreaterThan(0);
    for (const { path, id, reason } of found) {
      expect(id, path).toMatch(/^(?:Annotation::)?AwsSolutions-[A-Z]+\d+(?:\[[^\]]+\])?$/);
      expect(reason.length, `${path} ${id}`).toBeGreaterThanOrEqual(80);
      expect(reason, `${path} ${id}`).not.toMatch(/\b(?:todo|tbd|fixme|suppress(?:ed)?|not needed|n\/a)\b/i);
    }
    // A wildcard acknowledgement would hide findings nobody has looked at.
    expect(found.filter(({ id }) => /IAM5(?!\[)/.test(id))).toEqual([]);
  });

  test("the checks are live: a wildcard policy added to a stack is reported and fails the synthesis", () => {
    const addWildcard = (stack: IConstruct) => {
      const role = new iam.Role(stack, "CarelessRole", { assumedBy: new iam.ServicePrincipal("lambda.amazonaws.com") });
      role.addToPolicy(new iam.PolicyStatement({ actions: ["dynamodb:*"], resources: ["*"] }));
    };
    expect(() => synthesizeTobira({ beforeSynth: (stacks) => addWildcard(stacks.signIn) })).toThrow(/AwsSolutions-IAM5/);
    const probe = synthesized.stacks.albMode;
    addWildcard(probe);
    const violations = new AwsSolutionsChecks().validateScope(probe).violations.map((violation) => violation.ruleName);
    expect(violations).toEqual(expect.arrayContaining(["AwsSolutions-IAM5[Action::dynamodb:*]", "AwsSolutions-IAM5[Resource::*]"]));
  });
});
