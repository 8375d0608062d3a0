import { once } from "node:events";
import { type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { CloudFormationCustomResourceEvent } from "aws-lambda";
import { BUNDLE_FILE } from "../../infra/bundle-triggers";
import { createSecretsInitializer } from "../../infra/lambda/secrets-initializer";
import { removeTestBundles, testBundles } from "./support";

type Sent = { url: string; body: Record<string, unknown> };

function event(
  requestType: "Create" | "Update" | "Delete",
  properties: Record<string, string>,
  responseUrl = "https://cloudformation-response.example/signed",
): CloudFormationCustomResourceEvent {
  const common = {
    ServiceToken: "arn:aws:lambda:eu-west-1:123456789012:function:init",
    ResponseURL: responseUrl,
    StackId: "arn:aws:cloudformation:eu-west-1:123456789012:stack/TobiraSignIn/guid",
    RequestId: "request-1",
    LogicalResourceId: "OidcJwksValue",
    ResourceType: "Custom::TobiraSecretValue",
    ResourceProperties: { ServiceToken: "arn:aws:lambda:eu-west-1:123456789012:function:init", ...properties },
  };
  if (requestType === "Create") return { ...common, RequestType: "Create" };
  if (requestType === "Update")
    return { ...common, RequestType: "Update", PhysicalResourceId: "OidcJwksValue-oidc-jwks", OldResourceProperties: common.ResourceProperties };
  return { ...common, RequestType: "Delete", PhysicalResourceId: "OidcJwksValue-oidc-jwks" };
}

function initializer(overrides: Partial<Parameters<typeof createSecretsInitializer>[0]> = {}) {
  const sent: Sent[] = [];
  const describe = vi.fn(async () => "the-client-secret");
  const handler = createSecretsInitializer({
    generateJwks: () => ({ keys: [{ kty: "EC", d: "private", kid: "k1" }] }),
    describeClientSecret: describe,
    respond: async (url, body) => {
      sent.push({ url, body: JSON.parse(body) as Record<string, unknown> });
    },
    ...overrides,
  });
  return { handler, sent, describe };
}

describe("secrets initializer", () => {
  test("answers Create of the signing keys with a generated JWKS, hidden from the console (NoEcho)", async () => {
    const { handler, sent } = initializer();
    await handler(event("Create", { Kind: "oidc-jwks" }));
    expect(sent).toHaveLength(1);
    expect(sent[0]!.url).toBe("https://cloudformation-response.example/signed");
    expect(sent[0]!.body).toMatchObject({
      Status: "SUCCESS",
      NoEcho: true,
      PhysicalResourceId: "OidcJwksValue-oidc-jwks",
      RequestId: "request-1",
      LogicalResourceId: "OidcJwksValue",
      StackId: "arn:aws:cloudformation:eu-west-1:123456789012:stack/TobiraSignIn/guid",
    });
    expect(JSON.parse((sent[0]!.body.Data as { Value: string }).Value)).toEqual({ keys: [{ kty: "EC", d: "private", kid: "k1" }] });
  });

  test("copies the app client's secret from Cognito for this pool and client", async () => {
    const { handler, sent, describe } = initializer();
    await handler(event("Create", { Kind: "app-client-secret", UserPoolId: "eu-west-1_Pool", ClientId: "client123" }));
    expect(describe).toHaveBeenCalledWith("eu-west-1_Pool", "client123");
    expect(sent[0]!.body).toMatchObject({ Status: "SUCCESS", NoEcho: true, Data: { Value: "the-client-secret" } });
  });

  test("keeps the physical id on Update and produces no value on Delete", async () => {
    const { handler, sent } = initializer();
    await handler(event("Update", { Kind: "oidc-jwks" }));
    await handler(event("Delete", { Kind: "oidc-jwks" }));
    expect(sent.map((entry) => entry.body.PhysicalResourceId)).toEqual(["OidcJwksValue-oidc-jwks", "OidcJwksValue-oidc-jwks"]);
    expect(sent[1]!.body.Status).toBe("SUCCESS");
    expect(sent[1]!.body.Data).toBeUndefined();
  });

  test("reports a failure to CloudFormation with the message only, never hanging the stack", async () => {
    const { handler, sent } = initializer({
      describeClientSecret: async () => {
        throw new Error("User pool client client123 does not exist.");
      },
    });
    await handler(event("Create", { Kind: "app-client-secret", UserPoolId: "eu-west-1_Pool", ClientId: "client123" }));
    expect(sent[0]!.body).toMatchObject({ Status: "FAILED", Reason: "User pool client client123 does not exist." });
    expect(sent[0]!.body.Data).toBeUndefined();
  });

  test("refuses an unknown kind and missing properties", async () => {
    const { handler, sent } = initializer();
    await handler(event("Create", { Kind: "something-else" }));
    await handler(event("Create", { Kind: "app-client-secret", UserPoolId: "eu-west-1_Pool" }));
    expect(sent.map((entry) => entry.body.Status)).toEqual(["FAILED", "FAILED"]);
    expect(sent[0]!.body.Reason).toMatch(/Unknown Kind/);
    expect(sent[1]!.body.Reason).toMatch(/ClientId is required/);
  });
});

describe("the bundled secrets initializer", () => {
  let server: Server;
  const received: { method: string; contentType: string | undefined; body: string }[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => {
        received.push({ method: req.method!, contentType: req.headers["content-type"], body: Buffer.concat(chunks).toString("utf8") });
        res.writeHead(200).end();
      });
    });
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
  });
  afterAll(() => {
    server.close();
    removeTestBundles();
  });

  test("PUTs a private JWKS of the BFF's kind to the response URL, with no content type", async () => {
    const { handler } = (await import(pathToFileURL(join(testBundles().secretsInitializer, BUNDLE_FILE)).href)) as {
      handler: (event: CloudFormationCustomResourceEvent) => Promise<void>;
    };
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/signed?X-Amz-Signature=abc`;
    await handler(event("Create", { Kind: "oidc-jwks" }, url));
    expect(received).toHaveLength(1);
    expect(received[0]!.method).toBe("PUT");
    expect(received[0]!.contentType ?? "").toBe("");
    const body = JSON.parse(received[0]!.body) as { Status: string; Data: { Value: string } };
    expect(body.Status).toBe("SUCCESS");
    const jwks = JSON.parse(body.Data.Value) as { keys: { kty: string; alg: string; d?: string; kid?: string }[] };
    expect(jwks.keys.map((key) => key.alg)).toEqual(["RS256", "ES256"]);
    for (const key of jwks.keys) {
      expect(key.d).toEqual(expect.any(String));
      expect(key.kid).toEqual(expect.any(String));
    }
  }, 60_000);
});
