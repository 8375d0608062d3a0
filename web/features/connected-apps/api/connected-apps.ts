import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import * as z from "zod/mini";
import { connectedAppsResponseSchema } from "../../../../common/api-contract";
import { apiClient } from "../../../lib/api-client";

const connectedAppsKey = ["account", "connected-apps"] as const;

/** `GET /api/connected-apps`: the apps this account is connected to. */
export function useConnectedApps() {
  return useQuery({ queryKey: connectedAppsKey, queryFn: ({ signal }) => apiClient.get("/api/connected-apps", connectedAppsResponseSchema, { signal }) });
}

/** `DELETE /api/connected-apps/:clientId`: the app's consent, grants and tokens end. */
export function useDisconnectApp() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (clientId: string) => apiClient.delete(`/api/connected-apps/${encodeURIComponent(clientId)}`, z.undefined()),
    onSettled: () => queryClient.invalidateQueries({ queryKey: connectedAppsKey }),
  });
}
