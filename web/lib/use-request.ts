import { useEffect, useReducer, useRef, useState } from "react";

/**
 * Reads (GET) for the sign-in, sign-up and password pages and the app shell, without a data
 * library: those pages are most first visits, and every kilobyte of JavaScript counts there
 * (README, "Performance of the first visit"). The account, passkey and consent pages keep
 * TanStack Query (web/app/query-pages.tsx). Nothing here retries or re-sends by itself: a failed
 * read shows its error, and `refetch` is the person's click.
 */
export type RequestState<T> = (
  | { isPending: true; isSuccess: false; isError: false; data: undefined; error: undefined }
  | { isPending: false; isSuccess: true; isError: false; data: T; error: undefined }
  | { isPending: false; isSuccess: false; isError: true; data: undefined; error: unknown }
) & {
  /** Asks again (e.g. "Try again"). */
  refetch: () => void;
};

type Status<T> = { status: "pending" } | { status: "success"; data: T } | { status: "error"; error: unknown };

function toState<T>(status: Status<T>, refetch: () => void): RequestState<T> {
  const none = { data: undefined, error: undefined, refetch };
  if (status.status === "pending") return { ...none, isPending: true, isSuccess: false, isError: false };
  if (status.status === "success") return { ...none, isPending: false, isSuccess: true, isError: false, data: status.data };
  return { ...none, isPending: false, isSuccess: false, isError: true, error: status.error };
}

/**
 * One GET per mount of the component (and per `refetch`), never an answer from before: for
 * questions whose answer must be this arrival's (is a sign-in pending? is someone signed in?).
 * Aborted when the component unmounts, or when `enabled` turns false before it is answered.
 */
export function useRequest<T>(fetcher: (signal: AbortSignal) => Promise<T>, options: { enabled?: boolean } = {}): RequestState<T> {
  const enabled = options.enabled ?? true;
  const latestFetcher = useRef(fetcher);
  latestFetcher.current = fetcher;
  const [status, setStatus] = useState<Status<T>>({ status: "pending" });
  const [attempt, refetch] = useReducer((count: number) => count + 1, 0);

  useEffect(() => {
    if (!enabled) return;
    const controller = new AbortController();
    setStatus((current) => (current.status === "pending" ? current : { status: "pending" }));
    latestFetcher.current(controller.signal).then(
      (data) => {
        if (!controller.signal.aborted) setStatus({ status: "success", data });
      },
      (error: unknown) => {
        if (!controller.signal.aborted) setStatus({ status: "error", error });
      },
    );
    return () => controller.abort();
  }, [enabled, attempt]);

  return toState(status, refetch);
}

/**
 * A GET whose answer the pages of one visit share (the BFF's mode, the app waiting for the
 * sign-in): asked once however many components want it, kept for `maxAgeMs`, then asked again
 * on the next mount while the kept answer stays on screen. A failure is not kept: the next
 * mount asks again.
 */
export class SharedRequest<T> {
  #answer: { data: T; at: number } | undefined;
  #inFlight: Promise<T> | undefined;
  /** Bumped by `forget`: an answer to a request sent before it is not kept. */
  #generation = 0;
  readonly #fetcher: () => Promise<T>;
  readonly #maxAgeMs: number;

  constructor(fetcher: () => Promise<T>, options: { maxAgeMs: number }) {
    this.#fetcher = fetcher;
    this.#maxAgeMs = options.maxAgeMs;
  }

  /** The kept answer, however old. */
  get data(): T | undefined {
    return this.#answer?.data;
  }

  /** Whether the kept answer (if any) is older than `maxAgeMs`. */
  get stale(): boolean {
    return this.#answer === undefined || Date.now() - this.#answer.at >= this.#maxAgeMs;
  }

  /** The answer: the one asked for already, if it is in flight; else a new request. */
  load(): Promise<T> {
    if (this.#inFlight !== undefined) return this.#inFlight;
    const generation = this.#generation;
    const settled = () => {
      if (generation === this.#generation) this.#inFlight = undefined;
    };
    this.#inFlight = this.#fetcher().then(
      (data) => {
        if (generation === this.#generation) this.#answer = { data, at: Date.now() };
        settled();
        return data;
      },
      (error: unknown) => {
        settled();
        throw error;
      },
    );
    return this.#inFlight;
  }

  /** Keeps `data` as if the BFF had just answered it (tests, and an answer known otherwise). */
  set(data: T): void {
    this.#answer = { data, at: Date.now() };
  }

  /** Forgets the kept answer, and the answer to a request in flight: the next `load` asks again. */
  forget(): void {
    this.#answer = undefined;
    this.#inFlight = undefined;
    this.#generation += 1;
  }
}

/** A `SharedRequest`'s answer in a component: the kept one at once when there is one, refreshed when stale. */
export function useSharedRequest<T>(request: SharedRequest<T>): RequestState<T> {
  const [status, setStatus] = useState<Status<T>>(() => (request.data === undefined ? { status: "pending" } : { status: "success", data: request.data }));
  const [attempt, refetch] = useReducer((count: number) => count + 1, 0);

  useEffect(() => {
    if (attempt === 0 && !request.stale) return;
    let mounted = true;
    request.load().then(
      (data) => {
        if (mounted) setStatus({ status: "success", data });
      },
      (error: unknown) => {
        // A failed refresh keeps the answer already on screen.
        if (mounted) setStatus((current) => (current.status === "success" ? current : { status: "error", error }));
      },
    );
    return () => {
      mounted = false;
    };
  }, [request, attempt]);

  return toState(status, refetch);
}
