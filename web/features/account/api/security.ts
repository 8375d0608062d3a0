import { queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import * as z from "zod/mini";
import {
  accountOverviewResponseSchema,
  accountSessionsResponseSchema,
  changeEmailResponseSchema,
  changePasswordResponseSchema,
  logoutResponseSchema,
  securityHistoryResponseSchema,
  verifyEmailResponseSchema,
  type ChangeEmailRequest,
  type ChangePasswordRequest,
  type DeleteAccountRequest,
  type VerifyEmailRequest,
} from "../../../../common/api-contract";
import { apiClient } from "../../../lib/api-client";
import { sessionQueryKey } from "../../../lib/query/session";

/**
 * The account security centre's calls (docs/architecture.md, "The JSON API"): the overview, the
 * password, the email address, where you're signed in, the history, and deleting the account.
 */

export const accountQueryKeys = {
  overview: ["account", "overview"] as const,
  sessions: ["account", "sessions"] as const,
  history: ["account", "history"] as const,
};

export function useAccountOverview(options: { enabled?: boolean } = {}) {
  return useQuery({
    ...queryOptions({ queryKey: accountQueryKeys.overview, queryFn: ({ signal }) => apiClient.get("/api/account", accountOverviewResponseSchema, { signal }) }),
    enabled: options.enabled ?? true,
  });
}

export function useAccountSessions(options: { enabled?: boolean } = {}) {
  return useQuery({
    ...queryOptions({ queryKey: accountQueryKeys.sessions, queryFn: ({ signal }) => apiClient.get("/api/account/sessions", accountSessionsResponseSchema, { signal }) }),
    enabled: options.enabled ?? true,
  });
}

export function useSecurityHistory(options: { enabled?: boolean } = {}) {
  return useQuery({
    ...queryOptions({ queryKey: accountQueryKeys.history, queryFn: ({ signal }) => apiClient.get("/api/account/history", securityHistoryResponseSchema, { signal }) }),
    enabled: options.enabled ?? true,
  });
}

/** After a change: the account's lists and overview are read again. */
function useRefreshingMutation<TInput, TOutput>(mutationFn: (input: TInput) => Promise<TOutput>, keys: readonly (readonly string[])[]) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn,
    onSuccess: () => Promise.all(keys.map((queryKey) => queryClient.invalidateQueries({ queryKey }))),
  });
}

export const useChangePassword = () =>
  useRefreshingMutation(
    (body: ChangePasswordRequest) => apiClient.post("/api/account/password", body, changePasswordResponseSchema),
    [accountQueryKeys.sessions, accountQueryKeys.history],
  );

export const useChangeEmail = () =>
  useRefreshingMutation((body: ChangeEmailRequest) => apiClient.post("/api/account/email", body, changeEmailResponseSchema), [accountQueryKeys.overview]);

export const useResendEmailCode = () => useMutation({ mutationFn: () => apiClient.post("/api/account/email/resend", {}, changeEmailResponseSchema) });

export const useVerifyEmail = () =>
  useRefreshingMutation(
    (body: VerifyEmailRequest) => apiClient.post("/api/account/email/verify", body, verifyEmailResponseSchema),
    [accountQueryKeys.overview, accountQueryKeys.history, sessionQueryKey, ["account", "claims"]],
  );

export const useSignOutSession = () =>
  useRefreshingMutation(
    (id: string) => apiClient.delete(`/api/account/sessions/${encodeURIComponent(id)}`, z.undefined()),
    [accountQueryKeys.sessions, accountQueryKeys.history],
  );

export const useForgetTrustedDevice = () =>
  useRefreshingMutation(
    (id: string) => apiClient.delete(`/api/account/trusted-devices/${encodeURIComponent(id)}`, z.undefined()),
    [accountQueryKeys.sessions, accountQueryKeys.history],
  );

/** Ends every session, this one too: the caller leaves the page with the answer's `redirectTo`. */
export const useSignOutEverywhere = () => useMutation({ mutationFn: () => apiClient.post("/api/account/sign-out-everywhere", {}, logoutResponseSchema) });

export const useDeleteAccount = () => useMutation({ mutationFn: (body: DeleteAccountRequest) => apiClient.post("/api/account/delete", body, logoutResponseSchema) });
