import express from "express";
import pino from "pino";
import { describe, expect, it, vi } from "vitest";
import { requireRecentSignIn } from "../../../bff/account/reauth";
import { ApiError } from "../../../bff/errors";
import { createMetrics, type EmfRecord } from "../../../bff/metrics";
import { summariseUserAgent } from "../../../bff/security/device-summary";
import { createLocalOutboxDelivery, type MailDelivery, type MailMessage } from "../../../bff/security/mail-delivery";
import type { SecurityEvent } from "../../../bff/security/security-event-types";
import { createSecurityEvents } from "../../../bff/security/security-events";
import { createSecurityHistory } from "../../../bff/security/security-history";
import { securityMailFor } from "../../../bff/security/security-mail";
import { signInMethodOf } from "../../../bff/security/sign-in-method";
import { memoryStore } from "../../support/memory-store";

const links = { appName: "Tobira", accountUrl: "https://id.example/account", resetUrl: "https://id.example/password/forgot" };
const chrome = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36";
const event = (overrides: Partial<SecurityEvent> = {}): SecurityEvent => ({
  id: "e1",
  at: 1_764_000_000,
  type: "password_changed",
  sub: "sub-1",
  email: "ada@example.com",
  client: { userAgent: chrome, ip: "192.0.2.1" },
  ...overrides,
});

function setup(mail: MailDelivery) {
  const records: EmfRecord[] = [];
  const store = memoryStore();
  const events = createSecurityEvents({
    history: createSecurityHistory({ store, ttlSeconds: 30 * 86_400 }),
    mail,
    links,
    metrics: createMetrics((record) => records.push(record)),
    logger: pino({ level: "silent" }),
  });
  return { events, records, store };
}

describe("security events", () => {
  it("hands one event to the history, the mail and the metrics", async () => {
    const sent: MailMessage[] = [];
    const { events, records } = setup({ send: async (message) => void sent.push(message) });
    await events.record({ type: "password_changed", sub: "sub-1", email: "ada@example.com", client: { userAgent: chrome, ip: "192.0.2.1" } });
    expect((await events.history.list("sub-1")).map((stored) => stored.type)).toEqual(["password_changed"]);
    expect(sent).toEqual([expect.objectContaining({ to: "ada@example.com", subject: "Your Tobira password was changed" })]);
    expect(records.some((record) => record.SecurityEvent === 1 && record.Event === "password_changed")).toBe(true);
  });

  it("never fails the action when the mail cannot be sent: the failure is counted", async () => {
    const { events, records } = setup({ send: () => Promise.reject(new Error("SES is down")) });
    await expect(events.record({ type: "password_changed", sub: "sub-1", email: "ada@example.com", client: { userAgent: "", ip: "" } })).resolves.toBeUndefined();
    expect(records.some((record) => record.SecurityEventFailed === 1 && record.consumer === "mail")).toBe(true);
    expect(await events.history.list("sub-1")).toHaveLength(1);
  });

  it("keeps no history record when asked not to (an account being erased), but still mails", async () => {
    const send = vi.fn(async () => {});
    const { events } = setup({ send });
    await events.record({ type: "account_deleted", sub: "sub-2", email: "ada@example.com", client: { userAgent: "", ip: "" } }, { history: false });
    expect(await events.history.list("sub-2")).toEqual([]);
    expect(send).toHaveBeenCalledOnce();
  });

  it("mails nothing for events without a notice (a refused sign-in)", async () => {
    const send = vi.fn(async () => {});
    const { events } = setup({ send });
    await events.record({ type: "sign_in_failed", sub: "sub-3", email: "", client: { userAgent: "", ip: "" }, method: "password" });
    expect(send).not.toHaveBeenCalled();
  });
});

describe("security mail texts", () => {
  it("escapes what the user chose (a passkey's name) in the HTML part", () => {
    const mail = securityMailFor(event({ type: "passkey_added", detail: '<img src=x onerror="alert(1)">' }), links)!;
    expect(mail.html).not.toContain("<img");
    expect(mail.html).toContain("&#60;img");
    expect(mail.text).toContain('<img src=x onerror="alert(1)">');
  });

  it("says what happened, when, from which device, and what to do if it was not you", () => {
    const mail = securityMailFor(event(), links)!;
    expect(mail.text).toContain("2025-11-24 16:00:00 UTC");
    expect(mail.text).toContain("Chrome on macOS");
    expect(mail.text).toContain("192.0.2.1");
    expect(mail.text).toContain(links.resetUrl);
  });

  it("masks the new address in the notice to the old one", () => {
    const mail = securityMailFor(event({ type: "email_changed", detail: "new.person@elsewhere.example" }), links)!;
    expect(mail.text).toContain("n***@e***");
    expect(mail.text).not.toContain("new.person@elsewhere.example");
  });

  it("writes Japanese for a ja locale", () => {
    expect(securityMailFor(event({ locale: "ja-JP" }), links)!.subject).toBe("Tobira のパスワードが変更されました");
  });

  it("mails a sign-in only when it is from a new device", () => {
    expect(securityMailFor(event({ type: "sign_in_succeeded" }), links)).toBeUndefined();
    expect(securityMailFor(event({ type: "sign_in_succeeded", newDevice: true }), links)?.subject).toMatch(/New sign-in/);
  });
});

describe("device summary, sign-in method and the re-authentication rule", () => {
  it("names browser and system without versions, and says so when the header says nothing", () => {
    expect(summariseUserAgent(chrome)).toEqual({ browser: "Chrome", os: "macOS", label: "Chrome on macOS" });
    expect(summariseUserAgent("")).toEqual({ browser: null, os: null, label: "Unknown browser" });
    expect(summariseUserAgent("curl/8.0").label).toBe("Unknown browser");
  });

  it("names the way a session signed in from its amr", () => {
    expect(signInMethodOf(["pwd", "otp", "mfa"])).toBe("password_code");
    expect(signInMethodOf(["pwd", "hwk", "user", "mfa"])).toBe("password_passkey");
    expect(signInMethodOf(["swk", "user"])).toBe("passkey");
    expect(signInMethodOf(["pwd"])).toBe("password_trusted_device");
  });

  it("refuses a sensitive action after the window with 403 reauthentication_required", () => {
    const now = Math.floor(Date.now() / 1000);
    expect(() => requireRecentSignIn({ authTime: now - 60 }, 300, "delete_account")).not.toThrow();
    const error = (() => {
      try {
        requireRecentSignIn({ authTime: now - 301 }, 300, "delete_account");
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 403, code: "reauthentication_required" });
  });
});

describe("local outbox delivery", () => {
  it("posts the mail as JSON and fails on a refusal", async () => {
    const received: unknown[] = [];
    const app = express();
    app.post("/_local/outbox", express.json(), (req, res) => {
      received.push(req.body);
      res.status(received.length === 1 ? 201 : 500).end();
    });
    const server = app.listen(0, "127.0.0.1");
    await new Promise((resolve) => server.once("listening", resolve));
    const { port } = server.address() as { port: number };
    try {
      const delivery = createLocalOutboxDelivery(`http://127.0.0.1:${port}/_local/outbox`);
      const message = { to: "ada@example.com", subject: "s", text: "t", html: "<p>h</p>" };
      await delivery.send(message);
      expect(received).toEqual([message]);
      await expect(delivery.send(message)).rejects.toThrow(/500/);
    } finally {
      server.close();
    }
  });
});
