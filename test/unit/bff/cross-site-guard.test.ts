import { describe, expect, it } from "vitest";
import { crossSiteReason } from "../../../bff/middleware/cross-site-guard";

const trusted = ["https://id.example.com"];
const post = (headers: { origin?: string; secFetchSite?: string }) =>
  crossSiteReason({ method: "POST", origin: headers.origin, secFetchSite: headers.secFetchSite }, trusted);

describe("crossSiteReason (OWASP CSRF: verifying origin with standard headers)", () => {
  it("lets a same-origin browser call through", () => {
    expect(post({ origin: "https://id.example.com", secFetchSite: "same-origin" })).toBeUndefined();
  });

  it('lets Sec-Fetch-Site "none" through (typed address, bookmark)', () => {
    expect(post({ secFetchSite: "none" })).toBeUndefined();
  });

  it("lets a call without either header through (not a browser)", () => {
    expect(post({})).toBeUndefined();
  });

  it("refuses Sec-Fetch-Site cross-site", () => {
    expect(post({ secFetchSite: "cross-site" })).toBeDefined();
  });

  it("refuses Sec-Fetch-Site same-site", () => {
    expect(post({ secFetchSite: "same-site" })).toBeDefined();
  });

  it("refuses a foreign Origin even when Sec-Fetch-Site is absent (older browsers)", () => {
    expect(post({ origin: "https://evil.example" })).toBeDefined();
  });

  it("refuses a look-alike origin (another port or scheme)", () => {
    expect(post({ origin: "https://id.example.com:8443" })).toBeDefined();
    expect(post({ origin: "http://id.example.com" })).toBeDefined();
  });

  it('refuses Origin "null"', () => {
    expect(post({ origin: "null" })).toBeDefined();
  });

  it("refuses a foreign Origin that claims same-origin fetch metadata", () => {
    expect(post({ origin: "https://evil.example", secFetchSite: "same-origin" })).toBeDefined();
  });

  it("does not judge safe methods", () => {
    expect(crossSiteReason({ method: "GET", origin: "https://evil.example", secFetchSite: "cross-site" }, trusted)).toBeUndefined();
  });

  it("judges every state-changing method", () => {
    for (const method of ["POST", "PUT", "PATCH", "DELETE"]) {
      expect(crossSiteReason({ method, origin: "https://evil.example", secFetchSite: undefined }, trusted)).toBeDefined();
    }
  });
});
