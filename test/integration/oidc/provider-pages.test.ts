import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createProviderPages, spaStylesheet } from "../../../bff/oidc/pages";

/** The provider's own pages: the SPA's stylesheet when it is served, escaped values, no inline style. */

const distDir = mkdtempSync(path.join(tmpdir(), "tobira-pages-"));
afterAll(() => rmSync(distDir, { recursive: true, force: true }));

describe("spaStylesheet", () => {
  it("finds the built SPA's content-hashed stylesheet", () => {
    writeFileSync(path.join(distDir, "index.html"), '<link rel="stylesheet" crossorigin href="/assets/index-CT85_xua.css">');
    expect(spaStylesheet({ serve: true, distDir })).toBe("/assets/index-CT85_xua.css");
  });

  it("is undefined when the SPA is not served, not built, or links something else", () => {
    expect(spaStylesheet({ serve: false, distDir })).toBeUndefined();
    expect(spaStylesheet({ serve: true, distDir: path.join(distDir, "missing") })).toBeUndefined();
    writeFileSync(path.join(distDir, "index.html"), '<link rel="stylesheet" href="https://cdn.example.com/x.css">');
    expect(spaStylesheet({ serve: true, distDir })).toBeUndefined();
  });
});

describe("the pages", () => {
  const pages = createProviderPages({ stylesheet: "/assets/index-abc.css" });

  it("link the SPA's stylesheet and use its page markup", () => {
    const html = pages.signedOutPage("Demo");
    expect(html).toContain('<link rel="stylesheet" href="/assets/index-abc.css">');
    expect(html).toContain('class="page page--narrow"');
    expect(html).not.toMatch(/<style|style="|<script/);
  });

  it("escape every value they show", () => {
    const html = pages.errorPage("<x>", '"><script>alert(1)</script>');
    expect(html).not.toContain("<script>alert(1)</script>");
    expect(html).toContain("&lt;x&gt;");
    expect(pages.noPasskeyPage("<b>App</b>", "/interaction/u/no-passkey")).not.toContain("<b>App</b>");
  });

  it("without a stylesheet still render, with no link", () => {
    expect(createProviderPages().errorPage("invalid_request", undefined)).not.toContain("stylesheet");
  });
});
