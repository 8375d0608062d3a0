import { useQueryClient } from "@tanstack/react-query";
import { useCallback } from "react";
import type { SignInDoneResponse } from "../../../../common/api-contract";
import { paths } from "../../../lib/paths";
import { useFollowRedirect } from "../../../lib/redirect";

/**
 * After `{next:"done"}` (code, passkey or passkey autofill): forget what was fetched signed out,
 * since a new session starts from scratch, then go where the BFF says.
 */
export function useFinishSignIn(): (answer: SignInDoneResponse) => void {
  const queryClient = useQueryClient();
  const followRedirect = useFollowRedirect();
  return useCallback(
    ({ redirectTo }: SignInDoneResponse) => {
      queryClient.removeQueries();
      followRedirect(redirectTo, { fallback: paths.account });
    },
    [queryClient, followRedirect],
  );
}
