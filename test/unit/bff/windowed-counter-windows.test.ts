import { describe, expect, it } from "vitest";
import { effectiveAdds, readWindows, windowAttribute, windowEndsAt, windowIndexOf } from "../../../bff/store/windowed-counters";

/** Midnight UTC: a multiple of every window length the tests use. */
const midnight = Date.UTC(2030, 0, 1);
const minute = 60;
const hour = 3600;
const minuteIndex = midnight / 60_000;

describe("clock-aligned windows (bff/store/windowed-counters.ts)", () => {
  it("puts an instant in the window that starts at the last multiple of the window length", () => {
    expect(windowIndexOf(minute, midnight)).toBe(minuteIndex);
    expect(windowIndexOf(minute, midnight + 59_999)).toBe(minuteIndex);
    expect(windowIndexOf(minute, midnight + 60_000)).toBe(minuteIndex + 1);
    expect(windowIndexOf(hour, midnight + 60_000)).toBe(midnight / 3_600_000);
  });

  it("ends a window at the next multiple of its length", () => {
    expect(windowEndsAt(minute, midnight)).toBe(midnight + 60_000);
    expect(windowEndsAt(minute, midnight + 59_999)).toBe(midnight + 60_000);
    expect(windowEndsAt(hour, midnight + 60_000)).toBe(midnight + 3_600_000);
  });

  it("names a counter's window attribute after the counter, the window length and the window index", () => {
    expect(windowAttribute("password", minute, 7)).toBe("c.password.60.7");
    expect(windowAttribute("code-sent2", 1, 0)).toBe("c.code-sent2.1.0");
  });

  it.each(["", "2fa", "-x", "a.b", "pass word", "x!", " password", "password "])("refuses the counter name %j", (counter) => {
    expect(() => windowAttribute(counter, minute, 1)).toThrow(/Invalid counter name/);
  });

  it.each([0, -60, 1.5, Number.NaN])("refuses the window length %s", (windowSeconds) => {
    expect(() => windowAttribute("password", windowSeconds, 1)).toThrow(/Invalid window/);
  });

  it("adds to the attribute of the counter's current window, summing the adds to one counter", () => {
    const changes = effectiveAdds(
      [
        { counter: "password", windowSeconds: minute, by: 1 },
        { counter: "password", windowSeconds: minute, by: 2, at: midnight + 1_000 },
        { counter: "password", windowSeconds: hour, by: -1 },
      ],
      midnight + 30_000,
    );
    expect([...changes]).toEqual([
      [`c.password.60.${minuteIndex}`, 3],
      [`c.password.3600.${midnight / 3_600_000}`, -1],
    ]);
  });

  it("drops an add whose window has ended (a late refund) and an add of zero (a read)", () => {
    const changes = effectiveAdds(
      [
        { counter: "password", windowSeconds: minute, by: -1, at: midnight - 1 },
        { counter: "password", windowSeconds: minute, by: 1, at: midnight + 60_000 },
        { counter: "codeSent", windowSeconds: minute, by: 0 },
      ],
      midnight + 30_000,
    );
    expect(changes.size).toBe(0);
  });

  it("refuses an add with an invalid counter name even when it would be dropped", () => {
    expect(() => effectiveAdds([{ counter: "a.b", windowSeconds: minute, by: 0 }], midnight)).toThrow(/Invalid counter name/);
  });

  it("reads the counts of the current windows and lists the attributes of ended windows", () => {
    const { counts, ended } = readWindows(
      {
        pk: "throttle#x",
        [`c.password.60.${minuteIndex}`]: 3,
        [`c.password.60.${minuteIndex - 1}`]: 9,
        [`c.password.3600.${midnight / 3_600_000}`]: 4,
        [`c.codeSent.60.${minuteIndex + 1}`]: 5,
      },
      midnight + 59_999,
    );
    expect(counts.count("password", minute)).toBe(3);
    expect(counts.count("password", hour)).toBe(4);
    expect(counts.count("codeSent", minute)).toBe(0);
    expect(counts.count("other", minute)).toBe(0);
    expect(ended).toEqual([`c.password.60.${minuteIndex - 1}`, `c.codeSent.60.${minuteIndex + 1}`]);
  });

  it("passes over attributes that are not a counter's window", () => {
    const { counts, ended } = readWindows(
      {
        [`d.password.60.${minuteIndex}`]: 1,
        [`c.password.60`]: 1,
        [`c.password.60.${minuteIndex}.1`]: 1,
        [`c.password.0.${minuteIndex}`]: 1,
        [`c.password.-60.${minuteIndex}`]: 1,
        [`c.password.1e.${minuteIndex}`]: 1,
        [`c.password.60.${minuteIndex}x`]: 1,
      },
      midnight,
    );
    expect(counts.count("password", minute)).toBe(0);
    expect(counts.count("password", 0)).toBe(0);
    expect(ended).toEqual([]);
  });

  it("reads the counter of a one-second window, the shortest there is", () => {
    const { counts, ended } = readWindows({ [`c.tick.1.${midnight / 1000}`]: 2 }, midnight + 999);
    expect(counts.count("tick", 1)).toBe(2);
    expect(ended).toEqual([]);
  });

  it("reads a window whose value is not a number as zero", () => {
    const { counts } = readWindows({ [`c.password.60.${minuteIndex}`]: "many" }, midnight);
    expect(counts.count("password", minute)).toBe(0);
  });

  it("reads no counters from a missing record", () => {
    const { counts, ended } = readWindows(undefined, midnight);
    expect(counts.count("password", minute)).toBe(0);
    expect(ended).toEqual([]);
  });
});
