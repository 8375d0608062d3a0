import { join } from "node:path";
import { App } from "aws-cdk-lib";
import { loadPoolDefinition } from "../common/pool-definition";
import { bundleLambdas, repoRoot } from "./bundle-triggers";
import { DeploySettingsError, loadDeploySettings, runByCdkCli } from "./settings";
import { defineTobiraApp } from "./tobira-app";

/**
 * The infrastructure app. `npm run synth` runs it directly (offline: templates into cdk.out/);
 * `npm run deploy` runs it through the CDK CLI (cdk.json), which needs real settings.
 */
function main(): void {
  const byCli = runByCdkCli();
  // The CLI tells the app where to write (CDK_OUTDIR); run directly, it writes cdk.out/ like the CLI.
  const app = new App(byCli ? {} : { outdir: join(repoRoot, "cdk.out") });
  let settings;
  try {
    settings = loadDeploySettings({ context: (name) => app.node.tryGetContext(name), allowPlaceholders: !byCli });
  } catch (error) {
    if (error instanceof DeploySettingsError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  if (settings.placeholders) {
    console.warn("infra: no domain/certificateArn/sesIdentity given: synthesizing with example values (fine offline, not deployable).");
  }
  defineTobiraApp(app, settings, loadPoolDefinition(), bundleLambdas());
  app.synth();
}

main();
