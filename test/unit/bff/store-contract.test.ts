import { createDynamoDbClient, createDynamoStore } from "../../../bff/store/dynamo-store";
import { startDynalite } from "../../../emulator/local/local-dynalite";
import { memoryStore } from "../../support/memory-store";
import { describeStoreContract } from "../../support/store-contract";

// One contract, two stores: what a unit test proves on the memory store holds on DynamoDB.

describeStoreContract("the DynamoDB store on dynalite", async (now) => {
  const dynalite = await startDynalite({ port: 0 });
  const client = createDynamoDbClient({ region: "us-east-1", endpoint: dynalite.endpoint, placeholderCredentials: true });
  const store = createDynamoStore({ client, tableName: "tobira-store-contract", now });
  await store.ensureTable();
  return {
    store,
    async close() {
      client.destroy();
      await dynalite.close();
    },
  };
});

describeStoreContract("the in-memory test store", async (now) => ({ store: memoryStore(now) }));
