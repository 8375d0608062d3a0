import { QueryClient } from "@tanstack/react-query";
import { isApiError } from "../api-client";

/**
 * The account, passkey and consent pages' QueryClient (web/app/query-pages.tsx mounts it): retries
 * only reads that may succeed on a second try (no answer, or a 5xx). Network mode "always":
 * TanStack Query's default ("online") pauses a request while the browser reports itself offline
 * and sends it by itself once it is back, so a write could go through without a second click.
 * Here a request without a network fails at once with a message, the page offers "Try again",
 * and only the person sends it again.
 */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        networkMode: "always",
        retry: (failureCount, error) => failureCount < 2 && isApiError(error) && (error.status === 0 || error.status >= 500),
        staleTime: 30_000,
        refetchOnWindowFocus: false,
      },
      // A write is never repeated behind the person's back (a code could be spent twice).
      mutations: { networkMode: "always", retry: false },
    },
  });
}
