import { queryOptions, useQuery } from "@tanstack/react-query";
import { accountClaimsResponseSchema, type AccountClaimsResponse } from "../../../../common/api-contract";
import { apiClient, type RequestOptions } from "../../../lib/api-client";

/**
 * `GET /api/account/claims`: the ID-token claims (signature verified by the BFF), the
 * access-token claims and the user info — the account page's three panels. Never raw tokens.
 */
export function getClaims(options: RequestOptions = {}): Promise<AccountClaimsResponse> {
  return apiClient.get("/api/account/claims", accountClaimsResponseSchema, options);
}

export function claimsQueryOptions() {
  return queryOptions({
    queryKey: ["account", "claims"],
    queryFn: ({ signal }) => getClaims({ signal }),
  });
}

export function useClaims(options: { enabled?: boolean } = {}) {
  return useQuery({ ...claimsQueryOptions(), enabled: options.enabled ?? true });
}
