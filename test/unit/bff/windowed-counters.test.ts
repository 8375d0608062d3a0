import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDynamoDbClient, createDynamoStore } from "../../../bff/store/dynamo-store";
import type { Store } from "../../../bff/store/store";
import { windowEndsAt } from "../../../bff/store/windowed-counters";
import { startDynalite, type RunningDynalite } from "../../../emulator/local/local-dynalite";
import { memoryStore } from "../../support/memory-store";

/** Midnight UTC: every window of the tests (a minute, an hour) starts here. */
const startMs = Date.UTC(2030, 0, 1);
const minute = 60;
const hour = 3600;

interface Opened {
  store: Store;
  clock: { now: () => number; set: (ms: number) => void };
  calls: string[];
  raw?: (kind: string, id: string) => Promise<Record<string, unknown> | undefined>;
}

let dynalite: RunningDynalite;
const clients: { destroy(): void }[] = [];

beforeAll(async () => {
  dynalite = await startDynalite({ port: 0 });
});
afterAll(async () => {
  for (const client of clients) client.destroy();
  await dynalite.close();
});

let table = 0;
async function openDynamo(): Promise<Opened> {
  let nowMs = startMs;
  const calls: string[] = [];
  const client = createDynamoDbClient({ region: "us-east-1", endpoint: dynalite.endpoint, placeholderCredentials: true });
  clients.push(client);
  const tableName = `windowed-counters-${(table += 1)}`;
  const store = createDynamoStore({ client, tableName, now: () => nowMs, onCall: (operation) => calls.push(operation) });
  await store.ensureTable();
  const raw = async (kind: string, id: string) => (await client.send(new GetCommand({ TableName: tableName, Key: { pk: `${kind}#${id}` } }))).Item;
  return { store, calls, raw, clock: { now: () => nowMs, set: (ms) => (nowMs = ms) } };
}

async function openMemory(): Promise<Opened> {
  let nowMs = startMs;
  return { store: memoryStore(() => nowMs), calls: [], clock: { now: () => nowMs, set: (ms) => (nowMs = ms) } };
}

describe.each([
  ["the DynamoDB store on dynalite", openDynamo],
  ["the in-memory test store", openMemory],
])("windowed counters in one record (Store.addToWindows): %s", (_name, open) => {
  let opened: Opened;
  let counter = 0;
  const id = () => `subject-${(counter += 1)}`;
  beforeAll(async () => {
    opened = await open();
  });

  it("adds to several counters of one record in one write and answers each one's count", async () => {
    const { store } = opened;
    const key = id();
    const adds = [
      { counter: "password", windowSeconds: minute, by: 1 },
      { counter: "password", windowSeconds: hour, by: 1 },
      { counter: "codeSent", windowSeconds: hour, by: 2 },
    ];
    await store.addToWindows("throttle", key, adds, hour);
    const counts = await store.addToWindows("throttle", key, adds, hour);
    expect(counts.count("password", minute)).toBe(2);
    expect(counts.count("password", hour)).toBe(2);
    expect(counts.count("codeSent", hour)).toBe(4);
    expect(counts.count("codeSent", minute)).toBe(0);
  });

  it("keeps records and counters apart: by kind and id, by counter, by window length", async () => {
    const { store } = opened;
    const [one, other] = [id(), id()];
    await store.addToWindows("throttle", one, [{ counter: "password", windowSeconds: minute, by: 3 }], hour);
    expect((await store.addToWindows("throttle", other, [], hour)).count("password", minute)).toBe(0);
    expect((await store.addToWindows("ratelimit", one, [], hour)).count("password", minute)).toBe(0);
    const counts = await store.addToWindows("throttle", one, [], hour);
    expect([counts.count("password", minute), counts.count("password", hour), counts.count("codeSent", minute)]).toEqual([3, 0, 0]);
  });

  it("starts each window at zero at its boundary, aligned to the clock, each length on its own", async () => {
    const { store, clock } = opened;
    const key = id();
    const adds = [
      { counter: "password", windowSeconds: minute, by: 1 },
      { counter: "password", windowSeconds: hour, by: 1 },
    ];
    clock.set(startMs + 30_000);
    await store.addToWindows("throttle", key, adds, hour);
    clock.set(startMs + 59_999);
    const last = await store.addToWindows("throttle", key, adds, hour);
    expect([last.count("password", minute), last.count("password", hour)]).toEqual([2, 2]);
    clock.set(startMs + 60_000);
    const next = await store.addToWindows("throttle", key, adds, hour);
    expect([next.count("password", minute), next.count("password", hour)]).toEqual([1, 3]);
    clock.set(startMs + hour * 1000);
    const nextHour = await store.addToWindows("throttle", key, [], hour);
    expect([nextHour.count("password", minute), nextHour.count("password", hour)]).toEqual([0, 0]);
    clock.set(startMs);
  });

  it("takes hits back with a negative add in the window of `at`, and drops it once that window has ended", async () => {
    const { store, clock } = opened;
    const key = id();
    clock.set(startMs + 50_000);
    const reservedAt = clock.now();
    await store.addToWindows("throttle", key, [{ counter: "password", windowSeconds: minute, by: 2 }], hour);
    const refunded = await store.addToWindows("throttle", key, [{ counter: "password", windowSeconds: minute, by: -1, at: reservedAt }], hour);
    expect(refunded.count("password", minute)).toBe(1);
    clock.set(startMs + 65_000);
    await store.addToWindows("throttle", key, [{ counter: "password", windowSeconds: minute, by: 1 }], hour);
    const late = await store.addToWindows("throttle", key, [{ counter: "password", windowSeconds: minute, by: -1, at: reservedAt }], hour);
    expect(late.count("password", minute)).toBe(1);
    clock.set(startMs);
  });

  it("counts concurrent adds exactly", async () => {
    const { store } = opened;
    const key = id();
    const answers = await Promise.all(Array.from({ length: 12 }, () => store.addToWindows("throttle", key, [{ counter: "password", windowSeconds: hour, by: 1 }], hour)));
    expect(answers.map((counts) => counts.count("password", hour)).sort((a, b) => a - b)).toEqual(Array.from({ length: 12 }, (_, index) => index + 1));
  });

  it("refuses a counter name that could not be told apart from the attribute's other parts", async () => {
    await expect(opened.store.addToWindows("throttle", id(), [{ counter: "pass.word", windowSeconds: minute, by: 1 }], hour)).rejects.toThrow(/Invalid counter/);
  });
});

describe("windowed counters on DynamoDB: round-trips and the item", () => {
  let opened: Opened;
  beforeAll(async () => {
    opened = await openDynamo();
  });

  it("is one UpdateItem per write whatever the number of counters, and one GetItem for a read", async () => {
    const { store, calls } = opened;
    calls.length = 0;
    const adds = ["password", "signInCode", "codeSent"].flatMap((counter) => [minute, hour].map((windowSeconds) => ({ counter, windowSeconds, by: 1 })));
    await store.addToWindows("throttle", "round-trips", adds, hour);
    await store.addToWindows("throttle", "round-trips", [], hour);
    expect(calls).toEqual(["UpdateItem", "GetItem"]);
  });

  it("removes the attributes of ended windows on the next write, and keeps the record for keepSeconds", async () => {
    const { store, clock, raw } = opened;
    clock.set(startMs);
    await store.addToWindows("throttle", "cleanup", [{ counter: "password", windowSeconds: minute, by: 1 }], hour);
    clock.set(startMs + 3 * 60_000);
    await store.addToWindows("throttle", "cleanup", [{ counter: "password", windowSeconds: minute, by: 1 }], hour);
    expect(Object.keys((await raw!("throttle", "cleanup"))!).filter((name) => name.startsWith("c."))).toHaveLength(2);
    await store.addToWindows("throttle", "cleanup", [{ counter: "password", windowSeconds: minute, by: 1 }], hour);
    const item = (await raw!("throttle", "cleanup"))!;
    expect(Object.keys(item).filter((name) => name.startsWith("c."))).toEqual([`c.password.60.${(startMs + 3 * 60_000) / 60_000}`]);
    expect(item.expiresAt).toBe((startMs + 3 * 60_000) / 1000 + hour);
    clock.set(startMs);
  });

  it("places window ends at multiples of the window length", () => {
    expect(windowEndsAt(minute, startMs + 1)).toBe(startMs + 60_000);
    expect(windowEndsAt(minute, startMs + 60_000)).toBe(startMs + 120_000);
    expect(windowEndsAt(hour, startMs + 61_000)).toBe(startMs + hour * 1000);
  });
});
