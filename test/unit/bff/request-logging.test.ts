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

  it("gives a route's own lines the request's id and path, and logs a failed answer at error", async () => {
    const lines: string[] = [];
    const logger = createLogger("info", { write: (line: string) => void lines.push(line) });
    const app = express();
    app.use(requestLogging(logger));
    const api = express.Router();
    api.get("/thing", (req, res) => {
      req.log.info({ step: "inside" }, "route line");
      res.status(503).json({});
    });
    app.use("/api", api);
    const server = createServer(app).listen(0, "127.0.0.1");
    await once(server, "listening");
    const { port } = server.address() as AddressInfo;
    let requestId: string | null;
    try {
      const response = await fetch(`http://127.0.0.1:${port}/api/thing?login_hint=ada%40example.com`);
      requestId = response.headers.get("x-request-id");
      expect(response.status).toBe(503);
    } finally {
      server.close();
    }
    const parsed = lines.map(
      (line) => JSON.parse(line) as { level: number; msg: string; req?: { id: string; method: string; url: string }; res?: { statusCode: number } },
    );
    const routeLine = parsed.find((line) => line.msg === "route line");
    expect(routeLine?.req).toEqual({ id: requestId, method: "GET", url: "/api/thing" });
    const completion = parsed.find((line) => line.res !== undefined);
    expect(completion).toMatchObject({ level: 50, msg: "request errored", req: { id: requestId, url: "/api/thing" }, res: { statusCode: 503 } });
    expect(lines.join("\n")).not.toContain("ada");
  });
});
