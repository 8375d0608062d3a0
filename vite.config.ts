import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { brotliCompressSync, constants as zlibConstants, gzipSync } from "node:zlib";
import { compileMessageOrThrow } from "@lingui/message-utils/compileMessage";
import react from "@vitejs/plugin-react";
import { defineConfig, loadEnv, type Plugin } from "vite";

// The SPA is built into dist/web and served by the BFF (same origin as /api).
// In `npm run dev`, Vite serves it with hot reload and proxies the BFF's paths.
const bffUrl = "http://localhost:3000";

/** Files worth compressing: text. Images other than SVG and fonts are compressed already. */
const compressible = /\.(?:js|mjs|css|html|svg|json|txt|map)$/;

/**
 * Writes a brotli (.br) and a gzip (.gz) copy next to each text file of the build, at the
 * strongest settings (done once here, not per request); bff/web/spa.ts serves the one the
 * browser accepts (RFC 9110 §8.4 Content-Encoding, §12.5.3 Accept-Encoding). A copy that is not
 * smaller than the file is not written.
 */
function precompress(): Plugin {
  let outDir = "";
  return {
    name: "tobira:precompress",
    apply: "build",
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
    },
    writeBundle(_options, bundle) {
      for (const fileName of Object.keys(bundle)) {
        if (!compressible.test(fileName) || fileName.startsWith(".vite/")) continue;
        const file = path.join(outDir, fileName);
        const content = readFileSync(file);
        const brotli = brotliCompressSync(content, {
          params: {
            [zlibConstants.BROTLI_PARAM_QUALITY]: zlibConstants.BROTLI_MAX_QUALITY,
            [zlibConstants.BROTLI_PARAM_MODE]: zlibConstants.BROTLI_MODE_TEXT,
            [zlibConstants.BROTLI_PARAM_SIZE_HINT]: content.length,
          },
        });
        const gzip = gzipSync(content, { level: zlibConstants.Z_BEST_COMPRESSION });
        if (brotli.length < content.length) writeFileSync(`${file}.br`, brotli);
        if (gzip.length < content.length) writeFileSync(`${file}.gz`, gzip);
      }
    },
  };
}

/**
 * Preloads (`<link rel="modulepreload">`) in index.html the chunks of `modules` — the app (which
 * the small entry imports dynamically) and the sign-in page — and the chunks they import, so the
 * browser fetches them alongside the entry instead of after the entry has run and the router has
 * asked for them: round trips fewer on /signin, the page most first visits open. Other pages pay
 * a few kB of sign-in code fetched at low cost in parallel.
 */
function preloadFirstPage(modules: readonly string[]): Plugin {
  return {
    name: "tobira:preload-sign-in",
    apply: "build",
    transformIndexHtml: {
      order: "post",
      handler(_html, { bundle, chunk: entry }) {
        if (bundle === undefined || entry === undefined) return [];
        const chunks = Object.values(bundle).filter((output) => output.type === "chunk");
        const alreadyLoaded = new Set([entry.fileName, ...entry.imports]);
        const files = new Set<string>();
        const visit = (fileName: string) => {
          if (files.has(fileName) || alreadyLoaded.has(fileName)) return;
          files.add(fileName);
          for (const imported of chunks.find((chunk) => chunk.fileName === fileName)?.imports ?? []) visit(imported);
        };
        for (const module of modules) {
          const chunk = chunks.find((candidate) => candidate.facadeModuleId?.endsWith(module));
          if (chunk === undefined) throw new Error(`no chunk of its own for ${module}: is it still imported dynamically (web/main.tsx, web/app/router.tsx)?`);
          visit(chunk.fileName);
        }
        return [...files].map((fileName) => ({ tag: "link", attrs: { rel: "modulepreload", crossorigin: true, href: `/${fileName}` }, injectTo: "head" as const }));
      },
    },
  };
}

/**
 * Compiles the SPA's catalogs (web/i18n/messages/*.ts: objects of ICU MessageFormat strings) at
 * build time into Lingui's compiled form, so the browser needs no message parser (Lingui's
 * production runtime expects compiled messages). Runs after TypeScript is stripped; a catalog
 * module has no imports but types, so it is evaluated as is. A malformed message fails the build.
 */
function compileCatalogs(): Plugin {
  const catalogModule = /[\\/]web[\\/]i18n[\\/]messages[\\/][a-z-]+\.ts$/;
  return {
    name: "tobira:compile-catalogs",
    apply: "build",
    enforce: "post",
    async transform(code, id) {
      if (!catalogModule.test(id)) return null;
      const exported = (await import(`data:text/javascript;base64,${Buffer.from(code).toString("base64")}`)) as Record<string, Record<string, string>>;
      const compiled = Object.entries(exported).map(([name, catalog]) => {
        const messages = Object.fromEntries(
          Object.entries(catalog).map(([messageId, message]) => {
            try {
              return [messageId, compileMessageOrThrow(message)];
            } catch (error) {
              throw new Error(`${id}: message ${messageId} is not valid ICU MessageFormat: ${(error as Error).message}`, { cause: error });
            }
          }),
        );
        // JSON is a JavaScript object literal: no escaping of quotes, so the chunk stays small.
        return `export const ${name} = ${JSON.stringify(messages)};`;
      });
      return { code: compiled.join("\n"), map: null };
    },
  };
}

/** The npm package a module of node_modules belongs to ("@scope/name" or "name"), from its path. */
function packageOf(moduleId: string): string | undefined {
  const match = /.*[\\/]node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)/.exec(moduleId);
  return match?.[1]?.replace("\\", "/");
}

/**
 * Writes dist/web/.vite/chunk-packages.json: the npm packages whose code each JavaScript chunk
 * holds. The bundle budget (scripts/check-bundle-size.ts) reads it to fail a build whose /signin
 * loads a library the sign-in pages must not (TanStack Query). Not served (a dot folder).
 */
function chunkPackages(): Plugin {
  return {
    name: "tobira:chunk-packages",
    apply: "build",
    generateBundle(_options, bundle) {
      const packages: Record<string, string[]> = {};
      for (const output of Object.values(bundle)) {
        if (output.type !== "chunk") continue;
        const names = new Set(output.moduleIds.map(packageOf).filter((name) => name !== undefined));
        packages[output.fileName] = [...names].sort();
      }
      this.emitFile({ type: "asset", fileName: ".vite/chunk-packages.json", source: `${JSON.stringify(packages, null, 2)}\n` });
    },
  };
}

const htmlEscapes: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/**
 * index.html's loading shell and title name the app as the SPA does (VITE_APP_NAME, default
 * "Tobira", the default web/config.ts applies), so the page does not change name when the
 * script takes over.
 */
function appNameInHtml(appName: string): Plugin {
  const escaped = appName.replace(/[&<>"']/g, (character) => htmlEscapes[character]!);
  return {
    name: "tobira:app-name",
    transformIndexHtml: (html) => html.replaceAll("%TOBIRA_APP_NAME%", escaped),
  };
}

export default defineConfig(({ mode }) => {
  const env = loadEnv(mode, path.resolve(import.meta.dirname, "web"), "VITE_");
  return {
    root: "web",
    plugins: [
      react(),
      compileCatalogs(),
      appNameInHtml(env.VITE_APP_NAME?.trim() || "Tobira"),
      preloadFirstPage(["/app/start.tsx", "/features/signin/routes/sign-in.tsx"]),
      chunkPackages(),
      precompress(),
    ],
    build: {
      outDir: "../dist/web",
      emptyOutDir: true,
      // dist/web/.vite/manifest.json: which chunks each entry and route loads, for the bundle
      // budget (scripts/check-bundle-size.ts). Not served (express.static skips dot folders).
      manifest: true,
      // Few, larger chunks for the first page: each request costs a round trip on a phone, and an
      // HTTP/1.1 browser opens at most six at a time. `vendor`: the libraries, which outlive
      // deploys that change only the app's code. `shared`: the app's own common code (layout,
      // lib/, components/, the contract). `signin-flow`: what the sign-in pages share. Each page
      // stays a chunk of its own. `query`: TanStack Query with the app's code around it
      // (web/lib/query/, web/app/query-pages.tsx), which only the account, passkey and consent
      // pages load: the sign-in pages read and write without it. Dependencies are not pulled into
      // a group, so the entry's few modules (web/main.tsx: locales, catalogs, early requests) stay
      // in the small entry chunk.
      rolldownOptions: {
        output: {
          codeSplitting: {
            includeDependenciesRecursively: false,
            groups: [
              { name: "query", test: /[\\/]node_modules[\\/]@tanstack[\\/]|[\\/]web[\\/](?:lib[\\/]query[\\/]|app[\\/]query-pages\.tsx)/, priority: 4 },
              { name: "vendor", test: /node_modules/, priority: 3 },
              {
                name: "shared",
                test: /[\\/]web[\\/](?:app[\\/](?!start\.tsx|query-pages)|lib[\\/](?!early-requests|query[\\/])|components|i18n[\\/](?!messages|catalogs|locales))|[\\/]web[\\/]config\.ts$|[\\/]common[\\/]/,
                priority: 2,
              },
              { name: "signin-flow", test: /[\\/]web[\\/]features[\\/]signin[\\/](?!routes)/, priority: 1 },
            ],
          },
        },
      },
    },
    server: {
      port: 5173,
      strictPort: true,
      proxy: {
        "/api": bffUrl,
        "/healthz": bffUrl,
        "/readyz": bffUrl,
      },
    },
  };
});
