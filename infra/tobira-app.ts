import { type App, Validations } from "aws-cdk-lib";
import { AwsSolutionsChecks } from "cdk-nag";
import type { PoolDefinition } from "../common/pool-definition";
import { AlbModeStack } from "./alb-mode-stack";
import type { LambdaName } from "./bundle-triggers";
import type { DeploySettings } from "./settings";
import { SignInStack } from "./sign-in-stack";

/** Stack names: `npm run deploy` deploys the sign-in mode; ALB mode is deployed by name. */
export const SIGN_IN_STACK = "TobiraSignIn";
export const ALB_MODE_STACK = "TobiraAlbMode";

export interface TobiraStacks {
  signIn: SignInStack;
  albMode: AlbModeStack;
}

/**
 * Both stacks of the infrastructure app, checked by cdk-nag's AWS Solutions rules at synthesis
 * (a violation that is not acknowledged with its reason fails the synthesis).
 */
export function defineTobiraApp(app: App, settings: DeploySettings, definition: PoolDefinition, bundles: Record<LambdaName, string>): TobiraStacks {
  const description = (mode: string) => `Tobira ${mode}${settings.placeholders ? " (example settings: not deployable)" : ""}`;
  // Region only: an account would make the VPC look up its zones in the account at synthesis.
  const env = { region: settings.region };
  const signIn = new SignInStack(app, SIGN_IN_STACK, {
    env,
    settings,
    definition,
    bundles,
    description: description("sign-in mode: BFF on Fargate, Cognito, DynamoDB, triggers"),
  });
  const albMode = new AlbModeStack(app, ALB_MODE_STACK, {
    env,
    settings,
    definition,
    bundles,
    description: description("ALB mode: authenticate-cognito in front of the BFF, logout Lambda"),
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { signIn, albMode };
}
