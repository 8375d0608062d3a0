import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { rename, writeFile } from "node:fs/promises";
import { dirname } from "node:path";

/**
 * One JSON document on disk. Reads once at start-up; every write replaces the file atomically
 * (write a temporary file, then rename over the old one), and writes run one after another in
 * call order, so a crash or a concurrent reader never sees half a file. Writes asked for while
 * one is on its way are folded into one: only the newest snapshot is written next, so a burst of
 * changes (the several steps of one sign-in) costs at most two writes, not one per step.
 */
export class JsonFile<T> {
  private pending: Promise<void> = Promise.resolve();
  /** The write queued behind the one in progress, not started yet: later snapshots replace its text. */
  private queued: { text: string; done: Promise<void> } | undefined;

  constructor(readonly path: string) {
    mkdirSync(dirname(path), { recursive: true });
  }

  /** The stored document, or undefined when the file does not exist yet. */
  read(): T | undefined {
    if (!existsSync(this.path)) return undefined;
    try {
      return JSON.parse(readFileSync(this.path, "utf8")) as T;
    } catch (error) {
      throw new Error(`Cannot read ${this.path}: ${(error as Error).message}`, { cause: error });
    }
  }

  /** Queues a snapshot of `data` (taken now) and resolves once it, or a newer one, is on disk. */
  write(data: T): Promise<void> {
    const text = `${JSON.stringify(data, null, 2)}\n`;
    if (this.queued !== undefined) {
      this.queued.text = text;
      return this.queued.done;
    }
    const slot: { text: string; done: Promise<void> } = { text, done: Promise.resolve() };
    slot.done = this.pending.then(async () => {
      // From here on, new snapshots queue behind this write.
      this.queued = undefined;
      const temporary = `${this.path}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`;
      // 0600: the files hold password hashes, keys and token digests.
      await writeFile(temporary, slot.text, { mode: 0o600 });
      await rename(temporary, this.path);
    });
    this.queued = slot;
    // A failed write must not wedge later ones; the callers of this write still see the error.
    this.pending = slot.done.catch(() => undefined);
    return slot.done;
  }

  /** Resolves when every queued write has finished. */
  flush(): Promise<void> {
    return this.pending;
  }
}
