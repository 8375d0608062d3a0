import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Store } from "../../bff/store/store";

/**
 * The Store contract (bff/store/store.ts; docs/architecture.md, "State and its record kinds"),
 * run against every implementation: the DynamoDB store on dynalite and the in-memory store of
 * the unit tests. Both must pass the same tests, so that a unit test on the memory store proves
 * what it would prove on DynamoDB.
 */

export interface OpenedStore {
  store: Store;
  close?: () => Promise<void>;
}

/** Creates the store under test on the suite's clock (epoch milliseconds). */
export type OpenStore = (now: () => number) => Promise<OpenedStore>;

/** A whole second, so that TTL edges fall where the tests say (some tests move half a second). */
const startMs = Date.UTC(2030, 0, 1);

export function describeStoreContract(name: string, open: OpenStore): void {
  describe(`the Store contract: ${name}`, () => {
    let opened: OpenedStore;
    let store: Store;
    let clockMs = startMs;
    const advance = (ms: number) => {
      clockMs += ms;
    };
    let counter = 0;
    const id = () => `id-${(counter += 1)}`;

    beforeAll(async () => {
      opened = await open(() => clockMs);
      store = opened.store;
    });
    afterAll(async () => {
      await opened?.close?.();
    });

    describe("get, put and delete", () => {
      it("reads back what was put, nested JSON included", async () => {
        const key = id();
        const value = { email: "a@example.com", count: 2, nested: { list: [1, "two", { three: true }] }, nothing: null, empty: "" };
        expect(await store.put("session", key, value, { ttlSeconds: 60 })).toBe(true);
        expect(await store.get("session", key)).toEqual(value);
      });

      it("answers undefined for an absent record", async () => {
        expect(await store.get("session", id())).toBeUndefined();
      });

      it("keeps kinds apart: the same id under two kinds is two records", async () => {
        const key = id();
        await store.put("session", key, { kind: "session" });
        await store.put("signin", key, { kind: "signin" });
        expect(await store.get("session", key)).toEqual({ kind: "session" });
        expect(await store.get("signin", key)).toEqual({ kind: "signin" });
      });

      it("replaces a record on an unconditional put", async () => {
        const key = id();
        await store.put("passkey", key, { name: "old", counter: 1 });
        expect(await store.put("passkey", key, { name: "new" })).toBe(true);
        expect(await store.get("passkey", key)).toEqual({ name: "new" });
      });

      it("keeps its own copy: changing a value after put or after get changes nothing stored", async () => {
        const key = id();
        const value = { list: [1], nested: { flag: true } };
        await store.put("session", key, value);
        value.list.push(2);
        value.nested.flag = false;
        const read = await store.get<typeof value>("session", key);
        read!.list.push(3);
        expect(await store.get("session", key)).toEqual({ list: [1], nested: { flag: true } });
      });

      it("deletes a record, and deleting an absent one is not an error", async () => {
        const key = id();
        await store.put("session", key, { v: 1 });
        await store.delete("session", key);
        expect(await store.get("session", key)).toBeUndefined();
        await expect(store.delete("session", id())).resolves.toBeUndefined();
      });

      it("refuses a kind that could collide with another's keys", async () => {
        await expect(store.put("bad#kind", "x", {})).rejects.toThrow(/Invalid store kind/);
        await expect(store.get("bad#kind", "x")).rejects.toThrow(/Invalid store kind/);
        await expect(store.increment("", "x", 60)).rejects.toThrow(/Invalid store kind/);
      });

      it("answers ping while the backing service answers", async () => {
        await expect(store.ping()).resolves.toBeUndefined();
      });
    });

    describe("TTL", () => {
      it("treats a record past its TTL as absent", async () => {
        const key = id();
        await store.put("session", key, { v: 1 }, { ttlSeconds: 30 });
        advance(29_000);
        expect(await store.get("session", key)).toEqual({ v: 1 });
        advance(2_000);
        expect(await store.get("session", key)).toBeUndefined();
      });

      it.each([
        ["a whole second", 0],
        ["half a second", 500],
      ])("lives its whole TTL and less than a second more, written at %s", async (_label, offsetMs) => {
        clockMs = Math.ceil(clockMs / 1000) * 1000 + offsetMs;
        const key = id();
        await store.put("challenge", key, { v: 1 }, { ttlSeconds: 10 });
        advance(9_999);
        expect(await store.get("challenge", key)).toEqual({ v: 1 });
        advance(1_001);
        expect(await store.get("challenge", key)).toBeUndefined();
      });

      it("keeps a record without a TTL", async () => {
        const key = id();
        await store.put("passkey", key, { v: 1 });
        advance(10 * 365 * 24 * 3600 * 1000);
        expect(await store.get("passkey", key)).toEqual({ v: 1 });
      });

      it("drops the TTL when a record is put again without one", async () => {
        const key = id();
        await store.put("passkey", key, { v: 1 }, { ttlSeconds: 5 });
        await store.put("passkey", key, { v: 2 });
        advance(60_000);
        expect(await store.get("passkey", key)).toEqual({ v: 2 });
      });

      it("lets an unconditional put recreate an expired record", async () => {
        const key = id();
        await store.put("session", key, { v: 1 }, { ttlSeconds: 5 });
        advance(6_000);
        expect(await store.put("session", key, { v: 2 }, { ttlSeconds: 60 })).toBe(true);
        expect(await store.get("session", key)).toEqual({ v: 2 });
      });
    });

    describe("conditional puts", () => {
      it("replaces a live record under condition exists, and says it wrote", async () => {
        const key = id();
        await store.put("passkey", key, { name: "old" });
        expect(await store.put("passkey", key, { name: "new" }, { condition: { exists: true } })).toBe(true);
        expect(await store.get("passkey", key)).toEqual({ name: "new" });
      });

      it("does not create an absent record under condition exists", async () => {
        const key = id();
        expect(await store.put("passkey", key, { name: "new" }, { condition: { exists: true } })).toBe(false);
        expect(await store.get("passkey", key)).toBeUndefined();
      });

      it("creates a record under condition absent only while none is live", async () => {
        const key = id();
        expect(await store.put("passkey", key, { name: "first" }, { condition: { absent: true } })).toBe(true);
        expect(await store.put("passkey", key, { name: "second" }, { condition: { absent: true } })).toBe(false);
        expect(await store.get("passkey", key)).toEqual({ name: "first" });
      });

      it("creates over an expired record under condition absent", async () => {
        const key = id();
        await store.put("session", key, { v: 1 }, { ttlSeconds: 5 });
        advance(6_000);
        expect(await store.put("session", key, { v: 2 }, { ttlSeconds: 60, condition: { absent: true } })).toBe(true);
        expect(await store.get("session", key)).toEqual({ v: 2 });
      });

      it("does not recreate a deleted record under condition exists", async () => {
        const key = id();
        await store.put("passkey", key, { name: "old" });
        await store.delete("passkey", key);
        expect(await store.put("passkey", key, { name: "late update" }, { condition: { exists: true } })).toBe(false);
        expect(await store.get("passkey", key)).toBeUndefined();
      });

      it("does not revive an expired record under condition exists", async () => {
        const key = id();
        await store.put("session", key, { v: 1 }, { ttlSeconds: 5 });
        advance(6_000);
        expect(await store.put("session", key, { v: 2 }, { ttlSeconds: 60, condition: { exists: true } })).toBe(false);
        expect(await store.get("session", key)).toBeUndefined();
      });

      it("writes when a field equals the expected value (compare-and-set)", async () => {
        const key = id();
        await store.put("signin", key, { version: 4, failedCodes: 1 }, { ttlSeconds: 60 });
        expect(await store.put("signin", key, { version: 5, failedCodes: 2 }, { ttlSeconds: 60, condition: { field: "version", equals: 4 } })).toBe(true);
        expect(await store.get("signin", key)).toEqual({ version: 5, failedCodes: 2 });
      });

      it("writes nothing when the field holds another value, and says so", async () => {
        const key = id();
        await store.put("signin", key, { version: 5, failedCodes: 2 }, { ttlSeconds: 60 });
        expect(await store.put("signin", key, { version: 5, failedCodes: 0 }, { ttlSeconds: 60, condition: { field: "version", equals: 4 } })).toBe(false);
        expect(await store.get("signin", key)).toEqual({ version: 5, failedCodes: 2 });
      });

      it("compares string fields, and never a string with a number", async () => {
        const key = id();
        await store.put("signin", key, { owner: "a", version: 4 });
        expect(await store.put("signin", key, { owner: "b", version: 4 }, { condition: { field: "owner", equals: "b" } })).toBe(false);
        expect(await store.put("signin", key, { owner: "b", version: 4 }, { condition: { field: "version", equals: "4" } })).toBe(false);
        expect(await store.put("signin", key, { owner: "b", version: 4 }, { condition: { field: "owner", equals: "a" } })).toBe(true);
        expect(await store.get("signin", key)).toEqual({ owner: "b", version: 4 });
      });

      it("treats equals undefined as 'the field is absent'", async () => {
        const key = id();
        await store.put("signin", key, { failedCodes: 1 });
        expect(await store.put("signin", key, { failedCodes: 2, version: 1 }, { condition: { field: "version", equals: undefined } })).toBe(true);
        expect(await store.put("signin", key, { failedCodes: 9, version: 1 }, { condition: { field: "version", equals: undefined } })).toBe(false);
        expect(await store.get("signin", key)).toEqual({ failedCodes: 2, version: 1 });
      });

      it("does not create a record under a field condition", async () => {
        const key = id();
        expect(await store.put("signin", key, { version: 1 }, { condition: { field: "version", equals: undefined } })).toBe(false);
        expect(await store.get("signin", key)).toBeUndefined();
      });

      it("does not write under a field condition once the record has expired", async () => {
        const key = id();
        await store.put("signin", key, { version: 1 }, { ttlSeconds: 5 });
        advance(6_000);
        expect(await store.put("signin", key, { version: 2 }, { ttlSeconds: 60, condition: { field: "version", equals: 1 } })).toBe(false);
        expect(await store.get("signin", key)).toBeUndefined();
      });

      it("sets the TTL and the index of a conditional write as of an unconditional one", async () => {
        const key = id();
        const user = `sub-${id()}`;
        await store.put("session", key, { version: 1 }, { ttlSeconds: 600 });
        expect(await store.put("session", key, { version: 2 }, { ttlSeconds: 5, index: user, condition: { field: "version", equals: 1 } })).toBe(true);
        expect(await store.queryByIndex("session", user)).toEqual([{ id: key, value: { version: 2 } }]);
        advance(6_000);
        expect(await store.get("session", key)).toBeUndefined();
      });

      it("lets exactly one of concurrent compare-and-set writers win", async () => {
        const key = id();
        await store.put("signin", key, { version: 0 }, { ttlSeconds: 60 });
        const results = await Promise.all(
          Array.from({ length: 10 }, (_, writer) => store.put("signin", key, { version: 1, writer }, { ttlSeconds: 60, condition: { field: "version", equals: 0 } })),
        );
        expect(results.filter(Boolean)).toHaveLength(1);
        expect(await store.get("signin", key)).toEqual({ version: 1, writer: results.indexOf(true) });
      });
    });

    describe("single-use consume", () => {
      it("hands the record over once and removes it", async () => {
        const key = id();
        await store.put("challenge", key, { nonce: "n-0" }, { ttlSeconds: 60 });
        expect(await store.consume("challenge", key)).toEqual({ nonce: "n-0" });
        expect(await store.consume("challenge", key)).toBeUndefined();
        expect(await store.get("challenge", key)).toBeUndefined();
      });

      it("consumes a record once: of 20 concurrent consumers exactly one gets it", async () => {
        const key = id();
        await store.put("challenge", key, { nonce: "n-1" }, { ttlSeconds: 60 });
        const results = await Promise.all(Array.from({ length: 20 }, () => store.consume("challenge", key)));
        expect(results.filter((result) => result !== undefined)).toEqual([{ nonce: "n-1" }]);
        expect(await store.get("challenge", key)).toBeUndefined();
      });

      it("does not consume an absent or an expired record", async () => {
        expect(await store.consume("challenge", id())).toBeUndefined();
        const key = id();
        await store.put("challenge", key, { nonce: "n-2" }, { ttlSeconds: 5 });
        advance(6_000);
        expect(await store.consume("challenge", key)).toBeUndefined();
      });
    });

    describe("markOnce (single use without deleting)", () => {
      it("marks a live record once and hands its value as it was to that one caller; later reads see the mark", async () => {
        const key = id();
        await store.put("oidc-AuthorizationCode", key, { grantId: "g-1" }, { ttlSeconds: 60, index: "g-1" });
        expect(await store.markOnce("oidc-AuthorizationCode", key, "consumed", 1234)).toEqual({ grantId: "g-1" });
        expect(await store.markOnce("oidc-AuthorizationCode", key, "consumed", 1235)).toBeUndefined();
        expect(await store.get("oidc-AuthorizationCode", key)).toEqual({ grantId: "g-1", consumed: 1234 });
        // The record keeps its index and its TTL.
        expect((await store.queryByIndex("oidc-AuthorizationCode", "g-1")).map((record) => record.id)).toContain(key);
        advance(61_000);
        expect(await store.get("oidc-AuthorizationCode", key)).toBeUndefined();
      });

      it("marks a record once: of 20 concurrent callers exactly one gets its value", async () => {
        const key = id();
        await store.put("oidc-RefreshToken", key, { grantId: "g-2" }, { ttlSeconds: 60 });
        const results = await Promise.all(Array.from({ length: 20 }, (_, index) => store.markOnce("oidc-RefreshToken", key, "consumed", index)));
        expect(results.filter((result) => result !== undefined)).toEqual([{ grantId: "g-2" }]);
        const winner = results.findIndex((result) => result !== undefined);
        expect(await store.get("oidc-RefreshToken", key)).toEqual({ grantId: "g-2", consumed: winner });
      });

      it("does not mark an absent record, an expired one, or one that already has the field", async () => {
        expect(await store.markOnce("oidc-RefreshToken", id(), "consumed", 1)).toBeUndefined();
        const expired = id();
        await store.put("oidc-RefreshToken", expired, { grantId: "g-3" }, { ttlSeconds: 5 });
        advance(6_000);
        expect(await store.markOnce("oidc-RefreshToken", expired, "consumed", 1)).toBeUndefined();
        const marked = id();
        await store.put("oidc-RefreshToken", marked, { grantId: "g-4", consumed: 7 }, { ttlSeconds: 60 });
        expect(await store.markOnce("oidc-RefreshToken", marked, "consumed", 8)).toBeUndefined();
        expect(await store.get("oidc-RefreshToken", marked)).toEqual({ grantId: "g-4", consumed: 7 });
      });
    });

    describe("markOnce with conditions on other fields", () => {
      it("marks only when every named field has the value given (undefined: absent)", async () => {
        const key = id();
        await store.put("oidc-AuthorizationCode", key, { clientId: "app", redirectUri: "https://app/cb" }, { ttlSeconds: 60 });
        expect(await store.markOnce("oidc-AuthorizationCode", key, "consumed", 1, { clientId: "other" })).toBeUndefined();
        expect(await store.markOnce("oidc-AuthorizationCode", key, "consumed", 1, { clientId: "app", codeChallenge: "x" })).toBeUndefined();
        expect(await store.get("oidc-AuthorizationCode", key)).toEqual({ clientId: "app", redirectUri: "https://app/cb" });
        expect(await store.markOnce("oidc-AuthorizationCode", key, "consumed", 2, { clientId: "app", redirectUri: "https://app/cb", codeChallenge: undefined })).toEqual({
          clientId: "app",
          redirectUri: "https://app/cb",
        });
        expect(await store.get("oidc-AuthorizationCode", key)).toEqual({ clientId: "app", redirectUri: "https://app/cb", consumed: 2 });
      });
    });

    describe("getMany", () => {
      it("reads several records of several kinds in the order asked, undefined for absent and expired ones", async () => {
        const [a, b, c, d] = [id(), id(), id(), id()];
        await store.put("session", a, { name: "a" });
        await store.put("signin", b, { name: "b" }, { ttlSeconds: 60 });
        await store.put("session", c, { name: "expired" }, { ttlSeconds: 1 });
        advance(2_000);
        expect(
          await store.getMany([
            { kind: "signin", id: b },
            { kind: "session", id: d },
            { kind: "session", id: a },
            { kind: "session", id: c },
            { kind: "session", id: a },
          ]),
        ).toEqual([{ name: "b" }, undefined, { name: "a" }, undefined, { name: "a" }]);
      });

      it("answers an empty list for no keys", async () => {
        expect(await store.getMany([])).toEqual([]);
      });
    });

    describe("putMany", () => {
      it("writes and deletes several records of several kinds in one call", async () => {
        const [a, b, c, d, user] = [id(), id(), id(), id(), id()];
        await store.put("signin", c, { name: "pending" });
        await store.put("session", d, { name: "old" });
        await store.putMany(
          [
            { kind: "session", id: a, value: { name: "a" }, options: { ttlSeconds: 60, index: user } },
            { kind: "session-user", id: b, value: { sub: user } },
          ],
          [
            { kind: "signin", id: c },
            { kind: "session", id: d },
            { kind: "session", id: id() },
          ],
        );
        expect(
          await store.getMany([
            { kind: "session", id: a },
            { kind: "session-user", id: b },
            { kind: "signin", id: c },
            { kind: "session", id: d },
          ]),
        ).toEqual([{ name: "a" }, { sub: user }, undefined, undefined]);
        expect(await store.queryByIndex("session", user)).toEqual([{ id: a, value: { name: "a" } }]);
      });

      it("deletes with nothing to put", async () => {
        const a = id();
        await store.put("signin", a, { name: "pending" });
        await store.putMany([], [{ kind: "signin", id: a }]);
        expect(await store.get("signin", a)).toBeUndefined();
      });

      it("refuses more than 25 puts and deletes together, and a record named twice, writing nothing", async () => {
        const a = id();
        const puts = Array.from({ length: 13 }, () => ({ kind: "session", id: id(), value: {} }));
        const deletes = Array.from({ length: 13 }, () => ({ kind: "session", id: id() }));
        await expect(store.putMany(puts, deletes)).rejects.toThrow("at most 25");
        await store.put("signin", a, { name: "kept" });
        await expect(store.putMany([{ kind: "signin", id: a, value: { name: "replaced" } }], [{ kind: "signin", id: a }])).rejects.toThrow("at most once");
        expect(await store.get("signin", a)).toEqual({ name: "kept" });
        expect(await store.get("session", puts[0]!.id)).toBeUndefined();
      });
    });

    describe("the index", () => {
      it("finds live records by index within one kind", async () => {
        const user = `sub-${id()}`;
        const [a, b, c, d] = [id(), id(), id(), id()];
        await store.put("passkey", a, { name: "a" }, { index: user });
        await store.put("passkey", b, { name: "b" }, { index: user, ttlSeconds: 60 });
        await store.put("passkey", c, { name: "expired" }, { index: user, ttlSeconds: 1 });
        await store.put("session", d, { name: "other kind" }, { index: user });
        advance(2_000);
        const found = await store.queryByIndex<{ name: string }>("passkey", user);
        expect(found.map((record) => [record.id, record.value.name]).sort()).toEqual([
          [a, "a"],
          [b, "b"],
        ]);
      });

      it("answers an empty list for an index no record has", async () => {
        expect(await store.queryByIndex("passkey", `sub-${id()}`)).toEqual([]);
      });

      it("moves a record to its new index when it is put again, and out of every index without one", async () => {
        const [first, second] = [`sub-${id()}`, `sub-${id()}`];
        const [moved, unindexed] = [id(), id()];
        await store.put("passkey", moved, { v: 1 }, { index: first });
        await store.put("passkey", unindexed, { v: 1 }, { index: first });
        await store.put("passkey", moved, { v: 2 }, { index: second });
        await store.put("passkey", unindexed, { v: 2 });
        expect(await store.queryByIndex("passkey", first)).toEqual([]);
        expect(await store.queryByIndex("passkey", second)).toEqual([{ id: moved, value: { v: 2 } }]);
      });

      it("forgets deleted and consumed records", async () => {
        const user = `sub-${id()}`;
        const [deleted, consumed] = [id(), id()];
        await store.put("session", deleted, { v: 1 }, { index: user });
        await store.put("session", consumed, { v: 1 }, { index: user });
        await store.delete("session", deleted);
        await store.consume("session", consumed);
        expect(await store.queryByIndex("session", user)).toEqual([]);
      });
    });

    describe("atomic increment", () => {
      it("counts hits in a fixed window and restarts the count when the window ends", async () => {
        const key = id();
        const first = await store.increment("ratelimit", key, 60);
        const second = await store.increment("ratelimit", key, 60);
        expect([first.count, second.count]).toEqual([1, 2]);
        expect(second.resetAt).toBe(first.resetAt);
        advance(61_000);
        const restarted = await store.increment("ratelimit", key, 60);
        expect(restarted.count).toBe(1);
        expect(restarted.resetAt).toBeGreaterThan(first.resetAt);
      });

      it("ends the window exactly windowSeconds after the first hit, however many hits follow", async () => {
        const key = id();
        const startedAt = clockMs;
        expect(await store.increment("ratelimit", key, 60)).toEqual({ count: 1, resetAt: startedAt + 60_000 });
        advance(59_999);
        expect(await store.increment("ratelimit", key, 60)).toEqual({ count: 2, resetAt: startedAt + 60_000 });
        advance(1);
        expect(await store.increment("ratelimit", key, 60)).toEqual({ count: 1, resetAt: startedAt + 120_000 });
      });

      it("adds `by`, and a negative `by` takes hits back", async () => {
        const key = id();
        expect((await store.increment("ratelimit", key, 60, 5)).count).toBe(5);
        expect((await store.increment("ratelimit", key, 60, -1)).count).toBe(4);
        expect((await store.increment("ratelimit", key, 60)).count).toBe(5);
      });

      it("keeps counters apart by kind and id", async () => {
        const [one, other] = [id(), id()];
        await store.increment("ratelimit", one, 60);
        await store.increment("ratelimit", one, 60);
        expect((await store.increment("ratelimit", other, 60)).count).toBe(1);
        expect((await store.increment("counter", one, 60)).count).toBe(1);
      });

      it("counts concurrent increments exactly", async () => {
        const key = id();
        const states = await Promise.all(Array.from({ length: 15 }, () => store.increment("ratelimit", key, 60)));
        expect(states.map((state) => state.count).sort((a, b) => a - b)).toEqual(Array.from({ length: 15 }, (_, index) => index + 1));
        expect((await store.increment("ratelimit", key, 60)).count).toBe(16);
      });

      it("starts again from one once the counter is deleted", async () => {
        const key = id();
        await store.increment("ratelimit", key, 60);
        await store.increment("ratelimit", key, 60);
        await store.delete("ratelimit", key);
        expect((await store.increment("ratelimit", key, 60)).count).toBe(1);
      });
    });
  });
}
