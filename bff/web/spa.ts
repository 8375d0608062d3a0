import { existsSync } from "node:fs";
import path from "node:path";
import express, { Router } from "express";

/** Vite names built assets by content hash, so they never change and can be cached for a year. */
const hashedAssetsPrefix = `${path.sep}assets${path.sep}`;

/** A page address of the SPA: a GET outside /api without a file extension (a missing /assets/x.js stays a 404). */
function isSpaNavigation(method: string, urlPath: string): boolean {
  return (method === "GET" || method === "HEAD") && !urlPath.startsWith("/api/") && urlPath !== "/api" && path.extname(urlPath) === "";
}

/**
 * Serves the built SPA from `distDir` (dist/web): hashed assets with a long cache, index.html
 * never cached (so a deploy is picked up at once), and index.html for every other GET outside
 * /api so that client-side routes (/signin/code, /account…) load directly.
 */
export function createSpaRouter(distDir: string): Router {
  const router = Router();
  const indexHtml = path.join(distDir, "index.html");

  if (!existsSync(indexHtml)) {
    router.use((req, res, next) => {
      if (!isSpaNavigation(req.method, req.path)) {
        next();
        return;
      }
      res
        .status(503)
        .type("text/plain")
        .set("Cache-Control", "no-store")
        .send("The Tobira web app is not built yet. Run `npm run build` (or `npm start`, which builds it) and reload.\n");
    });
    return router;
  }

  router.use(
    express.static(distDir, {
      index: false,
      setHeaders(res, filePath) {
        res.setHeader("Cache-Control", filePath.includes(hashedAssetsPrefix) ? "public, max-age=31536000, immutable" : "no-cache");
      },
    }),
  );
  router.use((req, res, next) => {
    if (!isSpaNavigation(req.method, req.path)) {
      next();
      return;
    }
    res.set("Cache-Control", "no-cache").sendFile(indexHtml);
  });
  return router;
}
