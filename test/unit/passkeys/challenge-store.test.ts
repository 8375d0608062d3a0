import type { Request } from "express";
import { describe, expect, it } from "vitest";
import { challengeKind, createChallengeStore } from "../../../bff/passkeys/challenge-store";
import type { PutOptions, Store } from "../../../bff/store/store";

function recordingStore() {
  const records = new Map<string, unknown>();
  const puts: { kind: string; options: PutOptions | undefined }[] = [];
  const store = {
    get: async (kind: string, id: string) => records.get(`${kind}#${id}`),
    put: async (kind: string, id: string, value: unknown, options?: PutOptions) => {
      puts.push({ kind, options });
      records.set(`${kind}#${id}`, value);
    },
    consume: async (kind: string, id: string) => {
      const value = records.get(`${kind}#${id}`);
      records.delete(`${kind}#${id}`);
      return value;
    },
  } as unknown as Store;
  return { store, puts };
}

const browser = () => ({ session: {} }) as unknown as Request;

describe("WebAuthn challenge store", () => {
  it("stores each challenge with the configured TTL", async () => {
    const { store, puts } = recordingStore();
    await createChallengeStore({ store, ttlSeconds: 120 }).issue(browser(), { challenge: "c", purpose: "passkey-first" });
    expect(puts).toEqual([{ kind: challengeKind, options: { ttlSeconds: 120 } }]);
  });

  it("gives a challenge back once only", async () => {
    const { store } = recordingStore();
    const challenges = createChallengeStore({ store, ttlSeconds: 120 });
    const req = browser();
    await challenges.issue(req, { challenge: "c", purpose: "second-factor", username: "u" });
    const copy = { session: { ...req.session } } as unknown as Request; // the same cookie, sent twice
    expect(await challenges.consume(req, "signin")).toEqual({ challenge: "c", purpose: "second-factor", username: "u" });
    expect(await challenges.consume(copy, "signin")).toBeUndefined();
  });

  it("does not answer a sign-in with a registration challenge", async () => {
    const { store } = recordingStore();
    const challenges = createChallengeStore({ store, ttlSeconds: 120 });
    const req = browser();
    await challenges.issue(req, { challenge: "c", purpose: "registration", username: "u" });
    expect(await challenges.consume(req, "signin")).toBeUndefined();
  });

  it("finds nothing for a browser that was issued no challenge", async () => {
    const { store } = recordingStore();
    expect(await createChallengeStore({ store, ttlSeconds: 120 }).consume(browser(), "registration")).toBeUndefined();
  });
});
