import { CognitoIdentityProviderClient, DescribeUserPoolClientCommand } from "@aws-sdk/client-cognito-identity-provider";
import type { CloudFormationCustomResourceEvent } from "aws-lambda";
import { generateSigningKeys } from "../../bff/oidc/signing-keys";

/**
 * A CloudFormation custom resource that produces the two secret values CloudFormation cannot:
 *
 * - `oidc-jwks`: the OpenID Provider's private signing keys (the same generator the BFF uses), so
 *   every task signs with the same keys from the first deployment on;
 * - `app-client-secret`: the BFF app client's secret, which Cognito generates and returns only to
 *   DescribeUserPoolClient.
 *
 * The value comes back as the attribute `Value` with NoEcho, and the stack stores it in Secrets
 * Manager; it is never logged. A JWKS is made once (on Create): later updates of the stack keep the
 * secret as it is, so keys an operator rotated stay in place.
 */

export type SecretKind = "oidc-jwks" | "app-client-secret";

export interface SecretsInitializerDeps {
  generateJwks: () => unknown;
  describeClientSecret: (userPoolId: string, clientId: string) => Promise<string>;
  /** PUT of the response document to CloudFormation's pre-signed URL. */
  respond: (url: string, body: string) => Promise<void>;
}

type Outcome = { status: "SUCCESS"; value?: string } | { status: "FAILED"; reason: string };

function requiredProperty(event: CloudFormationCustomResourceEvent, name: string): string {
  const value: unknown = event.ResourceProperties[name];
  if (typeof value !== "string" || value === "") throw new Error(`ResourceProperties.${name} is required`);
  return value;
}

export function createSecretsInitializer(deps: SecretsInitializerDeps) {
  async function produce(event: CloudFormationCustomResourceEvent): Promise<string | undefined> {
    if (event.RequestType === "Delete") return undefined;
    const kind = requiredProperty(event, "Kind") as SecretKind;
    switch (kind) {
      case "oidc-jwks":
        return JSON.stringify(deps.generateJwks());
      case "app-client-secret":
        return deps.describeClientSecret(requiredProperty(event, "UserPoolId"), requiredProperty(event, "ClientId"));
      default:
        throw new Error(`Unknown Kind ${JSON.stringify(kind)}`);
    }
  }

  return async (event: CloudFormationCustomResourceEvent): Promise<void> => {
    let outcome: Outcome;
    try {
      const value = await produce(event);
      outcome = value === undefined ? { status: "SUCCESS" } : { status: "SUCCESS", value };
    } catch (error) {
      // The reason shows in the stack's events: the message only, never a value.
      outcome = { status: "FAILED", reason: error instanceof Error ? error.message : "failed" };
    }
    const physicalResourceId = event.RequestType === "Create" ? `${event.LogicalResourceId}-${requiredPropertyOr(event, "Kind", "secret")}` : event.PhysicalResourceId;
    const body = {
      Status: outcome.status,
      Reason: outcome.status === "FAILED" ? outcome.reason : "OK",
      PhysicalResourceId: physicalResourceId,
      StackId: event.StackId,
      RequestId: event.RequestId,
      LogicalResourceId: event.LogicalResourceId,
      // Fn::GetAtt still works; the console and describe calls show asterisks.
      NoEcho: true,
      ...(outcome.status === "SUCCESS" && outcome.value !== undefined ? { Data: { Value: outcome.value } } : {}),
    };
    await deps.respond(event.ResponseURL, JSON.stringify(body));
  };
}

function requiredPropertyOr(event: CloudFormationCustomResourceEvent, name: string, fallback: string): string {
  const value: unknown = event.ResourceProperties[name];
  return typeof value === "string" && value !== "" ? value : fallback;
}

async function putResponse(url: string, body: string): Promise<void> {
  // The URL is pre-signed for a PUT without a content type (AWS CloudFormation user guide, "Custom resources").
  const response = await fetch(url, { method: "PUT", body: new TextEncoder().encode(body), headers: { "content-type": "" } });
  if (!response.ok) throw new Error(`CloudFormation refused the response: HTTP ${response.status}`);
}

let coldStartHandler: ReturnType<typeof createSecretsInitializer> | undefined;

/** Lambda entry point (the custom resource's service token). */
export const handler = async (event: CloudFormationCustomResourceEvent): Promise<void> => {
  if (coldStartHandler === undefined) {
    const cognito = new CognitoIdentityProviderClient({});
    coldStartHandler = createSecretsInitializer({
      generateJwks: generateSigningKeys,
      async describeClientSecret(userPoolId, clientId) {
        const { UserPoolClient } = await cognito.send(new DescribeUserPoolClientCommand({ UserPoolId: userPoolId, ClientId: clientId }));
        if (UserPoolClient?.ClientSecret === undefined) throw new Error("The app client has no secret");
        return UserPoolClient.ClientSecret;
      },
      respond: putResponse,
    });
  }
  return coldStartHandler(event);
};
