import { useState } from "react";
import type * as z from "zod/mini";
import { isApiError, isConnectionFailure } from "./api-client";
import { localizeServerFieldMessage, pickFieldErrors, summaryFieldErrors, validateForm, type FieldErrors, type SummaryLink } from "./form";

/** A failed submit: `error` is undefined when the form's own validation stopped it. */
export interface FormFailure {
  /** Counts failed submits: the error summary is keyed on it, so a repeated error is announced again. */
  attempt: number;
  error?: unknown;
  /**
   * Sends the same values again: offered only when no answer came (offline, a dropped
   * connection, a timeout). Requests are never re-sent by themselves; this is the person's click.
   */
  retry?: () => void;
}

/** What the hook needs of the feature's API call (the TanStack mutation from its `api/` file). */
export interface FormMutation<Body, Answer> {
  isPending: boolean;
  mutate: (body: Body, callbacks: { onSuccess: (answer: Answer) => void; onError: (error: unknown) => void }) => void;
}

export interface ContractFormOptions<K extends string, Body, Answer> {
  /** The form's fields, each with its input's id, in the order the error summary lists them. */
  fieldIds: Readonly<Record<K, string>>;
  /** Turns the typed values into the request body; built from the contract's schemas, so the SPA and the BFF agree. */
  schema: z.core.$ZodType<Body>;
  /** What is in the inputs now. */
  values: Readonly<Record<NoInfer<K>, unknown>>;
  mutation: FormMutation<NoInfer<Body>, Answer>;
  /** Runs once the values are valid, just before the request. */
  beforeRequest?: (body: Body) => void;
  onSuccess: (answer: Answer, body: Body) => void;
  /**
   * Runs first when the request fails (e.g. to clear a spent code). Return "handled" when it has
   * dealt with the error itself (e.g. left the page): the form then shows nothing.
   */
  onError?: (error: unknown) => "handled" | void;
  /**
   * Field messages the feature reads from an error's code (e.g. a wrong code marks the code
   * field). They are added to the error's own `fields` (the contract's shape) and win over them.
   */
  fieldErrorsFor?: (error: unknown) => Readonly<Record<string, string>> | undefined;
}

export interface ContractForm<K extends string> {
  /** A message per field, from the form's validation or the API's answer. */
  fieldErrors: FieldErrors<K>;
  /** The last failed submit, for FormErrorSummary; null before any and while a valid submit is sent. */
  failure: FormFailure | null;
  /** The summary's links to the fields in error, in the form's field order. */
  summaryLinks: SummaryLink[];
  /** The request is in flight (the submit button shows it; a second submit is ignored). */
  pending: boolean;
  onSubmit: (event: { preventDefault(): void }) => void;
  /** Forgets the messages (e.g. when a form is opened again). */
  reset: () => void;
}

/**
 * The submit of every form that posts to the JSON API: validate with the contract's schema,
 * send, and keep what the page shows on failure — field messages (from validation or from the
 * error's `fields`) and the failure the error summary announces (WCAG 3.3.1).
 */
export function useContractForm<K extends string, Body, Answer>(options: ContractFormOptions<K, Body, Answer>): ContractForm<K> {
  const { fieldIds, schema, values, mutation } = options;
  const [fieldErrors, setFieldErrors] = useState<FieldErrors<K>>({});
  const [failure, setFailure] = useState<FormFailure | null>(null);

  const fail = (error?: unknown, retry?: () => void) => setFailure((previous) => ({ attempt: (previous?.attempt ?? 0) + 1, error, ...(retry ? { retry } : {}) }));

  const send = (body: Body) => {
    setFieldErrors({});
    setFailure(null);
    options.beforeRequest?.(body);
    mutation.mutate(body, {
      onSuccess: (answer) => options.onSuccess(answer, body),
      onError: (error) => {
        if (options.onError?.(error) === "handled") return;
        // Keys that are not fields of this form (e.g. "" for the body as a whole) are dropped.
        const fields = { ...serverFieldMessages(error), ...options.fieldErrorsFor?.(error) };
        setFieldErrors(pickFieldErrors(fieldIds, fields));
        fail(error, isConnectionFailure(error) ? () => send(body) : undefined);
      },
    });
  };

  const onSubmit = (event: { preventDefault(): void }) => {
    event.preventDefault();
    if (mutation.isPending) return;
    const result = validateForm(schema, values);
    if (!result.ok) {
      setFieldErrors(pickFieldErrors(fieldIds, result.errors));
      fail();
      return;
    }
    send(result.data);
  };

  const reset = () => {
    setFieldErrors({});
    setFailure(null);
  };

  return {
    fieldErrors,
    failure,
    summaryLinks: summaryFieldErrors(fieldIds, fieldErrors),
    pending: mutation.isPending,
    onSubmit,
    reset,
  };
}

/** The BFF's field messages of an ApiError, in the active language. */
function serverFieldMessages(error: unknown): Record<string, string> {
  if (!isApiError(error) || error.fields === undefined) return {};
  return Object.fromEntries(Object.entries(error.fields).map(([field, message]) => [field, localizeServerFieldMessage(message)]));
}
