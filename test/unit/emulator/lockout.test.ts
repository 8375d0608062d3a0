import { isLockedOut, recordFailure } from "../../../emulator/lockout";
import type { FailedSignIns } from "../../../emulator/state/user-store";

function fail(times: number, start = 0, step = 0): FailedSignIns | undefined {
  let state: FailedSignIns | undefined;
  for (let index = 0; index < times; index += 1) state = recordFailure(state, start + index * step);
  return state;
}

test("four failures do not lock the user out", () => {
  expect(isLockedOut(fail(4), 0)).toBe(false);
});

test("the fifth failure locks the user out for one second", () => {
  const state = fail(5);
  expect(isLockedOut(state, 999)).toBe(true);
  expect(isLockedOut(state, 1000)).toBe(false);
});

test("each further failure doubles the lockout", () => {
  expect(fail(6)!.lockedUntil).toBe(2000);
  expect(fail(8)!.lockedUntil).toBe(8000);
});

test("the lockout stops growing at 15 minutes", () => {
  expect(fail(30)!.lockedUntil).toBe(15 * 60_000);
});

test("15 quiet minutes reset the count", () => {
  const state = recordFailure(fail(5), 15 * 60_000);
  expect(state.count).toBe(1);
  expect(isLockedOut(state, 15 * 60_000)).toBe(false);
});
