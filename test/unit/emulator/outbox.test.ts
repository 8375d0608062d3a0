import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Outbox } from "../../../emulator/state/outbox";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "tobira-outbox-"));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

test("lists newest first and filters by recipient case-insensitively", async () => {
  let now = Date.UTC(2030, 0, 1);
  const outbox = new Outbox(join(dir, "outbox.json"), () => now);
  await outbox.add({ to: "A@example.com", subject: "one", text: "1", code: "111111" });
  now += 1000;
  await outbox.add({ to: "b@example.com", subject: "two", text: "2", code: "222222" });
  now += 1000;
  await outbox.add({ to: "a@example.com", subject: "three", text: "3", code: "333333" });
  expect(outbox.list().map((message) => message.subject)).toEqual(["three", "two", "one"]);
  expect(outbox.list("a@EXAMPLE.com").map((message) => message.subject)).toEqual(["three", "one"]);
  expect(outbox.list("b@example.com")[0]!.sentAt).toBe("2030-01-01T00:00:01.000Z");
});

test("keeps its messages across instances on the same file", async () => {
  const path = join(dir, "outbox.json");
  const first = new Outbox(path, Date.now);
  await first.add({ to: "a@example.com", subject: "s", text: "t", code: "123456" });
  expect(new Outbox(path, Date.now).list("a@example.com")).toHaveLength(1);
});

test("tells listeners about each new message", async () => {
  const outbox = new Outbox(join(dir, "outbox.json"), Date.now);
  const seen: string[] = [];
  const stop = outbox.onMessage((message) => seen.push(message.code));
  await outbox.asDeliveryPort().send({ channel: "EMAIL", to: "a@example.com", subject: "s", text: "t", code: "654321" });
  stop();
  await outbox.add({ to: "a@example.com", subject: "s", text: "t", code: "000000" });
  expect(seen).toEqual(["654321"]);
});
