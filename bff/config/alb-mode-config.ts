import { ALB_SESSION_COOKIE_NAME, cognitoLogoutUrl } from "../../common/alb-logout";
import type { BffEnv } from "./env-schema";
import { BffConfigError } from "./errors";
import type { ModeDefaults } from "./mode-defaults";
import { cognitoEndpointOf, cognitoIssuerSettings, jwksUrlVariables, plainHttpUrlProblems, publicUrlProblems, serverSettings } from "./server-settings";
import type { AlbModeConfig } from "./types";
import { requireValues, stripTrailingSlash } from "./values";

/** What ALB mode needs in AWS. No table, cookie keys or secrets: the BFF keeps no state of its own. */
export const requiredAlbVariables = [
  "COGNITO_USER_POOL_ID",
  "COGNITO_CLIENT_ID",
  "AWS_REGION",
  "PUBLIC_URL",
  "ALB_ARN",
  "COGNITO_DOMAIN",
  "ALB_LOGOUT_URI",
] as const satisfies readonly (keyof BffEnv)[];

function hostedUiBase(domain: string): string | undefined {
  if (/^https?:\/\//i.test(domain)) return URL.canParse(domain) ? stripTrailingSlash(new URL(domain).href) : undefined;
  return /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i.test(domain) ? `https://${domain.toLowerCase()}` : undefined;
}

/**
 * ALB_MODE=true, in either mode: locally the defaults are the local ALB's (the "tobira-alb"
 * client, its sign-out URL and origin, the emulator as managed login); in AWS every value of
 * requiredAlbVariables must be given. Throws a BffConfigError listing every problem.
 */
export function buildAlbModeConfig(vars: BffEnv, defaults: ModeDefaults): AlbModeConfig {
  const region = vars.AWS_REGION ?? defaults.region;
  const endpoint = cognitoEndpointOf(vars, defaults);
  const fallback = defaults.alb({ region, cognitoEndpoint: endpoint });
  const given = {
    COGNITO_USER_POOL_ID: vars.COGNITO_USER_POOL_ID ?? defaults.userPoolId,
    COGNITO_CLIENT_ID: vars.COGNITO_CLIENT_ID ?? fallback.clientId,
    AWS_REGION: region,
    PUBLIC_URL: vars.PUBLIC_URL ?? fallback.publicUrl,
    ALB_ARN: vars.ALB_ARN ?? fallback.albArn,
    COGNITO_DOMAIN: vars.COGNITO_DOMAIN ?? fallback.domain,
    ALB_LOGOUT_URI: vars.ALB_LOGOUT_URI ?? fallback.logoutUri,
  } satisfies Record<(typeof requiredAlbVariables)[number], unknown>;

  const problems: string[] = [];
  const required = requireValues(given, requiredAlbVariables, fallback.missing, problems);
  problems.push(...publicUrlProblems(defaults, given.PUBLIC_URL));
  const hostedUiUrl = given.COGNITO_DOMAIN === undefined ? undefined : hostedUiBase(given.COGNITO_DOMAIN);
  if (given.COGNITO_DOMAIN !== undefined && hostedUiUrl === undefined) problems.push("COGNITO_DOMAIN: must be a host name (e.g. auth.example.com) or an http(s) URL");
  problems.push(
    ...plainHttpUrlProblems(defaults, {
      ...jwksUrlVariables(vars),
      ALB_KEYS_ENDPOINT: vars.ALB_KEYS_ENDPOINT,
      // userInfo receives the access token.
      COGNITO_DOMAIN: hostedUiUrl,
    }),
  );
  let logoutUrl: string | undefined;
  if (hostedUiUrl !== undefined && given.COGNITO_CLIENT_ID !== undefined && given.ALB_LOGOUT_URI !== undefined) {
    try {
      logoutUrl = cognitoLogoutUrl({ baseUrl: hostedUiUrl, clientId: given.COGNITO_CLIENT_ID, logoutUri: given.ALB_LOGOUT_URI });
    } catch (error) {
      problems.push(`ALB_LOGOUT_URI: ${error instanceof Error ? error.message : "invalid"}`);
    }
  }
  if (required === undefined || hostedUiUrl === undefined || logoutUrl === undefined || problems.length > 0) throw new BffConfigError(problems);

  return {
    kind: "alb",
    ...serverSettings(vars, defaults, required.PUBLIC_URL),
    cognito: cognitoIssuerSettings(vars, defaults, { region: required.AWS_REGION, userPoolId: required.COGNITO_USER_POOL_ID, endpoint }),
    alb: {
      albArn: required.ALB_ARN,
      keysEndpoint: stripTrailingSlash(vars.ALB_KEYS_ENDPOINT ?? `https://public-keys.auth.elb.${required.AWS_REGION}.amazonaws.com`),
      clientId: required.COGNITO_CLIENT_ID,
      hostedUiUrl,
      userInfoUrl: `${hostedUiUrl}/oauth2/userInfo`,
      logoutUri: required.ALB_LOGOUT_URI,
      logoutUrl,
      sessionCookieName: vars.ALB_SESSION_COOKIE_NAME ?? ALB_SESSION_COOKIE_NAME,
    },
  };
}
