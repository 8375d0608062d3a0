import { QueryClient, QueryClientProvider, useMutation } from "@tanstack/react-query";
import { act, renderHook, waitFor } from "@testing-library/react";
import type { ReactNode } from "react";
import { describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { ApiError } from "../../web/lib/api-client";
import { enterEmailSchema } from "../../web/lib/form";
import { useContractForm, type ContractFormOptions } from "../../web/lib/use-contract-form";
import { deferred } from "./helpers";

const fieldIds = { email: "test-email", name: "test-name" };
const schema = z.object({ email: enterEmailSchema, name: z.string().trim().min(1, "Enter your name.") });
type Body = z.infer<typeof schema>;
type Options = ContractFormOptions<keyof typeof fieldIds, Body, string>;

const valid = { email: " Ada@Example.com ", name: "Ada" };

function apiError(code: string, fields?: Record<string, string>) {
  return new ApiError({ code, message: `server text for ${code}`, status: 400, fields });
}

/** The hook over a real TanStack mutation whose answer each test controls. */
function renderForm(mutationFn: (body: Body) => Promise<string>, extra: Partial<Pick<Options, "onSuccess" | "onError" | "beforeRequest" | "fieldErrorsFor">> = {}) {
  const queryClient = new QueryClient({ defaultOptions: { mutations: { retry: false } } });
  const wrapper = ({ children }: { children: ReactNode }) => <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>;
  const onSuccess = vi.fn<Options["onSuccess"]>();
  const view = renderHook(
    ({ values }: { values: Record<keyof typeof fieldIds, string> }) =>
      useContractForm({ fieldIds, schema, values, mutation: useMutation({ mutationFn }), onSuccess, ...extra }),
    { wrapper, initialProps: { values: valid } },
  );
  const submit = async () => {
    const event = { preventDefault: vi.fn() };
    await act(async () => view.result.current.onSubmit(event));
    return event;
  };
  return { ...view, submit, onSuccess };
}

describe("useContractForm", () => {
  it("sends the body the schema parsed and hands the answer and the body to onSuccess", async () => {
    const mutationFn = vi.fn(async (_body: Body) => "done");
    const beforeRequest = vi.fn();
    const { submit, onSuccess, result } = renderForm(mutationFn, { beforeRequest });

    const event = await submit();

    expect(event.preventDefault).toHaveBeenCalled();
    const body = { email: "ada@example.com", name: "Ada" };
    expect(beforeRequest).toHaveBeenCalledWith(body);
    await waitFor(() => expect(onSuccess).toHaveBeenCalledWith("done", body));
    expect(mutationFn.mock.calls[0]?.[0]).toEqual(body);
    expect(result.current.failure).toBeNull();
  });

  it("stops an invalid submit before the request, with one message per field in the form's order", async () => {
    const mutationFn = vi.fn(async () => "done");
    const beforeRequest = vi.fn();
    const { submit, result, rerender } = renderForm(mutationFn, { beforeRequest });
    rerender({ values: { email: "ada@", name: " " } });

    await submit();

    expect(result.current.fieldErrors).toEqual({ email: "Enter a valid email address.", name: "Enter your name." });
    expect(result.current.summaryLinks).toEqual([
      { fieldId: "test-email", message: "Enter a valid email address." },
      { fieldId: "test-name", message: "Enter your name." },
    ]);
    expect(result.current.failure).toEqual({ attempt: 1, error: undefined });
    expect(beforeRequest).not.toHaveBeenCalled();
    expect(mutationFn).not.toHaveBeenCalled();
  });

  it("puts the messages of the error's fields on this form's fields and drops the others", async () => {
    const error = apiError("bad_request", { email: "Enter a valid email address.", "": "Bad body.", password: "Not a field here." });
    const { submit, result } = renderForm(() => Promise.reject(error));

    await submit();

    await waitFor(() => expect(result.current.failure).toEqual({ attempt: 1, error }));
    expect(result.current.fieldErrors).toEqual({ email: "Enter a valid email address." });
    expect(result.current.summaryLinks).toEqual([{ fieldId: "test-email", message: "Enter a valid email address." }]);
  });

  it("lets the feature's field messages for an error code win over the error's fields", async () => {
    const error = apiError("name_taken", { name: "server text", email: "Enter a valid email address." });
    const fieldErrorsFor = (failed: unknown) => (failed instanceof ApiError && failed.code === "name_taken" ? { name: "Pick another name." } : undefined);
    const { submit, result } = renderForm(() => Promise.reject(error), { fieldErrorsFor });

    await submit();

    await waitFor(() => expect(result.current.fieldErrors).toEqual({ email: "Enter a valid email address.", name: "Pick another name." }));
  });

  it("clears the failure and the field messages when a valid submit is sent again, and counts each failure", async () => {
    const second = deferred<string>();
    const answers = [() => Promise.reject(apiError("bad_request", { name: "Enter your name." })), () => second.promise];
    const { submit, result } = renderForm(() => answers.shift()?.() ?? Promise.reject(new Error("no more answers")));

    await submit();
    await waitFor(() => expect(result.current.failure?.attempt).toBe(1));
    expect(result.current.fieldErrors).toEqual({ name: "Enter your name." });

    await submit();

    expect(result.current.failure).toBeNull();
    expect(result.current.fieldErrors).toEqual({});
    expect(result.current.summaryLinks).toEqual([]);
    await act(async () => second.resolve("done"));
    expect(result.current.failure).toBeNull();
  });

  it("counts failed submits in a row, so the same message a second time is a new attempt", async () => {
    const { submit, result, rerender } = renderForm(vi.fn(async () => "done"));
    rerender({ values: { email: "", name: "Ada" } });

    await submit();
    await submit();

    expect(result.current.failure).toEqual({ attempt: 2, error: undefined });
  });

  it("is pending while the request is in flight and ignores a second submit meanwhile", async () => {
    const answer = deferred<string>();
    const mutationFn = vi.fn(() => answer.promise);
    const { submit, result, onSuccess } = renderForm(mutationFn);
    expect(result.current.pending).toBe(false);

    await submit();
    await waitFor(() => expect(result.current.pending).toBe(true));
    await submit();

    expect(mutationFn).toHaveBeenCalledTimes(1);
    await act(async () => answer.resolve("done"));
    await waitFor(() => expect(result.current.pending).toBe(false));
    expect(onSuccess).toHaveBeenCalledTimes(1);
  });

  it("shows an error of an unexpected shape as a failure with no field messages", async () => {
    // Not an ApiError: its `fields` are not the contract's and are not read.
    const error = Object.assign(new TypeError("boom"), { fields: { email: "from nowhere" } });
    const { submit, result } = renderForm(() => Promise.reject(error));

    await submit();

    await waitFor(() => expect(result.current.failure).toEqual({ attempt: 1, error }));
    expect(result.current.fieldErrors).toEqual({});
    expect(result.current.summaryLinks).toEqual([]);
  });

  it("shows nothing when the feature's onError has handled the error itself", async () => {
    const error = apiError("session_expired", { name: "Enter your name." });
    const onError = vi.fn((_error: unknown) => "handled" as const);
    const { submit, result } = renderForm(() => Promise.reject(error), { onError });

    await submit();

    await waitFor(() => expect(onError).toHaveBeenCalledWith(error));
    expect(result.current.failure).toBeNull();
    expect(result.current.fieldErrors).toEqual({});
  });

  it("still shows the error when onError only did its own part (e.g. cleared a spent code)", async () => {
    const error = apiError("code_mismatch");
    const onError = vi.fn();
    const { submit, result } = renderForm(() => Promise.reject(error), { onError });

    await submit();

    await waitFor(() => expect(result.current.failure).toEqual({ attempt: 1, error }));
    expect(onError).toHaveBeenCalledWith(error);
  });

  it("forgets the messages on reset", async () => {
    const { submit, result, rerender } = renderForm(vi.fn(async () => "done"));
    rerender({ values: { email: "", name: "" } });
    await submit();
    expect(result.current.failure).not.toBeNull();

    act(() => result.current.reset());

    expect(result.current.failure).toBeNull();
    expect(result.current.fieldErrors).toEqual({});
  });
});
