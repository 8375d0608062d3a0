import type { Request } from "express";
import { ApiError } from "../errors";
import { normalisedEmail, type SessionManager } from "../session/session-manager";
import { pendingOf, readWithAnswer, signedInBy, wantWithAnswer, writeWithAnswer } from "../signin/request-records";
import type { SignInService } from "../signin/sign-in-service";
import type { Store } from "../store/store";
import { clientOf, type SecurityEvents } from "./security-events";
import { localeOfIdToken, signInMethodOf } from "./sign-in-method";

/**
 * The sign-in history's events, taken from the sign-in service without changing it: a decorator
 * that records each completed sign-in (code or passkey path) and each refused password or code.
 * A refusal names the account only by the email typed, so a pointer from the address to the
 * account (`security-subject`, kept as long as the history) is written at each sign-in; an address
 * that never signed in has no history to add to.
 *
 * Whether the account has signed in before (for the "new device" mail) is told by that pointer, or,
 * once the address has changed outside Tobira, by `security-account`: the same `{sub}` keyed by the
 * Cognito username, which no address change alters. Both are written with each sign-in's event and
 * kept as long as it, so they are live exactly while a sign-in of the account is in its history. A
 * code's answer reads them with the password-reset check (bff/signin/request-records.ts), and the
 * event, the pointer and the account record are written in one round-trip: with the code's kept
 * answer when there is one (bff/throttle/code-answer-guard.ts), just before the answer leaves.
 */

export const securitySubjectKind = "security-subject";
export const securityAccountKind = "security-account";

const pointerKey = (email: string) => ({ kind: securitySubjectKind, id: normalisedEmail(email) });
/** The records that tell who signs in with `email` and whether `username`'s account signed in before. */
const historyKeys = (email: string, username: string) => [pointerKey(email), { kind: securityAccountKind, id: username }];
const subOf = (record: unknown) => (record as { sub?: string } | undefined)?.sub;

export interface KnownDeviceCheck {
  /** The browser's device id when it signed in to this email's account before (bff/throttle/known-device.ts). */
  deviceFor(req: Request, email: string): string | undefined;
}

export function withSignInEvents(
  signIn: SignInService,
  deps: { events: SecurityEvents; sessions: SessionManager; store: Store; historyTtlSeconds: number; knownDevices?: KnownDeviceCheck },
): SignInService {
  const { events, sessions, store, historyTtlSeconds, knownDevices } = deps;

  /** The records of `keys` as the code's answer read them, or read now in one round-trip. */
  const readRecords = async (req: Request, keys: { kind: string; id: string }[]) => readWithAnswer(req, keys) ?? (await store.getMany(keys));
  const subFor = async (req: Request, email: string) => subOf((await readRecords(req, [pointerKey(email)]))[0]);
  const isKnown = (req: Request, email: string) => (knownDevices === undefined ? undefined : knownDevices.deviceFor(req, email) !== undefined);

  /** After a completed sign-in: the event (a mail when the device is new to an account used before). */
  async function recorded(req: Request, knownBefore: boolean | undefined): Promise<void> {
    // The session this request has just established, not read back from the store.
    const session = signedInBy(req) ?? (await sessions.readAuthenticated(req));
    if (session === undefined) return;
    const keys = historyKeys(session.email, session.username);
    // "New device" needs a device check and an account that has signed in before (not the first sign-in).
    const hadHistory = (await readRecords(req, keys)).some((record) => subOf(record) === session.sub);
    const alongside = keys.map((key) => ({ ...key, value: { sub: session.sub }, options: { ttlSeconds: historyTtlSeconds } }));
    await events.record(
      {
        type: "sign_in_succeeded",
        sub: session.sub,
        email: session.email,
        client: clientOf(req),
        method: signInMethodOf(session.amr) ?? undefined,
        ...(knownBefore === undefined ? {} : { knownDevice: knownBefore, newDevice: !knownBefore && hadHistory }),
        locale: localeOfIdToken(session.tokens.idToken),
      },
      { alongside, writeWith: (records) => writeWithAnswer(req, records) },
    );
  }

  async function refused(req: Request, email: string, method: "password" | "code", knownBefore: boolean | undefined): Promise<void> {
    const sub = await subFor(req, email);
    if (sub === undefined) return;
    await events.record(
      { type: "sign_in_failed", sub, email: "", client: clientOf(req), method, ...(knownBefore === undefined ? {} : { knownDevice: knownBefore }) },
      { writeWith: (records) => writeWithAnswer(req, records) },
    );
  }

  return {
    ...signIn,

    async start(req, input) {
      const knownBefore = isKnown(req, input.email);
      try {
        const answer = await signIn.start(req, input);
        // A trusted device skips the code: the sign-in is already complete.
        if ((answer as { next: string }).next === "done") await recorded(req, knownBefore);
        return answer;
      } catch (error) {
        if (error instanceof ApiError && error.code === "invalid_credentials") await refused(req, input.email, "password", knownBefore);
        throw error;
      }
    },

    async submitCode(req, code, ...rest) {
      const pending = await pendingOf(req, sessions);
      const knownBefore = pending === undefined ? undefined : isKnown(req, pending.email);
      // The history's records ride with the code's answer (the password-reset check reads them).
      if (pending !== undefined) wantWithAnswer(req, historyKeys(pending.email, pending.username));
      try {
        const done = await signIn.submitCode(req, code, ...rest);
        await recorded(req, knownBefore);
        return done;
      } catch (error) {
        if (pending !== undefined && error instanceof ApiError && (error.code === "code_mismatch" || error.code === "challenge_failed")) {
          await refused(req, pending.email, "code", knownBefore);
        }
        throw error;
      }
    },

    async complete(req, user, tokens, amr) {
      const knownBefore = isKnown(req, user.email);
      const done = await signIn.complete(req, user, tokens, amr);
      await recorded(req, knownBefore);
      return done;
    },
  };
}
