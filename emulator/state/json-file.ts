import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { rename, writeFile } from "node:fs/promises";
import { dirname } from "node:path";

/**
 * One JSON document on disk. Reads once at start-up; every write replaces the file atomically
 * (write a temporary file, then rename over the old one), and writes run one after another in
 * call order, so a crash or a concurrent reader never sees half a file.
 */
export class JsonFile<T> {
  private pending: Promise<void> = Promise.resolve();

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

  /** Queues a snapshot of `data` (taken now) and resolves once it is on disk. */
  write(data: T): Promise<void> {
    const text = `${JSON.stringify(data, null, 2)}\n`;
    const next = this.pending.then(async () => {
      const temporary = `${this.path}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`;
      // 0600: the files hold password hashes, keys and token digests.
      await writeFile(temporary, text, { mode: 0o600 });
      await rename(temporary, this.path);
    });
    // A failed write must not wedge later ones; the caller of this write still sees the error.
    this.pending = next.catch(() => undefined);
    return next;
  }

  /** Resolves when every queued write has finished. */
  flush(): Promise<void> {
    return this.pending;
  }
}
