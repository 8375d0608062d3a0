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

  it("keeps a step-up challenge apart from sign-in: only the step-up ceremony gets it back", async () => {
    const { store } = recordingStore();
    const challenges = createChallengeStore({ store, ttlSeconds: 120 });
    const req = browser();
    await challenges.issue(req, { challenge: "c", purpose: "step-up", username: "u" });
    expect(await challenges.consume(req, "signin")).toBeUndefined();
    expect(await challenges.consume(req, "stepUp")).toEqual({ challenge: "c", purpose: "step-up", username: "u" });
  });

  it("removes the handle from the browser's session once it is used", async () => {
    const { store } = recordingStore();
    const challenges = createChallengeStore({ store, ttlSeconds: 120 });
    const req = browser();
    await challenges.issue(req, { challenge: "c", purpose: "passkey-first" });
    await challenges.consume(req, "signin");
    expect(req.session).toEqual({});
  });

  it("refuses a record issued for another ceremony, even found under this ceremony's handle", async () => {
    const { store } = recordingStore();
    const challenges = createChallengeStore({ store, ttlSeconds: 120 });
    const req = browser();
    await challenges.issue(req, { challenge: "c", purpose: "registration", username: "u" });
    const moved = { session: { passkeySignIn: req.session?.passkeyRegistration } } as unknown as Request;
    expect(await challenges.consume(moved, "signin")).toBeUndefined();
  });

  it("does not look up a session value that is not a challenge handle", async () => {
    const consumed: string[] = [];
    const store = { consume: async (_kind: string, id: string) => void consumed.push(id) } as unknown as Store;
    const challenges = createChallengeStore({ store, ttlSeconds: 120 });
    for (const value of ["short", "x".repeat(42) + "!", 42, ["x".repeat(43)]]) {
      expect(await challenges.consume({ session: { passkeySignIn: value } } as unknown as Request, "signin")).toBeUndefined();
    }
    expect(consumed).toEqual([]);
  });

  it("finds nothing for a request without a session", async () => {
    const { store } = recordingStore();
    expect(await createChallengeStore({ store, ttlSeconds: 120 }).consume({} as Request, "signin")).toBeUndefined();
  });
});
