import type { RequestHandler } from "express";
import type { SessionManager } from "../session/session-manager";
import type { Store } from "../store/store";
import { clientOf, type SecurityEvents } from "./security-events";
import { localeOfIdToken } from "./sign-in-method";

/**
 * "A passkey was added / removed" events, read from the passkey routes' answers (as the API
 * outcome metrics are, bff/metrics.ts), so that bff/passkeys/ needs no knowledge of the mails:
 * `POST /api/passkeys` answered 201 with the new passkey, `DELETE /api/passkeys/:id` answered 204.
 * The name of a deleted passkey is read before the route deletes it. Mount before the routes.
 */

const deletePath = /^\/passkeys\/([^/]+)\/?$/;

export function passkeyEvents(deps: { events: SecurityEvents; sessions: SessionManager; store: Store }): RequestHandler {
  const { events, sessions, store } = deps;
  return async (req, res, next) => {
    const adding = req.method === "POST" && /^\/passkeys\/?$/.test(req.path);
    const deleting = req.method === "DELETE" ? deletePath.exec(req.path)?.[1] : undefined;
    if (!adding && deleting === undefined) return next();
    try {
      const session = await sessions.readAuthenticated(req);
      if (session === undefined) return next();
      let name: string | undefined;
      if (deleting !== undefined) {
        const stored = await store.get<{ name?: unknown; username?: unknown }>("passkey", decodeURIComponent(deleting));
        name = stored?.username === session.username && typeof stored.name === "string" ? stored.name : undefined;
      }
      const json = res.json.bind(res);
      res.json = (body: unknown) => {
        if (adding && typeof body === "object" && body !== null && typeof (body as { name?: unknown }).name === "string") name = (body as { name: string }).name;
        return json(body);
      };
      const client = clientOf(req);
      res.on("finish", () => {
        const done = adding ? res.statusCode === 201 : res.statusCode === 204;
        if (!done) return;
        void events.record({
          type: adding ? "passkey_added" : "passkey_removed",
          sub: session.sub,
          email: session.email,
          client,
          ...(name === undefined ? {} : { detail: name }),
          locale: localeOfIdToken(session.tokens.idToken),
        });
      });
      next();
    } catch (error) {
      next(error);
    }
  };
}
