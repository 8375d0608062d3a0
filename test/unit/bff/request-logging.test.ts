import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import { describe, expect, it } from "vitest";
import { createLogger } from "../../../bff/logger";
import { requestLogging } from "../../../bff/middleware/request-logging";

describe("request logging (OWASP Logging Cheat Sheet: data to exclude)", () => {
  it("logs the path without the query string, which may carry id_token_hint, login_hint or state", async () => {
    const lines: string[] = [];
    const logger = createLogger("info", { write: (line: string) => void lines.push(line) });
    const app = express();
    app.use(requestLogging(logger));
    app.get("/oidc/session/end", (_req, res) => void res.status(400).send("no"));
    const server = createServer(app).listen(0, "127.0.0.1");
    await once(server, "listening");
    const { port } = server.address() as AddressInfo;
    try {
      const response = await fetch(`http://127.0.0.1:${port}/oidc/session/end?id_token_hint=eyJ.secret.hint&login_hint=ada%40example.com`);
      expect(response.status).toBe(400);
      expect(response.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    } finally {
      server.close();
    }
    const logged = lines.join("\n");
    expect(logged).toContain('"url":"/oidc/session/end"');
    expect(logged).not.toContain("eyJ.secret.hint");
    expect(logged).not.toContain("ada");
  });
});
