import { DeleteItemCommand, GetItemCommand } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDynamoDbClient } from "../../../bff/store/dynamo-store";
import type { SecurityHistoryResponse } from "../../../common/api-contract";
import { startTestStack, type TestStack } from "../../support/stack";
import { passwordStep, signUpConfirmed, wrongCode } from "../bff/flows";
import { chromeOnMac, firefoxOnWindows, mailsTo, signInBrowser } from "./account-flows";

describe("sign-in history and security mails", () => {
  let stack: TestStack;
  beforeAll(async () => {
    // Security mails on: these tests read them from the outbox.
    stack = await startTestStack({ bffEnv: { SECURITY_MAILS: "true" } });
  });
  afterAll(() => stack.close());

  async function historyOf(client: ReturnType<TestStack["client"]>): Promise<SecurityHistoryResponse> {
    const response = await client.get("/api/account/history");
    expect(response.status, response.text).toBe(200);
    return response.body as SecurityHistoryResponse;
  }

  it("records each sign-in with when, device, address and method, newest first, over 30 days", async () => {
    const { email } = await signUpConfirmed(stack);
    await signInBrowser(stack, email, firefoxOnWindows);
    const mac = await signInBrowser(stack, email, chromeOnMac);
    const { events, days } = await historyOf(mac);
    expect(days).toBe(30);
    expect(events.map((event) => event.type)).toEqual(["sign_in_succeeded", "sign_in_succeeded"]);
    expect(events[0]).toMatchObject({ device: "Chrome on macOS", method: "password_code", ip: expect.stringMatching(/127\.0\.0\.1/), at: expect.any(Number) });
    expect(events[1]).toMatchObject({ device: "Firefox on Windows" });
  });

  it("records a wrong password and a wrong code against the account, from an unknown device", async () => {
    const { email } = await signUpConfirmed(stack);
    const mac = await signInBrowser(stack, email, chromeOnMac);
    const stranger = stack.client({ "user-agent": firefoxOnWindows });
    expect((await stranger.post("/api/signin", { email, password: "Wrong-Horse-1" })).status).toBe(401);
    await passwordStep(stranger, email);
    expect((await stranger.post("/api/signin/otp", { code: wrongCode(await stack.latestCode(email)) })).status).toBe(400);

    const failures = (await historyOf(mac)).events.filter((event) => event.type === "sign_in_failed");
    expect(failures.map((event) => event.method)).toEqual(["code", "password"]);
    expect(failures.every((event) => event.knownDevice === false && event.device === "Firefox on Windows")).toBe(true);
  });

  it("keeps each history record with the store's TTL of 30 days", async () => {
    const { email } = await signUpConfirmed(stack);
    const mac = await signInBrowser(stack, email, chromeOnMac);
    const [event] = (await historyOf(mac)).events;
    const client = createDynamoDbClient({ region: stack.config.dynamodb.region, endpoint: stack.dynamoEndpoint, placeholderCredentials: true });
    try {
      const { Item } = await client.send(new GetItemCommand({ TableName: stack.config.dynamodb.tableName, Key: { pk: { S: `security-event#${event!.id}` } } }));
      const expiresAt = Number(Item?.expiresAt?.N);
      expect(Math.abs(expiresAt - (Math.floor(Date.now() / 1000) + 30 * 86_400))).toBeLessThan(120);
    } finally {
      client.destroy();
    }
  });

  it("mails a notice for a sign-in from a new device, not for the first sign-in nor a known device", async () => {
    const { email } = await signUpConfirmed(stack);
    const mac = await signInBrowser(stack, email, chromeOnMac);
    expect(await mailsTo(stack, email, /New sign-in/)).toHaveLength(0);
    await signInBrowser(stack, email, firefoxOnWindows);
    const [notice] = await mailsTo(stack, email, /New sign-in/);
    expect(notice?.text).toContain("Firefox on Windows");
    expect(notice?.html).toContain("Firefox on Windows");
    // The Mac browser signs in again: it holds the device cookie of its first sign-in.
    await mac.post("/api/logout", {});
    await passwordStep(mac, email);
    await mac.post("/api/signin/otp", { code: await stack.latestCode(email) });
    expect(await mailsTo(stack, email, /New sign-in/)).toHaveLength(1);
  });

  it("mails a new-device notice also once the address's pointer is gone (an address changed outside Tobira): the account's own record tells", async () => {
    const { email } = await signUpConfirmed(stack);
    await signInBrowser(stack, email, chromeOnMac);
    const client = createDynamoDbClient({ region: stack.config.dynamodb.region, endpoint: stack.dynamoEndpoint, placeholderCredentials: true });
    try {
      await client.send(new DeleteItemCommand({ TableName: stack.config.dynamodb.tableName, Key: { pk: { S: `security-subject#${email.toLowerCase()}` } } }));
    } finally {
      client.destroy();
    }
    await signInBrowser(stack, email, firefoxOnWindows);
    const [notice] = await mailsTo(stack, email, /New sign-in/);
    expect(notice?.text).toContain("Firefox on Windows");
  });

  it("shows nobody else's events", async () => {
    const alice = await signInBrowser(stack, (await signUpConfirmed(stack)).email, chromeOnMac);
    await signInBrowser(stack, (await signUpConfirmed(stack)).email, firefoxOnWindows);
    expect((await historyOf(alice)).events.every((event) => event.device === "Chrome on macOS")).toBe(true);
  });
});
