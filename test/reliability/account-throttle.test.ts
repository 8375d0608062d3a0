import type { PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultAccountThrottleLimits } from "../../bff/config/account-throttle-limits";
import { knownDeviceCookieName } from "../../bff/throttle/known-device";
import type { HttpClient } from "../support/http-client";
import { SoftwareAuthenticator } from "../support/software-authenticator";
import { errorOf, signIn, signUpConfirmed, sleep, strongPassword, uniqueEmail } from "./support/flows";
import { startReliabilityStack, type ReliabilityStack } from "./support/reliability-stack";

/**
 * Per-account throttling with the real limits (bff/config/account-throttle-limits.ts; README,
 * "Limits, deadlines and outages"): a stranger who knows the password gets a fixed number of
 * code guesses per account per day whatever addresses they use, and no more mail; a stranger who
 * guesses passwords is slowed, and the answers do not tell whether the account exists. The owner
 * meanwhile signs in from a browser used before, with a passkey, or after a password reset.
 */

const codeCap = defaultAccountThrottleLimits.signInCode.account[0]!.limit;
const passwordCap = defaultAccountThrottleLimits.password.account[0]!.limit;

describe("per-account throttling", () => {
  let stack: ReliabilityStack;
  let address = 0;
  /** A client from an address never seen before (the BFF trusts one proxy hop). */
  const stranger = () => {
    address += 1;
    return stack.client({ "x-forwarded-for": `203.0.${Math.floor(address / 250)}.${address % 250}` });
  };

  beforeAll(async () => {
    stack = await startReliabilityStack({ env: { TRUST_PROXY: "1" } });
  });
  afterAll(() => stack.close());

  /** A code that is wrong and differs from every other guess (a repeated guess is not judged again). */
  function guesses(real: string): () => string {
    let next = 0;
    return () => {
      let guess: string;
      do {
        guess = String(100000 + ((Number(real) + 1 + next * 7919) % 900000));
        next += 1;
      } while (guess === real);
      return guess;
    };
  }

  async function registerPasskey(owner: HttpClient): Promise<SoftwareAuthenticator> {
    const authenticator = new SoftwareAuthenticator(new URL(stack.config.publicUrl).origin);
    const options = await owner.post<PublicKeyCredentialCreationOptionsJSON>("/api/passkeys/options", {});
    expect(options.status, options.text).toBe(200);
    const registered = await owner.post("/api/passkeys", { credential: authenticator.register(options.body) });
    expect(registered.status, registered.text).toBe(201);
    return authenticator;
  }

  it(`caps a stranger who knows the password at ${codeCap} code guesses per account a day, whatever the addresses, while the owner signs in`, async () => {
    const email = await signUpConfirmed(stack);
    // The owner signed in on this browser before: it holds the device cookie for the account.
    const owner = stack.client({ "x-forwarded-for": "198.51.100.7" });
    await signIn(stack, owner, email);
    expect(owner.cookie(knownDeviceCookieName)).toBeDefined();
    const authenticator = await registerPasskey(owner);

    let judged = 0;
    let refusedAt: "password" | "code" | undefined;
    const mailsBefore = (await stack.outbox(email)).length;
    for (let signIns = 0; signIns < 8 && refusedAt === undefined; signIns += 1) {
      const attacker = stranger();
      const started = await attacker.post("/api/signin", { email, password: strongPassword });
      if (started.status === 429) {
        refusedAt = "password";
        break;
      }
      expect(started.status, started.text).toBe(200);
      const sent = await attacker.post("/api/signin/otp/send", {});
      expect(sent.status, sent.text).toBe(200);
      const guess = guesses(await stack.latestCode(email));
      for (let round = 0; round < 3; round += 1) {
        const answer = await attacker.post("/api/signin/otp", { code: guess() });
        if (answer.status === 429) {
          expect(errorOf(answer).code).toBe("rate_limited");
          expect(Number(answer.headers.get("retry-after"))).toBeGreaterThan(0);
          refusedAt = "code";
          break;
        }
        expect(["code_mismatch", "challenge_failed"]).toContain(errorOf(answer).code);
        judged += 1;
        if (answer.status === 401) break;
      }
    }
    expect(judged).toBe(codeCap);
    expect(refusedAt).toBeDefined();

    // No further sign-in from anywhere new sends the owner a code to guess.
    const mails = (await stack.outbox(email)).length;
    const again = await stranger().post("/api/signin", { email, password: strongPassword });
    expect(again.status).toBe(429);
    expect(errorOf(again).code).toBe("rate_limited");
    expect((await stack.outbox(email)).length).toBe(mails);
    expect(mails - mailsBefore).toBeLessThanOrEqual(Math.ceil(codeCap / 3) + 1);

    // The owner: password and code from the known browser…
    const choice = await owner.post("/api/signin", { email, password: strongPassword });
    expect(choice.status, choice.text).toBe(200);
    expect((await owner.post("/api/signin/otp/send", {})).status).toBe(200);
    const done = await owner.post("/api/signin/otp", { code: await stack.latestCode(email) });
    expect(done.status, done.text).toBe(200);

    // …a passkey from anywhere…
    const elsewhere = stranger();
    const options = await elsewhere.post<PublicKeyCredentialRequestOptionsJSON>("/api/signin/passkey/options", {});
    const byPasskey = await elsewhere.post("/api/signin/passkey", { credential: authenticator.authenticate(options.body) });
    expect(byPasskey.status, byPasskey.text).toBe(200);

    // …and a password reset, after which a new browser signs in again.
    const newBrowser = stranger();
    expect((await newBrowser.post("/api/password/forgot", { email })).status).toBe(200);
    const reset = await newBrowser.post("/api/password/reset", { email, code: await stack.latestCode(email), password: "Another-Horse-7" });
    expect(reset.status, reset.text).toBe(200);
    const fresh = await newBrowser.post("/api/signin", { email, password: "Another-Horse-7" });
    expect(fresh.status, fresh.text).toBe(200);
  });

  it(`slows wrong passwords per account (${passwordCap} an hour from strangers), alike for unknown accounts, and the owner's browser is not slowed`, async () => {
    const email = await signUpConfirmed(stack);
    const owner = stack.client({ "x-forwarded-for": "198.51.100.8" });
    await signIn(stack, owner, email);
    const unknown = uniqueEmail("nobody");

    const statuses = async (target: string) => {
      const seen: number[] = [];
      for (let attempt = 0; attempt < passwordCap + 1; attempt += 1) {
        seen.push((await stranger().post("/api/signin", { email: target, password: "Wrong-Horse-1" })).status);
      }
      return seen;
    };
    const forKnown = await statuses(email);
    const forUnknown = await statuses(unknown);
    expect(forKnown).toEqual([...Array<number>(passwordCap).fill(401), 429]);
    expect(forUnknown).toEqual(forKnown);

    // Cognito saw only the strangers' budget, under its own lockout: the owner's browser signs in.
    const mine = await owner.post("/api/signin", { email, password: strongPassword });
    expect(mine.status, mine.text).toBe(200);
    // Forgot-password is never the stranger's to close for the owner.
    expect((await stack.client({ "x-forwarded-for": "198.51.100.9" }).post("/api/password/forgot", { email })).status).toBe(200);
  });

  it("escalates one network's wrong passwords: the fourth within a minute waits, and says how long", async () => {
    const email = uniqueEmail("target");
    const attacker = stranger();
    const seen: number[] = [];
    let last;
    for (let attempt = 0; attempt < 4; attempt += 1) {
      last = await attacker.post("/api/signin", { email, password: "Wrong-Horse-1" });
      seen.push(last.status);
    }
    expect(seen).toEqual([401, 401, 401, 429]);
    const wait = Number(last!.headers.get("retry-after"));
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(60);
    // A refused attempt costs nothing more: the wait does not grow while the door is closed.
    await sleep(50);
    const refusedAgain = await attacker.post("/api/signin", { email, password: "Wrong-Horse-1" });
    expect(Number(refusedAgain.headers.get("retry-after"))).toBeLessThanOrEqual(wait);
  });
});
