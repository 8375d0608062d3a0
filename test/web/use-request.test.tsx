import { act, renderHook, waitFor } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { SharedRequest, useRequest, useSharedRequest } from "../../web/lib/use-request";
import { useSubmit } from "../../web/lib/use-submit";
import { deferred } from "./helpers";

/** The sign-in pages' reads and writes without a data library (web/lib/use-request.ts, use-submit.ts). */

describe("useRequest (one read per arrival)", () => {
  it("is pending, then holds the answer", async () => {
    const { result } = renderHook(() => useRequest(() => Promise.resolve("answer")));
    expect(result.current.isPending).toBe(true);
    await waitFor(() => expect(result.current.isSuccess).toBe(true));
    expect(result.current.data).toBe("answer");
  });

  it("holds the error when the read fails", async () => {
    const failure = new Error("down");
    const { result } = renderHook(() => useRequest(() => Promise.reject(failure)));
    await waitFor(() => expect(result.current.isError).toBe(true));
    expect(result.current.error).toBe(failure);
    expect(result.current.data).toBeUndefined();
  });

  it("aborts the read when the component unmounts", () => {
    let signal: AbortSignal | undefined;
    const { unmount } = renderHook(() =>
      useRequest((given) => {
        signal = given;
        return new Promise<never>(() => undefined);
      }),
    );
    expect(signal?.aborted).toBe(false);
    unmount();
    expect(signal?.aborted).toBe(true);
  });

  it("sends nothing while not enabled, and reads once enabled", async () => {
    const fetcher = vi.fn(() => Promise.resolve(1));
    const { result, rerender } = renderHook(({ enabled }) => useRequest(fetcher, { enabled }), { initialProps: { enabled: false } });
    expect(fetcher).not.toHaveBeenCalled();
    rerender({ enabled: true });
    await waitFor(() => expect(result.current.data).toBe(1));
    expect(fetcher).toHaveBeenCalledTimes(1);
  });

  it("reads again on refetch (the person's 'Try again'), never by itself", async () => {
    const fetcher = vi.fn().mockRejectedValueOnce(new Error("down")).mockResolvedValueOnce("back");
    const { result } = renderHook(() => useRequest(fetcher));
    await waitFor(() => expect(result.current.isError).toBe(true));
    expect(fetcher).toHaveBeenCalledTimes(1);
    act(() => result.current.refetch());
    await waitFor(() => expect(result.current.data).toBe("back"));
    expect(fetcher).toHaveBeenCalledTimes(2);
  });
});

describe("SharedRequest (an answer the pages of a visit share)", () => {
  it("asks once for every component that wants the answer at the same time", async () => {
    const fetcher = vi.fn(() => Promise.resolve("config"));
    const request = new SharedRequest(fetcher, { maxAgeMs: Infinity });
    const first = renderHook(() => useSharedRequest(request));
    const second = renderHook(() => useSharedRequest(request));
    await waitFor(() => expect(first.result.current.data).toBe("config"));
    await waitFor(() => expect(second.result.current.data).toBe("config"));
    expect(fetcher).toHaveBeenCalledTimes(1);
  });

  it("shows a kept answer at once, on the first render, without asking while it is fresh", () => {
    const fetcher = vi.fn(() => Promise.resolve("new"));
    const request = new SharedRequest(fetcher, { maxAgeMs: 60_000 });
    request.set("kept");
    const { result } = renderHook(() => useSharedRequest(request));
    expect(result.current.data).toBe("kept");
    expect(fetcher).not.toHaveBeenCalled();
  });

  it("asks again once the kept answer is older than its age, showing the kept one meanwhile", async () => {
    const answer = deferred<string>();
    const request = new SharedRequest(() => answer.promise, { maxAgeMs: 0 });
    request.set("old");
    const { result } = renderHook(() => useSharedRequest(request));
    expect(result.current.data).toBe("old");
    answer.resolve("new");
    await waitFor(() => expect(result.current.data).toBe("new"));
  });

  it("keeps no failure: the next component to mount asks again", async () => {
    const fetcher = vi.fn().mockRejectedValueOnce(new Error("down")).mockResolvedValueOnce("up");
    const request = new SharedRequest(fetcher, { maxAgeMs: Infinity });
    const first = renderHook(() => useSharedRequest(request));
    await waitFor(() => expect(first.result.current.isError).toBe(true));
    const second = renderHook(() => useSharedRequest(request));
    await waitFor(() => expect(second.result.current.data).toBe("up"));
    expect(fetcher).toHaveBeenCalledTimes(2);
  });

  it("does not keep the answer to a request sent before `forget` (what was read signed out stays out)", async () => {
    const before = deferred<string>();
    const fetcher = vi.fn().mockReturnValueOnce(before.promise).mockResolvedValueOnce("after");
    const request = new SharedRequest(fetcher, { maxAgeMs: Infinity });
    const sentBefore = request.load();
    request.forget();
    before.resolve("before");
    await sentBefore;
    expect(request.data).toBeUndefined();
    await expect(request.load()).resolves.toBe("after");
    expect(request.data).toBe("after");
  });
});

describe("useSubmit (a write behind a submit button)", () => {
  it("sends once however often it is asked while the first is in flight (no double submit)", async () => {
    const answer = deferred<string>();
    const send = vi.fn(() => answer.promise);
    const { result } = renderHook(() => useSubmit(send));
    act(() => {
      result.current.mutate("a");
      result.current.mutate("b");
    });
    expect(result.current.isPending).toBe(true);
    expect(send).toHaveBeenCalledTimes(1);
    expect(send).toHaveBeenCalledWith("a");
    await act(async () => answer.resolve("done"));
    expect(result.current.isSuccess).toBe(true);
    expect(result.current.data).toBe("done");
  });

  it("calls onSuccess with the answer, and onError with the failure, then lets the person send again", async () => {
    const failure = new Error("refused");
    const send = vi.fn().mockRejectedValueOnce(failure).mockResolvedValueOnce("ok");
    const onError = vi.fn();
    const onSuccess = vi.fn();
    const { result } = renderHook(() => useSubmit(send));
    act(() => result.current.mutate(1, { onError }));
    await waitFor(() => expect(result.current.isError).toBe(true));
    expect(onError).toHaveBeenCalledWith(failure);
    expect(result.current.error).toBe(failure);
    act(() => result.current.mutate(2, { onSuccess }));
    await waitFor(() => expect(onSuccess).toHaveBeenCalledWith("ok"));
    expect(send).toHaveBeenCalledTimes(2);
  });

  it("does not act on an answer that comes after the page was left", async () => {
    const answer = deferred<string>();
    const onSuccess = vi.fn();
    const { result, unmount } = renderHook(() => useSubmit(() => answer.promise));
    act(() => result.current.mutate(undefined, { onSuccess }));
    unmount();
    await act(async () => answer.resolve("late"));
    expect(onSuccess).not.toHaveBeenCalled();
  });

  it("reports a send that throws at once as a failure, not an exception in the click handler", async () => {
    const failure = new Error("bad input");
    const onError = vi.fn();
    const { result } = renderHook(() =>
      useSubmit(() => {
        throw failure;
      }),
    );
    act(() => result.current.mutate(undefined, { onError }));
    await waitFor(() => expect(onError).toHaveBeenCalledWith(failure));
  });

  it("forgets the last answer on reset", async () => {
    const { result } = renderHook(() => useSubmit(() => Promise.resolve("sent")));
    act(() => result.current.mutate(undefined));
    await waitFor(() => expect(result.current.isSuccess).toBe(true));
    act(() => result.current.reset());
    expect(result.current.isSuccess).toBe(false);
    expect(result.current.data).toBeUndefined();
  });
});
