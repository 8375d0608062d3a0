import { Router, type RequestHandler } from "express";
import type { CognitoTokenVerifier } from "./cognito/cognito-token-verifier";
import { answerFixedJson, readOf } from "./middleware/early-answer";
import type { Store } from "./store/store";

const checkTimeoutMs = 2_000;

async function probe(check: () => Promise<void>): Promise<"ok" | "unavailable"> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error("timed out")), checkTimeoutMs);
  });
  try {
    await Promise.race([check(), timeout]);
    return "ok";
  } catch {
    return "unavailable";
  } finally {
    clearTimeout(timer);
  }
}

const liveBody = JSON.stringify({ status: "ok" });

/**
 * `GET /healthz`: the process answers (liveness). It checks nothing, so it is answered as soon as
 * the request has its id and security headers, before any routing: a probe every few seconds per
 * task should cost next to nothing (bff/middleware/early-answer.ts).
 */
const isLivenessProbe = readOf("/healthz");

export const liveness: RequestHandler = (req, res, next) => {
  if (isLivenessProbe(req)) answerFixedJson(res, liveBody);
  else next();
};

/**
 * `/readyz`: Cognito (its JWKS endpoint) and the store answer, so a load balancer sends traffic
 * only to instances that can sign people in. It does not reveal why a dependency failed.
 */
export function createHealthRouter(deps: { store: Store; verifier: CognitoTokenVerifier }): Router {
  const router = Router();
  router.get("/readyz", async (_req, res) => {
    const [cognito, store] = await Promise.all([probe(() => deps.verifier.ping()), probe(() => deps.store.ping())]);
    const ready = cognito === "ok" && store === "ok";
    res
      .status(ready ? 200 : 503)
      .set("Cache-Control", "no-store")
      .json({ status: ready ? "ok" : "unavailable", checks: { cognito, store } });
  });
  return router;
}
