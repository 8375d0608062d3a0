import { useCallback, useEffect, useRef, useState } from "react";

/**
 * Writes (POST, DELETE) for the sign-in, sign-up and password pages, without a data library
 * (see lib/use-request.ts for why). The same shape as the account pages' TanStack mutations, so
 * `useContractForm` takes either.
 */
export interface SubmitCallbacks<Answer> {
  onSuccess?: (answer: Answer) => void;
  onError?: (error: unknown) => void;
}

/** Where the last submit is; `isSuccess` narrows `data` to the answer, as TanStack Query's mutations do. */
export type SubmitStatus<Answer> =
  | { isPending: false; isSuccess: false; isError: false; data: undefined; error: undefined }
  | { isPending: true; isSuccess: false; isError: false; data: undefined; error: undefined }
  | { isPending: false; isSuccess: true; isError: false; data: Answer; error: undefined }
  | { isPending: false; isSuccess: false; isError: true; data: undefined; error: unknown };

export type Submit<Body, Answer> = SubmitStatus<Answer> & {
  /**
   * Sends `body`. Ignored while a request is in flight: a double click or a second Enter never
   * sends a second sign-in (or spends a second code). The callbacks run only while the
   * component is mounted: a page left meanwhile does not act on the answer.
   */
  mutate: (body: Body, callbacks?: SubmitCallbacks<Answer>) => void;
  /** Forgets the last answer or error. */
  reset: () => void;
};

const idle = { isPending: false, isSuccess: false, isError: false, data: undefined, error: undefined } as const;

/**
 * `send` behind a submit button. Never retried: a write repeated behind the person's back could
 * spend a code twice or mail a second one; after a failure the page offers "Try again". Not
 * aborted on unmount either: aborting would not undo a request the server has received, only
 * hide its answer, which an unmounted page ignores anyway.
 */
export function useSubmit<Body, Answer>(send: (body: Body) => Promise<Answer>): Submit<Body, Answer> {
  const [status, setStatus] = useState<SubmitStatus<Answer>>(idle);
  const inFlight = useRef(false);
  const mounted = useRef(true);
  const latestSend = useRef(send);
  latestSend.current = send;

  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  const mutate = useCallback((body: Body, callbacks: SubmitCallbacks<Answer> = {}) => {
    // A ref, not the state: two submits in one event-loop turn both see the state from before either.
    if (inFlight.current) return;
    inFlight.current = true;
    setStatus({ ...idle, isPending: true });
    let sending: Promise<Answer>;
    try {
      sending = latestSend.current(body);
    } catch (error) {
      sending = Promise.reject(error as Error);
    }
    sending.then(
      (data) => {
        inFlight.current = false;
        if (!mounted.current) return;
        setStatus({ ...idle, isSuccess: true, data });
        callbacks.onSuccess?.(data);
      },
      (error: unknown) => {
        inFlight.current = false;
        if (!mounted.current) return;
        setStatus({ ...idle, isError: true, error });
        callbacks.onError?.(error);
      },
    );
  }, []);

  const reset = useCallback(() => setStatus(idle), []);

  return { ...status, mutate, reset };
}
