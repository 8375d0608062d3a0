import { act, renderHook } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { useCountdown } from "../../web/lib/use-countdown";

/** The resend button's wait (web/lib/use-countdown.ts). */

describe("useCountdown", () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 1_000_000 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("shows a new deadline in the very render that brings it, not one render later", () => {
    const seen: number[] = [];
    const { rerender } = renderHook(
      ({ until }: { until: number | undefined }) => {
        const seconds = useCountdown(until);
        seen.push(seconds);
        return seconds;
      },
      { initialProps: { until: undefined as number | undefined } },
    );
    const rendersBefore = seen.length;

    rerender({ until: Date.now() + 12_000 });

    // The first render with the deadline already counts from it (the page's message names the same wait).
    expect(seen[rendersBefore]).toBe(12);
  });

  it("ticks down once a second and stops at 0", () => {
    const until = Date.now() + 2_500;
    const { result } = renderHook(() => useCountdown(until));
    expect(result.current).toBe(3);
    act(() => vi.advanceTimersByTime(1_000));
    expect(result.current).toBe(2);
    act(() => vi.advanceTimersByTime(2_000));
    expect(result.current).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("is 0 without a deadline or once it has passed", () => {
    expect(renderHook(() => useCountdown(undefined)).result.current).toBe(0);
    expect(renderHook(() => useCountdown(Date.now() - 1)).result.current).toBe(0);
  });
});
