import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import express, { Router, type Request, type Response } from "express";
import { spaPagePaths } from "../../common/api-contract";

/** Vite names built assets by content hash, so they never change and can be cached for a year. */
const hashedAssetsPrefix = "/assets/";

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

/** The build's precompressed copies (vite.config.ts), best first: brotli is smaller than gzip. */
const encodings = [
  { coding: "br", suffix: ".br" },
  { coding: "gzip", suffix: ".gz" },
] as const;

/**
 * The weight (q) the Accept-Encoding header gives `coding`: its own entry, else "*", else 0
 * (RFC 9110 §12.5.3; no header at all means no preference, so only the file as is is safe).
 */
function acceptedWeight(acceptEncoding: string | undefined, coding: string): number {
  let wildcard = 0;
  for (const entry of (acceptEncoding ?? "").split(",")) {
    const [name = "", ...params] = entry.split(";").map((part) => part.trim().toLowerCase());
    const qParam = params.find((param) => param.startsWith("q="));
    const q = qParam === undefined ? 1 : Number(qParam.slice(2));
    const weight = Number.isFinite(q) ? Math.min(Math.max(q, 0), 1) : 0;
    if (name === coding) return weight;
    if (name === "*") wildcard = weight;
  }
  return wildcard;
}

/**
 * The best of the build's encodings the request accepts: the highest weight, and on a tie ours
 * (brotli before gzip): browsers list "gzip, deflate, br" with equal weights.
 */
function chooseEncoding(acceptEncoding: string | undefined, available: readonly (typeof encodings)[number][]): (typeof encodings)[number] | undefined {
  let best: (typeof encodings)[number] | undefined;
  let bestWeight = 0;
  for (const encoding of available) {
    const weight = acceptedWeight(acceptEncoding, encoding.coding);
    if (weight > bestWeight) {
      best = encoding;
      bestWeight = weight;
    }
  }
  return best;
}

function cacheControlFor(urlPath: string): string {
  return urlPath.startsWith(hashedAssetsPrefix) ? "public, max-age=31536000, immutable" : "no-cache";
}

/** Every file under `dir` as a URL path ("/assets/index-4f2a9c.js"), dot folders (.vite) left out. */
function listFiles(dir: string, prefix = ""): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name.startsWith(".")) return [];
    const urlPath = `${prefix}/${entry.name}`;
    return entry.isDirectory() ? listFiles(path.join(dir, entry.name), urlPath) : [urlPath];
  });
}

/** The request's path with %XX decoded, as file names are listed; "" when it does not decode. */
function decodedPath(urlPath: string): string {
  try {
    return decodeURIComponent(urlPath);
  } catch {
    return "";
  }
}

/**
 * Serves the built SPA from `distDir` (dist/web): hashed assets with a long cache, index.html
 * never cached (so a deploy is picked up at once), and index.html at each of the SPA's pages so
 * that client-side routes (/signin/code, /account…) load directly. Elsewhere a browser gets
 * index.html with status 404 (the SPA shows its not-found page) and any other client JSON 404.
 *
 * A file the build also wrote as .br / .gz goes out in the encoding the browser prefers among
 * those (RFC 9110 §12.5.3), with its own Content-Type and `Vary: Accept-Encoding` so a shared
 * cache keeps one copy per encoding (RFC 9110 §12.5.5); a browser that accepts neither gets the file as is.
 */
export function createSpaRouter(distDir: string): Router {
  const router = Router();
  const root = path.resolve(distDir);
  const indexHtml = path.join(root, "index.html");

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

  // Listed once, at start: only these exact names are ever looked up, never a path built from
  // the request. A file a rebuild adds under a running server is still served, as is, by
  // express.static below; its compressed copies once the server restarts.
  const files: ReadonlySet<string> = new Set(listFiles(root));
  const compressedCopies: ReadonlySet<string> = new Set(encodings.map(({ suffix }) => suffix));
  const staticFiles = express.static(root, {
    index: false,
    setHeaders(res, filePath) {
      res.setHeader("Cache-Control", cacheControlFor(`/${path.relative(root, filePath).split(path.sep).join("/")}`));
    },
  });

  /**
   * Sends `urlPath` (a file of the build listed at start) in the best encoding the request
   * accepts; false when it is not one. A listed file a rebuild has since removed ends in `onMissing`.
   */
  function sendBuilt(req: Request, res: Response, urlPath: string, onMissing: (error: Error) => void, status = 200): boolean {
    if (!files.has(urlPath) || compressedCopies.has(path.extname(urlPath))) return false;
    const available = encodings.filter(({ suffix }) => files.has(`${urlPath}${suffix}`));
    const encoding = chooseEncoding(req.get("Accept-Encoding"), available);
    if (available.length > 0) res.vary("Accept-Encoding");
    res.status(status).type(path.extname(urlPath)).set("Cache-Control", cacheControlFor(urlPath));
    const file = path.join(root, ...urlPath.split("/"));
    const done = (error?: Error) => {
      if (error === undefined || res.headersSent) return;
      res.removeHeader("Content-Encoding");
      res.removeHeader("Vary");
      onMissing(error);
    };
    if (encoding === undefined) {
      res.sendFile(file, { cacheControl: false, dotfiles: "deny" }, done);
      return true;
    }
    res.set("Content-Encoding", encoding.coding);
    // No ranges of an encoded copy: a range would count bytes of the brotli or gzip stream.
    res.sendFile(`${file}${encoding.suffix}`, { cacheControl: false, acceptRanges: false, dotfiles: "deny" }, done);
    return true;
  }

  /** index.html under `status`; read as is when it was not listed at start or has been rewritten since. */
  function sendIndex(req: Request, res: Response, status: number): void {
    const sendAsIs = () => res.status(status).set("Cache-Control", "no-cache").sendFile(indexHtml);
    if (!sendBuilt(req, res, "/index.html", sendAsIs, status)) sendAsIs();
  }

  router.use((req, res, next) => {
    if ((req.method === "GET" || req.method === "HEAD") && sendBuilt(req, res, decodedPath(req.path), () => staticFiles(req, res, next))) return;
    staticFiles(req, res, next);
  });
  router.use((req, res, next) => {
    if (!isSpaNavigation(req.method, req.path)) {
      next();
      return;
    }
    if (isSpaPage(req.path)) {
      sendIndex(req, res, 200);
      return;
    }
    // Any other address: a browser gets the SPA, which shows its "page not found", under the
    // status that says so; other clients get the BFF's JSON 404.
    if (req.accepts(["json", "html"]) !== "html") {
      next();
      return;
    }
    sendIndex(req, res, 404);
  });
  return router;
}
