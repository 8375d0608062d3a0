import type { Request } from "express";
import { describe, expect, it } from "vitest";
import { loadBffConfig } from "../../../bff/config";
import type { AccountThrottleLimits } from "../../../bff/config/account-throttle-limits";
import type { Store } from "../../../bff/store/store";
import { createAccountThrottle, type ThrottleSubject } from "../../../bff/throttle/account-throttle";
import { clientNetworkOf } from "../../../bff/throttle/client-network";
import { createKnownDevices, knownDeviceCookieName } from "../../../bff/throttle/known-device";
import { memoryStore } from "../../support/memory-store";

const localCookieNames = loadBffConfig({}).cookie.names;

const minute = 60;
const hour = 3600;

/** Small limits: a minute's tier of 2 and an hour's tier of 3, per network and per account. */
const limits: AccountThrottleLimits = {
  password: {
    knownDevice: [{ limit: 5, windowSeconds: minute }],
    network: [{ limit: 2, windowSeconds: minute }],
    account: [{ limit: 3, windowSeconds: hour }],
  },
  signInCode: { knownDevice: [], network: [], account: [] },
  codeSent: { knownDevice: [], network: [], account: [] },
  resetCode: { knownDevice: [], network: [{ limit: 1, windowSeconds: minute }], account: [] },
  resetSent: { knownDevice: [], network: [], account: [] },
};

function setUp() {
  let now = Date.UTC(2030, 0, 1);
  const clock = {
    now: () => now,
    advance: (seconds: number) => {
      now += seconds * 1000;
    },
  };
  const throttle = createAccountThrottle({ store: memoryStore(clock.now), limits, now: clock.now });
  return { throttle, clock };
}

const from = (network: string, knownDevice?: string): ThrottleSubject => ({ email: "Owner@Example.com ", network, knownDevice });

describe("the per-account throttle", () => {
  it("refuses the attempt past a network's limit with 429 rate_limited and the seconds to wait", async () => {
    const { throttle } = setUp();
    await throttle.reserve("password", from("192.0.2.1"));
    await throttle.reserve("password", from("192.0.2.1"));
    const refused = throttle.reserve("password", from("192.0.2.1"));
    await expect(refused).rejects.toMatchObject({ status: 429, code: "rate_limited", headers: { "Retry-After": "60" } });
  });

  it("counts one account across networks and across spellings of its email", async () => {
    const { throttle } = setUp();
    await throttle.reserve("password", from("192.0.2.1"));
    await throttle.reserve("password", { ...from("192.0.2.2"), email: "owner@example.com" });
    await throttle.reserve("password", from("192.0.2.3"));
    await expect(throttle.reserve("password", from("192.0.2.4"))).rejects.toMatchObject({ status: 429 });
  });

  it("does not count a refused attempt: the longer tier keeps its room while the door is closed", async () => {
    const { throttle, clock } = setUp();
    await throttle.reserve("password", from("192.0.2.1"));
    await throttle.reserve("password", from("192.0.2.1"));
    for (let hammering = 0; hammering < 5; hammering += 1) await expect(throttle.reserve("password", from("192.0.2.1"))).rejects.toMatchObject({ status: 429 });
    clock.advance(minute + 1);
    // Two of the account's three are used; the refused ones did not count.
    await throttle.reserve("password", from("192.0.2.1"));
    await expect(throttle.reserve("password", from("192.0.2.9"))).rejects.toMatchObject({ status: 429 });
  });

  it("takes back an attempt that was refunded (not a failure)", async () => {
    const { throttle } = setUp();
    for (let success = 0; success < 5; success += 1) await (await throttle.reserve("password", from("192.0.2.1"))).refund();
    await throttle.reserve("password", from("192.0.2.1"));
    await throttle.reserve("password", from("192.0.2.1"));
  });

  it("counts a known device apart: the strangers' used-up budget does not touch it", async () => {
    const { throttle } = setUp();
    for (const network of ["192.0.2.1", "192.0.2.2", "192.0.2.3"]) await throttle.reserve("password", from(network));
    await expect(throttle.reserve("password", from("192.0.2.4"))).rejects.toMatchObject({ status: 429 });
    await throttle.reserve("password", from("192.0.2.4", "device-1"));
  });

  it("says through ensureOpen that a budget is used up, counting nothing", async () => {
    const { throttle } = setUp();
    await throttle.ensureOpen("password", from("192.0.2.1"));
    await throttle.reserve("password", from("192.0.2.1"));
    await throttle.ensureOpen("password", from("192.0.2.1"));
    await throttle.reserve("password", from("192.0.2.1"));
    await expect(throttle.ensureOpen("password", from("192.0.2.1"))).rejects.toMatchObject({ status: 429 });
  });

  it("forgets an account's stranger counters after a reset", async () => {
    const { throttle } = setUp();
    for (const network of ["192.0.2.1", "192.0.2.2", "192.0.2.3"]) await throttle.reserve("password", from(network));
    await throttle.clearAccount("owner@example.com", ["password"], "192.0.2.3");
    await throttle.reserve("password", from("192.0.2.3"));
  });

  it("counts nothing for an action without tiers in a scope (reset codes have no account-wide budget)", async () => {
    const { throttle } = setUp();
    await throttle.reserve("resetCode", from("192.0.2.1"));
    await expect(throttle.reserve("resetCode", from("192.0.2.1"))).rejects.toMatchObject({ status: 429 });
    await throttle.reserve("resetCode", from("192.0.2.2"));
  });
});

describe("the client network", () => {
  it("is the address for IPv4, also when written as an IPv4-mapped IPv6 address", () => {
    expect(clientNetworkOf("203.0.113.7")).toBe("203.0.113.7");
    expect(clientNetworkOf("::ffff:203.0.113.7")).toBe("203.0.113.7");
  });

  it("is the /64 for IPv6: one household's addresses share a budget", () => {
    expect(clientNetworkOf("2001:db8:1:2:aaaa::1")).toBe("2001:db8:1:2::/64");
    expect(clientNetworkOf("2001:db8:1:2:ffff:ffff:ffff:ffff")).toBe("2001:db8:1:2::/64");
    expect(clientNetworkOf("2001:db8::1")).toBe("2001:db8:0:0::/64");
    expect(clientNetworkOf("2001:db8:1:3::1")).not.toBe(clientNetworkOf("2001:db8:1:2::1"));
  });

  it("is one shared network for an address it cannot read", () => {
    expect(clientNetworkOf(undefined)).toBe("unknown");
    expect(clientNetworkOf("not an address")).toBe("unknown");
  });
});

describe("the device cookie", () => {
  const keys = ["k".repeat(32), "old-key".padEnd(32, "0")];
  const devices = createKnownDevices({ cookie: { name: "tobira", keys, secure: false, names: localCookieNames } });

  /** The cookie a sign-in sets, as a browser sends it back. */
  function signInOn(cookieHeader: string | undefined, email: string): string {
    let set = "";
    const req = {
      headers: { cookie: cookieHeader },
      res: { headersSent: false, cookie: (name: string, value: string) => (set = `${name}=${value}`) },
    } as unknown as Request;
    devices.remember(req, email);
    return set;
  }
  const request = (cookie: string | undefined) => ({ headers: { cookie } }) as unknown as Request;

  it("names the accounts signed in on this browser, and only those", () => {
    const cookie = signInOn(undefined, "owner@example.com");
    expect(cookie.startsWith(`${knownDeviceCookieName}=`)).toBe(true);
    expect(devices.deviceFor(request(cookie), "Owner@Example.com")).toEqual(expect.any(String));
    expect(devices.deviceFor(request(cookie), "someone-else@example.com")).toBeUndefined();
  });

  it("keeps the device id and adds an account at the next sign-in", () => {
    const first = signInOn(undefined, "a@example.com");
    const second = signInOn(first, "b@example.com");
    expect(devices.deviceFor(request(second), "a@example.com")).toBe(devices.deviceFor(request(first), "a@example.com"));
    expect(devices.deviceFor(request(second), "b@example.com")).toBeDefined();
  });

  it("ignores a cookie whose payload or signature was changed", () => {
    const cookie = signInOn(undefined, "owner@example.com");
    const [name, value] = cookie.split("=") as [string, string];
    const [payload, signature] = value.split(".") as [string, string];
    const forged = Buffer.from(JSON.stringify({ d: "attacker", a: JSON.parse(Buffer.from(payload, "base64url").toString()).a })).toString("base64url");
    expect(devices.deviceFor(request(`${name}=${forged}.${signature}`), "owner@example.com")).toBeUndefined();
    expect(devices.deviceFor(request(`${name}=${payload}.${signature.replace(/^./, (c) => (c === "A" ? "B" : "A"))}`), "owner@example.com")).toBeUndefined();
  });

  it("accepts a cookie signed with an older key of COOKIE_KEYS", () => {
    const older = createKnownDevices({ cookie: { name: "tobira", keys: [keys[1]!], secure: false, names: localCookieNames } });
    let set = "";
    older.remember({ headers: {}, res: { headersSent: false, cookie: (n: string, v: string) => (set = `${n}=${v}`) } } as unknown as Request, "owner@example.com");
    expect(devices.deviceFor(request(set), "owner@example.com")).toBeDefined();
  });
});

/** The sign-in's three actions in one record per subject, each with tiers of its own. */
const signInLimits: AccountThrottleLimits = {
  password: {
    knownDevice: [{ limit: 3, windowSeconds: minute }],
    network: [
      { limit: 2, windowSeconds: minute },
      { limit: 3, windowSeconds: hour },
    ],
    account: [{ limit: 10, windowSeconds: hour }],
  },
  signInCode: { knownDevice: [{ limit: 2, windowSeconds: hour }], network: [{ limit: 2, windowSeconds: hour }], account: [{ limit: 3, windowSeconds: hour }] },
  codeSent: { knownDevice: [], network: [{ limit: 2, windowSeconds: hour }], account: [{ limit: 5, windowSeconds: hour }] },
  resetCode: { knownDevice: [], network: [{ limit: 1, windowSeconds: hour }], account: [] },
  resetSent: { knownDevice: [], network: [], account: [] },
};

function setUpCombined() {
  let now = Date.UTC(2030, 0, 1);
  const inner = memoryStore(() => now);
  const writes: string[] = [];
  const store: Store = {
    ...inner,
    addToWindows: (kind, id, adds, keepSeconds) => {
      writes.push(id.split(":").slice(0, 2).join(":"));
      return inner.addToWindows(kind, id, adds, keepSeconds);
    },
  };
  const throttle = createAccountThrottle({ store, limits: signInLimits, now: () => now });
  return { throttle, writes, advance: (seconds: number) => (now += seconds * 1000) };
}

describe("the per-account throttle, every tier of a subject in one record", () => {
  it("reserves in one write per record: the network's and the account's, or the known device's alone", async () => {
    const { throttle, writes } = setUpCombined();
    const attempt = await throttle.reserve("password", from("192.0.2.1"), { alsoOpen: ["signInCode", "codeSent"] });
    expect(writes.sort()).toEqual(["signin:account", "signin:network"]);
    writes.length = 0;
    await attempt.settle({ refund: true, record: ["codeSent"] });
    expect(writes.sort()).toEqual(["signin:account", "signin:network"]);
    writes.length = 0;
    await throttle.reserve("password", from("192.0.2.1", "device-1"), { alsoOpen: ["signInCode"] });
    expect(writes).toEqual(["signin:knownDevice"]);
  });

  it("still counts each tier: past the minute's limit the minute refuses, past the hour's the hour does", async () => {
    const { throttle, advance } = setUpCombined();
    await throttle.reserve("password", from("192.0.2.1"));
    await throttle.reserve("password", from("192.0.2.1"));
    await expect(throttle.reserve("password", from("192.0.2.1"))).rejects.toMatchObject({ status: 429, headers: { "Retry-After": "60" } });
    advance(minute);
    await throttle.reserve("password", from("192.0.2.1"));
    // The minute has room again; the hour's three are used.
    await expect(throttle.reserve("password", from("192.0.2.1"))).rejects.toMatchObject({ status: 429, headers: { "Retry-After": String(hour - minute) } });
  });

  it("ends a window at the clock's boundary: the wait is what is left of it, and then the tier counts from zero", async () => {
    const { throttle, advance } = setUpCombined();
    advance(45);
    await throttle.reserve("password", from("192.0.2.1"));
    await throttle.reserve("password", from("192.0.2.1"));
    await expect(throttle.reserve("password", from("192.0.2.1"))).rejects.toMatchObject({ headers: { "Retry-After": "15" } });
    advance(15);
    await throttle.reserve("password", from("192.0.2.1"));
  });

  it("refuses the password step while the code budget is used up, counting no password attempt", async () => {
    const { throttle } = setUpCombined();
    for (let guess = 0; guess < 2; guess += 1) await throttle.reserve("signInCode", from("192.0.2.1"));
    await expect(throttle.reserve("password", from("192.0.2.1"), { alsoOpen: ["signInCode", "codeSent"] })).rejects.toMatchObject({ status: 429 });
    await expect(throttle.reserve("password", from("192.0.2.1"), { alsoOpen: ["signInCode", "codeSent"] })).rejects.toMatchObject({ status: 429 });
    // The refused password steps took nothing from the password budget (2 a minute).
    await throttle.reserve("password", from("192.0.2.1"));
    await throttle.reserve("password", from("192.0.2.1"));
  });

  it("refuses the password step once the codes sent reach their budget, and settles a sent code into it", async () => {
    const { throttle } = setUpCombined();
    for (let sent = 0; sent < 2; sent += 1) {
      const attempt = await throttle.reserve("password", from("192.0.2.1"), { alsoOpen: ["signInCode", "codeSent"] });
      await attempt.settle({ refund: true, record: ["codeSent"] });
    }
    await expect(throttle.reserve("password", from("192.0.2.1"), { alsoOpen: ["signInCode", "codeSent"] })).rejects.toMatchObject({ status: 429 });
    // Another network still has its own code budget; the account's (5) is not used up.
    await throttle.reserve("password", from("192.0.2.2"), { alsoOpen: ["signInCode", "codeSent"] });
  });

  it("keeps a wrong password counted when settled without a refund", async () => {
    const { throttle } = setUpCombined();
    await (await throttle.reserve("password", from("192.0.2.1"))).settle({ refund: false });
    await (await throttle.reserve("password", from("192.0.2.1"))).settle({ refund: false });
    await expect(throttle.reserve("password", from("192.0.2.1"))).rejects.toMatchObject({ status: 429 });
  });

  it("clears the sign-in's counters after a reset and keeps the reset's own", async () => {
    const { throttle } = setUpCombined();
    await throttle.reserve("password", from("192.0.2.1"));
    await throttle.reserve("password", from("192.0.2.1"));
    await throttle.reserve("resetCode", from("192.0.2.1"));
    await throttle.clearAccount("owner@example.com", ["password", "signInCode", "codeSent"], "192.0.2.1");
    await throttle.reserve("password", from("192.0.2.1"));
    await expect(throttle.reserve("resetCode", from("192.0.2.1"))).rejects.toMatchObject({ status: 429 });
  });
});
