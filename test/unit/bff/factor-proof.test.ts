import { afterEach, describe, expect, it, vi } from "vitest";
import { hasRecentFactorProof, requireFactorProof } from "../../../bff/account/reauth";

/** The rule adding a passkey follows (bff/account/reauth.ts): the session's own factor proof, within the window. */
describe("the factor proof adding a passkey needs", () => {
  afterEach(() => vi.useRealTimers());
  const now = 1_764_000_000;

  it("counts a proof up to and including the window's last second, and not one second later", () => {
    vi.useFakeTimers({ now: now * 1000 });
    expect(hasRecentFactorProof({ factorProvedAt: now - 300 }, 300)).toBe(true);
    expect(hasRecentFactorProof({ factorProvedAt: now - 301 }, 300)).toBe(false);
  });

  it("counts no proof at all for a session that holds none", () => {
    vi.useFakeTimers({ now: now * 1000 });
    expect(hasRecentFactorProof({}, 300)).toBe(false);
  });

  it("refuses with 403 step_up_required and says whether a passkey can confirm it", () => {
    vi.useFakeTimers({ now: now * 1000 });
    expect(() => requireFactorProof({ factorProvedAt: now - 10 }, 300, false)).not.toThrow();
    expect(() => requireFactorProof({ factorProvedAt: now - 301 }, 300, true)).toThrow(
      expect.objectContaining({ status: 403, code: "step_up_required", extra: { passkeyAvailable: true } }),
    );
  });
});
