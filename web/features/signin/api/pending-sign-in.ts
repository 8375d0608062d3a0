import * as z from "zod/mini";
import { signInStatusResponseSchema, type SignInStatusResponse } from "../../../../common/api-contract";
import { apiClient, type RequestOptions } from "../../../lib/api-client";
import { useRequest } from "../../../lib/use-request";

/**
 * The sign-in this browser has pending: `GET /api/signin` (the code and choose pages ask on
 * arrival, so an address opened directly or through Back never shows a form for a sign-in that
 * does not exist) and `DELETE /api/signin` (a fresh sign-in page, "Sign in with a different
 * account": the old attempt ends on the server, so nothing of it follows the next one).
 */
export function getSignInStatus(options: RequestOptions = {}): Promise<SignInStatusResponse> {
  return apiClient.get("/api/signin", signInStatusResponseSchema, options);
}

/** Asked afresh on every arrival: the server's word is the only one that counts. */
export function useSignInStatus() {
  return useRequest((signal) => getSignInStatus({ signal }));
}

let ending: Promise<unknown> = Promise.resolve();

/** Ends the pending sign-in, if any. A failure is quiet: a new password step replaces it anyway. */
export function endPendingSignIn(): Promise<unknown> {
  ending = apiClient.delete("/api/signin", z.undefined()).catch(() => undefined);
  return ending;
}

/**
 * Resolves once the last `endPendingSignIn` has been answered. The password step waits for it,
 * so a slow DELETE can never land after, and end, the sign-in that step starts.
 */
export function pendingSignInEnded(): Promise<unknown> {
  return ending;
}
