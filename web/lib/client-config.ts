import { clientConfigResponseSchema, type ClientConfigResponse } from "../../common/api-contract";
import { apiClient, type RequestOptions } from "./api-client";
import { SharedRequest, useSharedRequest } from "./use-request";

/**
 * `GET /api/config`: how the BFF runs. In ALB mode (docs/architecture.md, "ALB mode") the load
 * balancer signs people in with Cognito's managed login, so the SPA's own sign-in, sign-up and
 * password pages do not exist there. Fetched once per page load.
 */
export function getClientConfig(options: RequestOptions = {}): Promise<ClientConfigResponse> {
  return apiClient.get("/api/config", clientConfigResponseSchema, options);
}

/** Before a second try of GET /api/config. */
const retryDelayMs = 1_000;

/** A failed first try is tried once more, a second later: a sign-in page is waiting for the answer. */
async function getClientConfigWithRetry(): Promise<ClientConfigResponse> {
  try {
    return await getClientConfig();
  } catch {
    await new Promise((resolve) => setTimeout(resolve, retryDelayMs));
    return getClientConfig();
  }
}

/** The answer every page of this visit shares: the mode does not change while the SPA runs. */
export const clientConfigRequest = new SharedRequest(getClientConfigWithRetry, { maxAgeMs: Infinity });

export function useClientConfig() {
  return useSharedRequest(clientConfigRequest);
}

export type ServerMode = ClientConfigResponse["mode"] | "unknown";

/**
 * The BFF's mode; "unknown" while loading or when it cannot be read. A BFF too old to answer is
 * a sign-in BFF (ALB mode came with the endpoint), so an error counts as "sign-in".
 */
export function useServerMode(): { mode: ServerMode; pending: boolean } {
  const config = useClientConfig();
  if (config.isPending) return { mode: "unknown", pending: true };
  return { mode: config.isSuccess ? config.data.mode : "sign-in", pending: false };
}
