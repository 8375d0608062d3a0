import { useMutation } from "@tanstack/react-query";
import { logoutResponseSchema } from "../../../../common/api-contract";
import { apiClient } from "../../../lib/api-client";

/** `POST /api/logout`: ends the session (the BFF revokes the Cognito refresh token); answers where to go. */
export function logout() {
  return apiClient.post("/api/logout", {}, logoutResponseSchema);
}

export function useLogout() {
  return useMutation({ mutationFn: logout });
}
