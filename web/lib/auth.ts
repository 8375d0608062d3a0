import { sessionResponseSchema, type SessionResponse } from "../../common/api-contract";
import { apiClient, type RequestOptions } from "./api-client";
import { useRequest } from "./use-request";

/**
 * `GET /api/session`: who is signed in. Shared by the app shell (`/` picks a page from it), the
 * sign-in pages and the account pages, so it lives here rather than in one feature. The account
 * pages read it through TanStack Query (lib/query/session.ts), where their writes refresh it.
 */
export function getSession(options: RequestOptions = {}): Promise<SessionResponse> {
  return apiClient.get("/api/session", sessionResponseSchema, options);
}

/** Is someone signed in, asked on arrival (`/`, and the sign-in pages when no sign-in is pending). */
export function useSessionCheck(options: { enabled?: boolean } = {}) {
  return useRequest((signal) => getSession({ signal }), options);
}
