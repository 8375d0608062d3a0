import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { ConfirmSignUpCommand } from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { JsonFile } from "../../emulator/state/json-file";
import { SignInStore, type SignInRecord } from "../../emulator/state/sign-in-store";
import { bff, latestCode, secretHash, signUp, startTestEmulator, uniqueEmail, type TestEmulator } from "../integration/emulator/support";

const renames = vi.hoisted(() => ({ count: 0 }));
vi.mock("node:fs/promises", async (importOriginal) => {
  const original = await importOriginal<typeof import("node:fs/promises")>();
  return {
    ...original,
    rename: async (...args: Parameters<typeof original.rename>) => {
      renames.count += 1;
      return original.rename(...args);
    },
  };
});

/**
 * The local emulator under a long-used stack and double clicks: SignUp of one email is atomic
 * (one account, UsernameExistsException for the others, as Cognito), the sign-in state stays as
 * large as the sign-ins still usable, and a burst of changes is written once or twice, not once
 * per step.
 */

describe("the emulator's state", () => {
  let folder: string;
  beforeAll(() => {
    folder = mkdtempSync(path.join(tmpdir(), "tobira-emulator-state-"));
  });
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  describe("sign-up of one email at once", () => {
    let t: TestEmulator;
    beforeAll(async () => {
      t = await startTestEmulator();
    });
    afterAll(() => t.stop());

    it("creates one account: the other sign-ups meet UsernameExistsException, and the code sent confirms it", async () => {
      const email = uniqueEmail("double-click");
      const outcomes = await Promise.allSettled(Array.from({ length: 5 }, () => signUp(t, email)));
      expect(outcomes.filter((outcome) => outcome.status === "fulfilled")).toHaveLength(1);
      for (const outcome of outcomes) {
        if (outcome.status === "rejected") expect((outcome.reason as Error).name).toBe("UsernameExistsException");
      }
      const confirmed = await t.cognito.send(
        new ConfirmSignUpCommand({ ClientId: bff.clientId, Username: email, ConfirmationCode: await latestCode(t.emulator.url, email), SecretHash: secretHash(email) }),
      );
      expect(confirmed.$metadata.httpStatusCode).toBe(200);
    });
  });

  it("folds a burst of writes into at most two, the newest snapshot last on disk", async () => {
    const file = new JsonFile<{ step: number }>(path.join(folder, "burst.json"));
    renames.count = 0;
    await Promise.all(Array.from({ length: 20 }, (_, step) => file.write({ step })));
    expect(renames.count).toBeLessThanOrEqual(2);
    expect(JSON.parse(readFileSync(file.path, "utf8"))).toEqual({ step: 19 });
  });

  it("drops sign-in lineages a day after their revocation or their refresh token's expiry", async () => {
    let now = Date.UTC(2030, 0, 1);
    const file = path.join(folder, "sign-ins.json");
    const store = new SignInStore(file, () => now);
    const lineage = (id: string, refreshDays: number): SignInRecord => ({
      originJti: id,
      username: "u",
      clientId: "c",
      refreshTokenDigest: `digest-${id}`,
      authTime: now / 1000,
      eventId: id,
      scope: "openid",
      refreshExpiresAt: now + refreshDays * 24 * 3600_000,
    });
    const revoked = lineage("revoked", 30);
    await store.add(revoked);
    await store.revoke(revoked);
    await store.add(lineage("expiring", 1));
    await store.add(lineage("alive", 30));

    now += 2.5 * 24 * 3600_000;
    await store.add(lineage("new", 30));
    await store.flush();
    const kept = (JSON.parse(readFileSync(file, "utf8")) as { signIns: SignInRecord[] }).signIns.map((record) => record.originJti);
    expect(kept.sort()).toEqual(["alive", "new"]);
  });
});
