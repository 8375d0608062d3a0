import { describe, expect, it } from "vitest";
import {
  appStart,
  ceilingBytes,
  describeTarget,
  measureSignInBundle,
  packagesNotOnSignIn,
  signInCatalogs,
  signInRoute,
  type ManifestChunk,
} from "../../../scripts/check-bundle-size";

/** A manifest like Vite's: the entry imports the vendor chunk; the sign-in and account pages are lazy chunks sharing a form chunk. */
function manifest(signInImports: string[] = ["_form.js"]): Record<string, ManifestChunk> {
  return {
    "index.html": { file: "assets/index.js", isEntry: true, imports: ["_vendor.js"], src: "index.html" },
    "_vendor.js": { file: "assets/vendor.js" },
    "_form.js": { file: "assets/form.js", imports: ["_vendor.js"] },
    [signInRoute]: { file: "assets/sign-in.js", isDynamicEntry: true, imports: ["index.html", ...signInImports], src: signInRoute },
    "features/account/routes/account.tsx": { file: "assets/account.js", isDynamicEntry: true, imports: ["_form.js"] },
  };
}

const sizes: Record<string, number> = {
  "assets/index.js": 10_000,
  "assets/vendor.js": 90_000,
  "assets/form.js": 3_000,
  "assets/sign-in.js": 2_000,
  "assets/account.js": 50_000,
};
const sizeOf = (file: string) => sizes[file]!;

describe("the /signin bundle budget", () => {
  it("counts the entry, the sign-in page and their static imports once each, not other pages", () => {
    const bundle = measureSignInBundle(manifest(), sizeOf, 110_000);
    expect(bundle.chunks.map(({ file }) => file)).toEqual(["assets/vendor.js", "assets/index.js", "assets/form.js", "assets/sign-in.js"]);
    expect(bundle.totalBytes).toBe(105_000);
    expect(bundle.failures).toEqual([]);
  });

  it("counts one language's sign-in strings, the heavier catalog (the page fetches the active one)", () => {
    const [english, japanese] = signInCatalogs as [string, string];
    const withCatalogs = { ...manifest(), [english]: { file: "assets/en.js", isDynamicEntry: true }, [japanese]: { file: "assets/ja.js", isDynamicEntry: true } };
    const bundle = measureSignInBundle(withCatalogs, (file) => ({ "assets/en.js": 3_000, "assets/ja.js": 3_500 })[file] ?? sizeOf(file), 110_000);
    expect(bundle.chunks.map(({ file }) => file)).toContain("assets/ja.js");
    expect(bundle.chunks.map(({ file }) => file)).not.toContain("assets/en.js");
    expect(bundle.totalBytes).toBe(108_500);
  });

  it("counts the app the small entry starts with a dynamic import, and what it imports statically", () => {
    const smallEntry = {
      ...manifest(),
      "index.html": { file: "assets/index.js", isEntry: true, dynamicImports: [appStart], src: "index.html" },
      [appStart]: { file: "assets/start.js", isDynamicEntry: true, imports: ["_vendor.js", "_app.js"], src: appStart },
      "_app.js": { file: "assets/app.js", imports: ["_vendor.js"] },
    };
    const bundle = measureSignInBundle(smallEntry, (file) => ({ "assets/start.js": 500, "assets/app.js": 8_000 })[file] ?? sizeOf(file), 110_000);
    expect(bundle.chunks.map(({ file }) => file).sort()).toEqual([
      "assets/app.js",
      "assets/form.js",
      "assets/index.js",
      "assets/sign-in.js",
      "assets/start.js",
      "assets/vendor.js",
    ]);
    expect(bundle.totalBytes).toBe(113_500);
  });

  it("fails when the total is above the ceiling", () => {
    const bundle = measureSignInBundle(manifest(), sizeOf, 104_999);
    expect(bundle.failures).toEqual(["/signin loads 105.0 kB of JS (gzip), above the ceiling of 105.0 kB"]);
  });

  it("fails when the sign-in page imports a page it must not load", () => {
    const bundle = measureSignInBundle(manifest(["_form.js", "features/account/routes/account.tsx"]), sizeOf, 1_000_000);
    expect(bundle.misplaced).toEqual(["features/account/routes/account.tsx"]);
    expect(bundle.failures).toEqual(["/signin loads features/account/routes/account.tsx"]);
  });

  it("fails when a chunk /signin loads holds TanStack Query, naming the package and the chunk", () => {
    const packages: Record<string, string[]> = { "assets/vendor.js": ["react", "react-dom"], "assets/form.js": ["@tanstack/query-core", "@tanstack/react-query"] };
    const bundle = measureSignInBundle(manifest(), sizeOf, 1_000_000, (file) => packages[file] ?? []);
    expect(packagesNotOnSignIn).toEqual(["@tanstack/react-query", "@tanstack/query-core"]);
    expect(bundle.misplacedPackages).toEqual([
      { name: "@tanstack/query-core", file: "assets/form.js" },
      { name: "@tanstack/react-query", file: "assets/form.js" },
    ]);
    expect(bundle.failures).toEqual(["/signin loads @tanstack/query-core (in assets/form.js)", "/signin loads @tanstack/react-query (in assets/form.js)"]);
  });

  it("does not count TanStack Query in a chunk only other pages load", () => {
    const packages: Record<string, string[]> = { "assets/account.js": ["@tanstack/react-query"] };
    const bundle = measureSignInBundle(manifest(), sizeOf, 1_000_000, (file) => packages[file] ?? []);
    expect(bundle.failures).toEqual([]);
  });

  it("fails when the sign-in page is no chunk of its own (no longer lazy-loaded)", () => {
    const { [signInRoute]: _signIn, ...withoutSignIn } = manifest();
    const bundle = measureSignInBundle(withoutSignIn, sizeOf, 1_000_000);
    expect(bundle.failures).toHaveLength(1);
    expect(bundle.failures[0]).toContain("no chunk for");
  });

  it("says the 110 kB target is met at or under it, and by how much it is missed above it", () => {
    expect(describeTarget(110_000)).toBe("target 110.0 kB: met");
    expect(describeTarget(105_300)).toBe("target 110.0 kB: met");
    expect(describeTarget(110_100)).toBe("target 110.0 kB: missed by 0.1 kB");
  });

  it("keeps the build's ceiling under the target, now that the target is met", () => {
    expect(ceilingBytes).toBeLessThanOrEqual(110_000);
  });
});
