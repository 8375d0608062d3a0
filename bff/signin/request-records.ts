import type { Request } from "express";
import type { SessionManager } from "../session/session-manager";
import type { AuthenticatedSession, PendingSignIn } from "../session/session-records";
import type { Store } from "../store/store";

/**
 * What one sign-in request has already read or written, so that its steps — the code-answer
 * guard, the per-account throttle, the sign-in itself and its history — do not each ask the store
 * again for the same record. One object per request, kept beside it (nothing outlives the request).
 *
 * The pending sign-in as first read is right for what does not change during an attempt (its
 * email, its user), and as the first guess of a versioned write (SessionManager.updatePending
 * checks the version and reads again on a conflict); anything that depends on its current state
 * reads it again.
 */

export interface RecordKey {
  kind: string;
  id: string;
}
const keyName = ({ kind, id }: RecordKey) => `${kind}#${id}`;

type WrittenRecord = Parameters<Store["putMany"]>[0][number];

/** One request's records, made when it first records something (reads only look). */
interface RequestRecords {
  /** The pending sign-in as this request last read it; absent until it reads it (undefined: none pending). */
  pending?: { value: PendingSignIn | undefined };
  /** The signed-in session this request established. */
  signedIn?: AuthenticatedSession;
  /** Keys to read along with the code's answer (wantWithAnswer), until the reader takes them. */
  wantedWithAnswer: RecordKey[];
  /** What was read along with the answer, by key name. */
  readWithAnswer: Map<string, unknown>;
  /** Records to write in the answer's batch; absent while no batch is open. */
  writesWithAnswer?: WrittenRecord[];
}

const byRequest = new WeakMap<Request, RequestRecords>();

function recordsOf(req: Request): RequestRecords {
  let records = byRequest.get(req);
  if (records === undefined) {
    records = { wantedWithAnswer: [], readWithAnswer: new Map() };
    byRequest.set(req, records);
  }
  return records;
}

/**
 * Asks for records a later step of this request will need to be read with the code's answer
 * (the pending sign-in's password-reset check, sign-in-service.ts), in its round-trip: a step
 * that finds them with `readWithAnswer` reads nothing itself. Only keys known before the answer
 * (from the pending sign-in) can ride along.
 */
export function wantWithAnswer(req: Request, keys: readonly RecordKey[]): void {
  recordsOf(req).wantedWithAnswer.push(...keys);
}

/** The keys asked for with wantWithAnswer, once: the reader takes them. */
export function takeWantedWithAnswer(req: Request): RecordKey[] {
  const records = byRequest.get(req);
  if (records === undefined) return [];
  const keys = records.wantedWithAnswer;
  records.wantedWithAnswer = [];
  return keys;
}

/** Records what was read for those keys (values in their order, undefined for absent records). */
export function rememberReadWithAnswer(req: Request, keys: readonly RecordKey[], values: readonly unknown[]): void {
  const read = recordsOf(req).readWithAnswer;
  keys.forEach((key, index) => read.set(keyName(key), values[index]));
}

/** The values of `keys` as read with the answer, or undefined when any of them was not read then. */
export function readWithAnswer(req: Request, keys: readonly RecordKey[]): unknown[] | undefined {
  const read = byRequest.get(req)?.readWithAnswer;
  if (read === undefined || !keys.every((key) => read.has(keyName(key)))) return undefined;
  return keys.map((key) => read.get(keyName(key)));
}

/** This request's pending sign-in as first read (one store read per request). */
export async function pendingOf(req: Request, sessions: Pick<SessionManager, "readPending">): Promise<PendingSignIn | undefined> {
  const known = byRequest.get(req)?.pending;
  if (known !== undefined) return known.value;
  const pending = await sessions.readPending(req);
  rememberPending(req, pending);
  return pending;
}

/**
 * Opens a batch of records written in one round-trip just before this request's answer leaves,
 * with the code-answer guard's kept answer (bff/throttle/code-answer-guard.ts).
 */
export function openWritesWithAnswer(req: Request): void {
  recordsOf(req).writesWithAnswer = [];
}

/**
 * Queues `records` for that batch; false when none is open (the caller writes them itself). Like
 * the kept answer, they are not written when the answer had to leave without them (the API
 * deadline answered first), nor if the batch fails (logged).
 */
export function writeWithAnswer(req: Request, records: readonly WrittenRecord[]): boolean {
  const queued = byRequest.get(req)?.writesWithAnswer;
  if (queued === undefined) return false;
  queued.push(...records);
  return true;
}

/** Takes the records queued for the answer's batch, closing it. */
export function takeWritesWithAnswer(req: Request): WrittenRecord[] {
  const records = byRequest.get(req);
  const queued = records?.writesWithAnswer ?? [];
  delete records?.writesWithAnswer;
  return queued;
}

/** Records a newer read of the pending sign-in made by this request. */
export function rememberPending(req: Request, pending: PendingSignIn | undefined): void {
  recordsOf(req).pending = { value: pending };
}

/** The pending sign-in this request has read, if it has (no store read). */
export function pendingReadBy(req: Request): PendingSignIn | undefined {
  return byRequest.get(req)?.pending?.value;
}

/** Records the signed-in session this request has just established. */
export function rememberSignedIn(req: Request, session: AuthenticatedSession): void {
  recordsOf(req).signedIn = session;
}

/** The signed-in session this request established, if it did (no store read). */
export function signedInBy(req: Request): AuthenticatedSession | undefined {
  return byRequest.get(req)?.signedIn;
}
