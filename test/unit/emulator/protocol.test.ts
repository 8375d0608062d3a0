import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import { NotAuthorizedException } from "../../../emulator/errors";
import type { Operation, PoolContext } from "../../../emulator/pool";
import { createProtocolRouter } from "../../../emulator/protocol";

const operations: Record<string, Operation> = {
  Echo: async (_ctx, input) => ({ received: input }),
  Refuse: async () => {
    throw new NotAuthorizedException("Nope\nwith a newline and ünicode");
  },
  Crash: async () => {
    throw new Error("database at /secret/path exploded");
  },
};

let server: Server;
let url: string;
beforeAll(async () => {
  const app = express();
  app.use(createProtocolRouter(() => ({}) as PoolContext, operations));
  server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

function call(operation: string, body = "{}") {
  return fetch(url, { method: "POST", headers: { "x-amz-target": `AWSCognitoIdentityProviderService.${operation}` }, body });
}

test("passes the parsed JSON body to the operation", async () => {
  expect(await (await call("Echo", '{"A":1}')).json()).toEqual({ received: { A: 1 } });
});

test("treats an empty body as an empty input", async () => {
  expect(await (await call("Echo", "")).json()).toEqual({ received: {} });
});

test("keeps the message in the body and makes the header copy header-safe", async () => {
  const response = await call("Refuse");
  expect(await response.json()).toEqual({ __type: "NotAuthorizedException", message: "Nope\nwith a newline and ünicode" });
  expect(response.headers.get("x-amzn-errormessage")).toBe("Nope?with a newline and ?nicode");
});

test("answers an unexpected failure with InternalErrorException and no internals", async () => {
  const errors: unknown[] = [];
  const spy = vi.spyOn(console, "error").mockImplementation((...args) => {
    errors.push(args);
  });
  try {
    const response = await call("Crash");
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({ __type: "InternalErrorException", message: "An internal error occurred." });
    expect(text).not.toContain("secret");
    expect(errors).toHaveLength(1);
  } finally {
    spy.mockRestore();
  }
});

test("refuses a body larger than 1 MB with a 400", async () => {
  const response = await call("Echo", JSON.stringify({ A: "x".repeat(1_100_000) }));
  expect(response.status).toBe(400);
  expect(((await response.json()) as { __type: string }).__type).toBe("SerializationException");
});
