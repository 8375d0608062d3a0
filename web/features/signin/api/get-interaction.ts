import { queryOptions, useQuery } from "@tanstack/react-query";
import { interactionResponseSchema, type InteractionResponse } from "../../../../common/api-contract";
import { apiClient, isApiError, type RequestOptions } from "../../../lib/api-client";

/**
 * `GET /api/interaction`: the relying party waiting for this sign-in, or null (404) when the
 * person came straight to Tobira.
 */
export async function getInteraction(options: RequestOptions = {}): Promise<InteractionResponse | null> {
  try {
    return await apiClient.get("/api/interaction", interactionResponseSchema, options);
  } catch (error) {
    if (isApiError(error) && error.status === 404) return null;
    throw error;
  }
}

export function interactionQueryOptions() {
  return queryOptions({
    queryKey: ["signin", "interaction"],
    queryFn: ({ signal }) => getInteraction({ signal }),
    // Naming the app is a courtesy: never retry or block the form for it.
    retry: false,
    staleTime: 60_000,
  });
}

export function useInteraction() {
  return useQuery(interactionQueryOptions());
}
