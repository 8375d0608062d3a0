import type { AppClientConfig } from "../../../common/local-config";
import { assertSecretHash, computeSecretHash } from "../../../emulator/secret-hash";

const client = { clientId: "client123", clientSecret: "sekrit" } as AppClientConfig;
const publicClient = { clientId: "client123" } as AppClientConfig;

test("computes Base64(HMAC-SHA256(secret, username + clientId)) (vector from openssl)", () => {
  expect(computeSecretHash("sekrit", "alice@example.com", "client123")).toBe("9T/mrv5QVCym2wH8zQK2QJ7UQ4mvUsbsm0Ce0VG8aRM=");
});

test("accepts the right hash", () => {
  expect(() => assertSecretHash(client, "alice@example.com", "9T/mrv5QVCym2wH8zQK2QJ7UQ4mvUsbsm0Ce0VG8aRM=", "member")).not.toThrow();
});

test("words a missing top-level SecretHash as AWS does", () => {
  expect(() => assertSecretHash(client, "alice", undefined, "member")).toThrow("Client client123 is configured for secret but secret was not received");
});

test("words a missing SECRET_HASH parameter as AWS does", () => {
  expect(() => assertSecretHash(client, "alice", "", "parameter")).toThrow("Client client123 is configured with secret but SECRET_HASH was not received");
});

test("refuses a hash for another username", () => {
  expect(() => assertSecretHash(client, "bob@example.com", "9T/mrv5QVCym2wH8zQK2QJ7UQ4mvUsbsm0Ce0VG8aRM=", "member")).toThrow(
    "Unable to verify secret hash for client client123",
  );
});

test("asks nothing of a client without a secret", () => {
  expect(() => assertSecretHash(publicClient, "alice", undefined, "parameter")).not.toThrow();
});
