import { queryOptions, useQuery } from "@tanstack/react-query";
import { getSession } from "../auth";

/** `GET /api/session` for the account, passkey and consent pages (TanStack Query: their writes refresh it). */
export const sessionQueryKey = ["session"] as const;

export function sessionQueryOptions() {
  return queryOptions({
    queryKey: sessionQueryKey,
    queryFn: ({ signal }) => getSession({ signal }),
  });
}

export function useSession(options: { enabled?: boolean } = {}) {
  return useQuery({ ...sessionQueryOptions(), enabled: options.enabled ?? true });
}
