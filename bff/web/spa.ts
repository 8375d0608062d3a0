import { existsSync } from "node:fs";
import path from "node:path";
import express, { Router } from "express";
import { spaPagePaths } from "../../common/api-contract";

/** Vite names built assets by content hash, so they never change and can be cached for a year. */
const hashedAssetsPrefix = `${path.sep}assets${path.sep}`;

/**
 * Paths that belong to the BFF itself (the JSON API, the provider's endpoints and interaction,
 * well-known documents): an unknown one there is the BFF's JSON 404, never the SPA's page.
 */
const serverPrefixes = ["/api", "/oidc", "/interaction", "/.well-known"];

function isServerPath(urlPath: string): boolean {
  return serverPrefixes.some((prefix) => urlPath === prefix || urlPath.startsWith(`${prefix}/`));
}

/** A page address the SPA could answer: a GET outside the BFF's paths without a file extension (a missing /assets/x.js stays a 404). */
function isSpaNavigation(method: string, urlPath: string): boolean {
  return (method === "GET" || method === "HEAD") && !isServerPath(urlPath) && path.extname(urlPath) === "";
}

const pages: ReadonlySet<string> = new Set(spaPagePaths);

/** One of the SPA's pages (a trailing slash is the same page, as the SPA's router sees it). */
export function isSpaPage(urlPath: string): boolean {
  return pages.has(urlPath.length > 1 && urlPath.endsWith("/") ? urlPath.slice(0, -1) : urlPath);
}

/**
 * Serves the built SPA from `distDir` (dist/web): hashed assets with a long cache, index.html
 * never cached (so a deploy is picked up at once), and index.html at each of the SPA's pages so
 * that client-side routes (/signin/code, /account…) load directly. Elsewhere a browser gets
 * index.html with status 404 (the SPA shows its not-found page) and any other client JSON 404.
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
    if (isSpaPage(req.path)) {
      res.set("Cache-Control", "no-cache").sendFile(indexHtml);
      return;
    }
    // Any other address: a browser gets the SPA, which shows its "page not found", under the
    // status that says so; other clients get the BFF's JSON 404.
    if (req.accepts(["json", "html"]) !== "html") {
      next();
      return;
    }
    res.status(404).set("Cache-Control", "no-cache").sendFile(indexHtml);
  });
  return router;
}
