import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadBffConfig } from "../../../bff/config";
import { createLogger } from "../../../bff/logger";
import { startBff, type RunningBff } from "../../../bff/server";
import { createDynamoDbClient, createDynamoStore } from "../../../bff/store/dynamo-store";
import { loadLocalConfig } from "../../../common/local-config";
import { startDynalite, type RunningDynalite } from "../../../emulator/local/local-dynalite";
import { startEmulator, type RunningEmulator } from "../../../emulator/server";
import { HttpClient } from "../../support/http-client";
import { strongPassword, uniqueEmail } from "./flows";

/**
 * What a full sign-in (password step, then the code) costs in DynamoDB round-trips, counted by the
 * store's onCall hook as `npm run bench` counts them (README, "Performance of the BFF"): each
 * tier of the per-account throttle no longer costs a write of its own, and no step reads again a
 * record it has just read or written. A new call on this path fails here first.
 */

describe("store round-trips of a full sign-in", () => {
  let emulator: RunningEmulator;
  let dynalite: RunningDynalite;
  let bff: RunningBff;
  let dataDir: string;
  const calls: string[] = [];
  let client: ReturnType<typeof createDynamoDbClient>;

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), "tobira-store-calls-"));
    emulator = await startEmulator({ config: loadLocalConfig(), dataDir: path.join(dataDir, "emulator"), port: 0 });
    dynalite = await startDynalite({ port: 0 });
    const config = loadBffConfig({
      TOBIRA_MODE: "local",
      TOBIRA_DATA_DIR: dataDir,
      LOG_LEVEL: "silent",
      PORT: "0",
      COGNITO_ENDPOINT: emulator.url,
      COGNITO_ISSUER: emulator.issuer,
      DYNAMODB_ENDPOINT: dynalite.endpoint,
      DYNAMODB_TABLE: "tobira-store-calls",
      SERVE_WEB: "false",
      OTP_RESEND_COOLDOWN_SECONDS: "0",
      SECURITY_MAILS: "false",
    });
    client = createDynamoDbClient({ region: config.dynamodb.region, endpoint: dynalite.endpoint, placeholderCredentials: true });
    const store = createDynamoStore({ client, tableName: config.dynamodb.tableName, onCall: (operation) => calls.push(operation) });
    await store.ensureTable();
    bff = await startBff({ config, store, logger: createLogger("silent"), port: 0, host: "127.0.0.1", adoptListenerUrl: true });
  });
  afterAll(async () => {
    await bff?.close();
    client?.destroy();
    await dynalite?.close();
    await emulator?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const latestCode = async (email: string) => {
    const messages = (await (await fetch(`${emulator.url}/_local/outbox?to=${encodeURIComponent(email)}`)).json()) as { code: string }[];
    return messages[0]!.code;
  };

  it("is at most 7 calls for the password step and 11 for the code step (46 in all before the throttle's tiers shared a record, 25 before the session's and the history's writes and reads were batched)", async () => {
    const email = uniqueEmail("store-calls");
    const setup = new HttpClient(bff.url);
    expect((await setup.post("/api/signup", { email, password: strongPassword })).status).toBe(201);
    expect((await setup.post("/api/signup/confirm", { email, code: await latestCode(email) })).status).toBe(200);

    const browser = new HttpClient(bff.url);
    calls.length = 0;
    const started = await browser.post("/api/signin", { email, password: strongPassword });
    expect(started.status, started.text).toBe(200);
    const passwordStep = [...calls];
    const code = await latestCode(email);
    calls.length = 0;
    const done = await browser.post("/api/signin/otp", { code });
    expect(done.status, done.text).toBe(200);
    const codeStep = [...calls];

    expect(passwordStep.length, passwordStep.join(", ")).toBeLessThanOrEqual(7);
    expect(codeStep.length, codeStep.join(", ")).toBeLessThanOrEqual(11);
  });
});
