import { interactionResponseSchema, type InteractionResponse } from "../../../../common/api-contract";
import { apiClient, isApiError, type RequestOptions } from "../../../lib/api-client";
import { SharedRequest, useSharedRequest } from "../../../lib/use-request";

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

/**
 * One answer for every page of the sign-in (each names the app), asked again on arrival once a
 * minute old. Naming the app is a courtesy: never retried, and the form never waits for it.
 */
export const interactionRequest = new SharedRequest(() => getInteraction(), { maxAgeMs: 60_000 });

export function useInteraction() {
  return useSharedRequest(interactionRequest);
}
