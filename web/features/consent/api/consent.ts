import { useMutation, useQuery } from "@tanstack/react-query";
import { consentDecisionResponseSchema, interactionResponseSchema, type ConsentDecisionRequest, type InteractionResponse } from "../../../../common/api-contract";
import { apiClient, isApiError } from "../../../lib/api-client";

/** `GET /api/interaction`: the app waiting for this browser's consent, or null (404) when none is. */
export async function getPendingConsent(signal?: AbortSignal): Promise<InteractionResponse | null> {
  try {
    const interaction = await apiClient.get("/api/interaction", interactionResponseSchema, { signal });
    return interaction.prompt === "consent" ? interaction : null;
  } catch (error) {
    if (isApiError(error) && error.status === 404) return null;
    throw error;
  }
}

export function usePendingConsent() {
  return useQuery({ queryKey: ["consent", "pending"], queryFn: ({ signal }) => getPendingConsent(signal), retry: false, staleTime: 0 });
}

/** `POST /api/consent`: the answer; `redirectTo` is the provider, which answers the app. */
export function useConsentDecision() {
  return useMutation({
    mutationFn: (decision: ConsentDecisionRequest["decision"]) => apiClient.post("/api/consent", { decision }, consentDecisionResponseSchema),
  });
}
