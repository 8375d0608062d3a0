import { DeploySettingsError, defaultDomainPrefix, environmentName, loadDeploySettings, placeholderSettings, runByCdkCli } from "../../infra/settings";

const required = {
  region: "eu-west-1",
  domain: "signin.example.org",
  certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/11111111-2222-3333-4444-555555555555",
  sesIdentity: "example.org",
};

function load(context: Record<string, unknown>, env: Record<string, string> = {}, allowPlaceholders = false) {
  return loadDeploySettings({ context: (name) => context[name], env, allowPlaceholders });
}

function problemsOf(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof DeploySettingsError) return error.problems;
    throw error;
  }
  throw new Error("expected a DeploySettingsError");
}

describe("deployment settings", () => {
  test("a deployment without domain, certificate, SES identity or region fails with every missing name", () => {
    const problems = problemsOf(() => load({}));
    expect(problems).toEqual([
      "region is required (-c region=… or TOBIRA_REGION)",
      "domain is required (-c domain=… or TOBIRA_DOMAIN)",
      "certificateArn is required (-c certificateArn=… or TOBIRA_CERTIFICATE_ARN)",
      "sesIdentity is required (-c sesIdentity=… or TOBIRA_SES_IDENTITY)",
    ]);
  });

  test("an offline synthesis fills the missing values with example ones and says so", () => {
    const settings = load({}, {}, true);
    expect(settings).toMatchObject({ ...placeholderSettings, placeholders: true });
    expect(load(required, {}, true).placeholders).toBe(false);
  });

  test("context wins over the environment, which names settings TOBIRA_<NAME>", () => {
    expect(environmentName("certificateArn")).toBe("TOBIRA_CERTIFICATE_ARN");
    const env = {
      TOBIRA_REGION: "ap-northeast-1",
      TOBIRA_DOMAIN: "from-env.example.org",
      TOBIRA_CERTIFICATE_ARN: required.certificateArn,
      TOBIRA_SES_IDENTITY: "example.org",
      TOBIRA_MIN_TASKS: "3",
    };
    const settings = load({ domain: "from-context.example.org" }, env);
    expect(settings).toMatchObject({ region: "ap-northeast-1", domain: "from-context.example.org", minTasks: 3 });
  });

  test("the region also comes from the CLI's profile", () => {
    const { region, ...rest } = required;
    expect(load(rest, { CDK_DEFAULT_REGION: "eu-central-1" }).region).toBe("eu-central-1");
    void region;
  });

  test("defaults: no-reply@ the SES domain, the sign-in domain and certificate for ALB mode, two tasks in two zones", () => {
    expect(load(required)).toMatchObject({
      sesFromAddress: "no-reply@example.org",
      albDomain: "signin.example.org",
      albCertificateArn: required.certificateArn,
      cognitoDomainPrefix: "signin-example-org",
      minTasks: 2,
      maxTasks: 6,
      natGateways: 2,
      architecture: "x86_64",
      hostedZone: undefined,
    });
    expect(load({ ...required, sesIdentity: "sender@example.org" }).sesFromAddress).toBe("sender@example.org");
  });

  test("refuses values a deployment would fail on later", () => {
    const problems = problemsOf(() =>
      load({
        ...required,
        domain: "Not A Host",
        certificateArn: "arn:aws:iam::123456789012:role/x",
        sesFromAddress: "someone@elsewhere.org",
        minTasks: "1",
        cognitoDomainPrefix: "my-cognito-login",
        hostedZoneId: "Z0123456789ABCDEFGHIJ",
      }),
    );
    expect(problems.join("\n")).toMatch(/domain: must be a lowercase host name/);
    expect(problems.join("\n")).toMatch(/certificateArn: must be an ACM certificate ARN/);
    expect(problems.join("\n")).toMatch(/minTasks/);
    expect(problems.join("\n")).toMatch(/cognitoDomainPrefix: must not contain aws, amazon or cognito/);
    const fromAddress = problemsOf(() => load({ ...required, sesFromAddress: "someone@elsewhere.org" }));
    expect(fromAddress).toEqual(["sesFromAddress: must be the sesIdentity address, or an address at the sesIdentity domain"]);
    const zone = problemsOf(() => load({ ...required, hostedZoneId: "Z0123456789ABCDEFGHIJ" }));
    expect(zone).toEqual(["hostedZoneId: hostedZoneId and hostedZoneName go together"]);
    expect(problemsOf(() => load({ ...required, minTasks: "4", maxTasks: "3" }))).toEqual(["maxTasks: must be at least minTasks"]);
  });

  test("a managed-login prefix derived from a domain avoids Cognito's reserved words", () => {
    const prefix = defaultDomainPrefix("login.amazonaws-cognito.example.com");
    expect(prefix).toBe("login-xx-x-example-com");
    expect(prefix).not.toMatch(/aws|amazon|cognito/);
    expect(defaultDomainPrefix("alb.example.org")).toBe("alb-example-org");
  });

  test("knows when the CDK CLI runs the app", () => {
    expect(runByCdkCli({ CDK_OUTDIR: "/tmp/cdk.out" })).toBe(true);
    expect(runByCdkCli({})).toBe(false);
  });
});
