import { once } from "node:events";
import type { AddressInfo } from "node:net";
import express, { type ErrorRequestHandler, type RequestHandler } from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inSequence } from "../../../bff/middleware/in-sequence";

describe("inSequence (several middlewares as one router layer)", () => {
  let baseUrl: string;
  let close: () => void;
  const calls: string[] = [];

  const mark =
    (name: string): RequestHandler =>
    (_req, _res, next) => {
      calls.push(name);
      next();
    };

  beforeAll(async () => {
    const app = express();
    app.get("/in-order", inSequence(mark("a"), mark("b"), mark("c")), (_req, res) => void res.json({ calls }));
    app.get(
      "/next-error",
      inSequence(mark("a"), (_req, _res, next) => next(new Error("refused")), mark("never")),
      (_req, res) => void res.json({ reached: true }),
    );
    app.get(
      "/thrown",
      inSequence(
        mark("a"),
        () => {
          throw new Error("thrown");
        },
        mark("never"),
      ),
    );
    app.get(
      "/rejected",
      inSequence(mark("a"), async () => {
        await Promise.resolve();
        throw new Error("rejected");
      }),
    );
    app.get(
      "/async-next",
      inSequence(mark("a"), (_req, _res, next) => void setTimeout(next, 5), mark("b")),
      (_req, res) => void res.json({ calls }),
    );
    app.use(((error: Error, _req, res, _next) => {
      res.status(500).json({ error: error.message, calls });
    }) satisfies ErrorRequestHandler);
    const server = app.listen(0, "127.0.0.1");
    await once(server, "listening");
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = () => server.close();
  });
  afterAll(() => close());

  async function get(path: string): Promise<{ status: number; body: unknown }> {
    calls.length = 0;
    const response = await fetch(`${baseUrl}${path}`);
    return { status: response.status, body: await response.json() };
  }

  it("runs every middleware in order, then the route", async () => {
    expect(await get("/in-order")).toEqual({ status: 200, body: { calls: ["a", "b", "c"] } });
  });

  it("goes to the error handler on next(error), skipping the rest and the route", async () => {
    expect(await get("/next-error")).toEqual({ status: 500, body: { error: "refused", calls: ["a"] } });
  });

  it("goes to the error handler when a middleware throws", async () => {
    expect(await get("/thrown")).toEqual({ status: 500, body: { error: "thrown", calls: ["a"] } });
  });

  it("goes to the error handler when an async middleware rejects", async () => {
    expect(await get("/rejected")).toEqual({ status: 500, body: { error: "rejected", calls: ["a"] } });
  });

  it("waits for a middleware that calls next later", async () => {
    expect(await get("/async-next")).toEqual({ status: 200, body: { calls: ["a", "b"] } });
  });
});
