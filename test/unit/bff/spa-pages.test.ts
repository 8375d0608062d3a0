import { describe, expect, it } from "vitest";
import { isSpaPage } from "../../../bff/web/spa";
import { spaPagePaths } from "../../../common/api-contract";
import { paths } from "../../../web/lib/paths";

/** The BFF answers 200 only at the SPA's pages, so both must name the same pages. */
describe("the SPA's pages as the BFF knows them", () => {
  it("include every path of the SPA's router (add a new page to spaPagePaths in common/api-contract.ts)", () => {
    for (const pathname of Object.values(paths)) expect(spaPagePaths, pathname).toContain(pathname);
  });

  it("are pages; a trailing slash is the same page; anything else is not", () => {
    expect(isSpaPage("/signin")).toBe(true);
    expect(isSpaPage("/signin/")).toBe(true);
    expect(isSpaPage("/")).toBe(true);
    expect(isSpaPage("/signin/nope")).toBe(false);
    expect(isSpaPage("/SIGNIN")).toBe(false);
  });
});
