import { queryOptions, useQuery } from "@tanstack/react-query";
import { clientConfigResponseSchema, type ClientConfigResponse } from "../../common/api-contract";
import { apiClient, type RequestOptions } from "./api-client";

/**
 * `GET /api/config`: how the BFF runs. In ALB mode (docs/architecture.md, "ALB mode") the load
 * balancer signs people in with Cognito's managed login, so the SPA's own sign-in, sign-up and
 * password pages do not exist there. Fetched once per page load.
 */
export function getClientConfig(options: RequestOptions = {}): Promise<ClientConfigResponse> {
  return apiClient.get("/api/config", clientConfigResponseSchema, options);
}

export function clientConfigQueryOptions() {
  return queryOptions({
    queryKey: ["config"],
    queryFn: ({ signal }) => getClientConfig({ signal }),
    staleTime: Infinity,
    gcTime: Infinity,
    retry: 1,
  });
}

export type ServerMode = ClientConfigResponse["mode"] | "unknown";

/**
 * The BFF's mode; "unknown" while loading or when it cannot be read. A BFF too old to answer is
 * a sign-in BFF (ALB mode came with the endpoint), so an error counts as "sign-in".
 */
export function useServerMode(): { mode: ServerMode; pending: boolean } {
  const config = useQuery(clientConfigQueryOptions());
  if (config.isPending) return { mode: "unknown", pending: true };
  return { mode: config.isSuccess ? config.data.mode : "sign-in", pending: false };
}
