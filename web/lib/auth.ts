import { queryOptions, useQuery } from "@tanstack/react-query";
import { sessionResponseSchema, type SessionResponse } from "../../common/api-contract";
import { apiClient, type RequestOptions } from "./api-client";

/**
 * `GET /api/session`: who is signed in. Shared by the app shell (`/` picks a page from it) and the
 * account page, so it lives here rather than in one feature.
 */
export const sessionQueryKey = ["session"] as const;

export function getSession(options: RequestOptions = {}): Promise<SessionResponse> {
  return apiClient.get("/api/session", sessionResponseSchema, options);
}

export function sessionQueryOptions() {
  return queryOptions({
    queryKey: sessionQueryKey,
    queryFn: ({ signal }) => getSession({ signal }),
  });
}

export function useSession(options: { enabled?: boolean } = {}) {
  return useQuery({ ...sessionQueryOptions(), enabled: options.enabled ?? true });
}
