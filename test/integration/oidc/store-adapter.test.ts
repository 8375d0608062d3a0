import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { errors, type Adapter } from "oidc-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createStoreAdapter } from "../../../bff/oidc/store-adapter";
import { createDynamoDbClient, createDynamoStore, type DynamoStore } from "../../../bff/store/dynamo-store";
import { startDynalite, type RunningDynalite } from "../../../emulator/local/local-dynalite";

/** oidc-provider's adapter over the BFF's Store, against dynalite (the local DynamoDB). */

let dynalite: RunningDynalite;
let client: DynamoDBClient;
let store: DynamoStore;
let counter = 0;
const id = (label: string) => `${label}-${(counter += 1)}`;
const now = () => Math.floor(Date.now() / 1000);

beforeAll(async () => {
  dynalite = await startDynalite({ port: 0 });
  client = createDynamoDbClient({ region: "us-east-1", endpoint: dynalite.endpoint, placeholderCredentials: true });
  store = createDynamoStore({ client, tableName: "tobira-oidc-adapter-test" });
  await store.ensureTable();
});

afterAll(async () => {
  client.destroy();
  await dynalite.close();
});

function adapter(model: string): Adapter {
  const StoreAdapter = createStoreAdapter(store);
  return new StoreAdapter(model);
}

describe("the oidc-provider store adapter", () => {
  it("stores, finds and destroys a model's records, keeping models apart", async () => {
    const codes = adapter("AuthorizationCode");
    const key = id("code");
    await codes.upsert(key, { jti: key, kind: "AuthorizationCode", exp: now() + 60 }, 60);
    expect(await codes.find(key)).toMatchObject({ jti: key });
    expect(await adapter("AccessToken").find(key)).toBeUndefined();
    await codes.destroy(key);
    expect(await codes.find(key)).toBeUndefined();
  });

  it("finds a session by uid, and after its id rotates only the new one", async () => {
    const sessions = adapter("Session");
    const uid = id("uid");
    const first = id("session");
    const second = id("session");
    await sessions.upsert(first, { jti: first, uid, accountId: "a" }, 600);
    expect(await sessions.findByUid(uid)).toMatchObject({ jti: first });
    // oidc-provider's rotation: destroy the old id, then save under the new one.
    await sessions.destroy(first);
    await sessions.upsert(second, { jti: second, uid, accountId: "a" }, 600);
    expect(await sessions.findByUid(uid)).toMatchObject({ jti: second });
    await sessions.destroy(second);
    expect(await sessions.findByUid(uid)).toBeUndefined();
  });

  it("finds a session by uid in one read, as it was last saved", async () => {
    const operations: string[] = [];
    const counted = createDynamoStore({ client, tableName: "tobira-oidc-adapter-test", onCall: (operation) => operations.push(operation) });
    const sessions = new (createStoreAdapter(counted))("Session");
    const uid = id("uid");
    const key = id("session");
    await sessions.upsert(key, { jti: key, uid, accountId: "a", authorizations: { app: { grantId: "g-1" } } }, 600);
    await sessions.upsert(key, { jti: key, uid, accountId: "a", authorizations: { app: { grantId: "g-2" } } }, 600);
    operations.length = 0;
    expect(await sessions.findByUid(uid)).toMatchObject({ jti: key, authorizations: { app: { grantId: "g-2" } } });
    expect(operations).toEqual(["GetItem"]);
  });

  it("revokes every record of a grant, and only those", async () => {
    const tokens = adapter("AccessToken");
    const grantId = id("grant");
    const [a, b, other] = [id("at"), id("at"), id("at")];
    await tokens.upsert(a, { jti: a, grantId }, 600);
    await tokens.upsert(b, { jti: b, grantId }, 600);
    await tokens.upsert(other, { jti: other, grantId: id("grant") }, 600);
    await tokens.revokeByGrantId(grantId);
    expect(await tokens.find(a)).toBeUndefined();
    expect(await tokens.find(b)).toBeUndefined();
    expect(await tokens.find(other)).toBeDefined();
  });

  it("consume marks the record consumed and keeps it (so a replay can be recognised)", async () => {
    const codes = adapter("AuthorizationCode");
    const key = id("code");
    await codes.upsert(key, { jti: key, grantId: id("grant"), exp: now() + 60 }, 60);
    await codes.consume(key);
    expect((await codes.find(key))?.consumed).toEqual(expect.any(Number));
  });

  it("a second consume fails with invalid_grant and revokes the grant's tokens", async () => {
    const codes = adapter("AuthorizationCode");
    const tokens = adapter("AccessToken");
    const grantId = id("grant");
    const key = id("code");
    const token = id("at");
    await codes.upsert(key, { jti: key, grantId, exp: now() + 60 }, 60);
    await codes.consume(key);
    await tokens.upsert(token, { jti: token, grantId }, 600);
    await adapter("Grant").upsert(grantId, { jti: grantId }, 600);

    await expect(codes.consume(key)).rejects.toBeInstanceOf(errors.InvalidGrant);
    expect(await tokens.find(token)).toBeUndefined();
    expect(await adapter("Grant").find(grantId)).toBeUndefined();
  });

  it("of concurrent consumes exactly one wins", async () => {
    const codes = adapter("AuthorizationCode");
    const key = id("code");
    await codes.upsert(key, { jti: key, grantId: id("grant"), exp: now() + 60 }, 60);
    const outcomes = await Promise.allSettled(Array.from({ length: 5 }, () => codes.consume(key)));
    expect(outcomes.filter((outcome) => outcome.status === "fulfilled")).toHaveLength(1);
  });
});
