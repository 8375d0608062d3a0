import { useCallback } from "react";
import type { SignInDoneResponse } from "../../../../common/api-contract";
import { paths } from "../../../lib/paths";
import { useFollowRedirect } from "../../../lib/redirect";
import { takeResume } from "../../../lib/resume";
import { useNavigate } from "../../../lib/router";
import type { PasskeyUpgradeOutcome } from "../../passkeys/api/passkey-upgrade";
import type { AddPasskeyState } from "../../passkeys/utils/add-passkey-state";
import { interactionRequest } from "../api/get-interaction";

export interface FinishOptions {
  /** A sign-in with a password and a code: the moment to offer a passkey (or let the password manager add one). */
  offerPasskey?: boolean;
}

/**
 * The passkey offer's check, fetched only when a sign-in with a code has finished: the sign-in
 * page does not download passkey-management code for it. A chunk that cannot be fetched skips
 * the offer, as any other failure of the check does.
 */
async function passkeyUpgrade(): Promise<PasskeyUpgradeOutcome> {
  try {
    const { passkeyUpgradeAfterPasswordSignIn } = await import("../../passkeys/api/passkey-upgrade");
    return await passkeyUpgradeAfterPasswordSignIn();
  } catch {
    return "none";
  }
}

/**
 * What was read signed out is not kept into the new session: the sign-in's relying party
 * (the account pages start a new cache of their own, web/app/query-pages.tsx).
 */
export function forgetSignedOutData(): void {
  interactionRequest.forget();
}

/**
 * After `{next:"done"}` (code, passkey or passkey autofill): forget what was fetched signed out,
 * since a new session starts from scratch, then go on — to finish adding a passkey when that is
 * why the person signed in again, to the passkey offer after a code, else where the BFF says.
 * Every step replaces the sign-in page in the history, so Back does not return to a code page
 * whose sign-in is over.
 */
export function useFinishSignIn(): (answer: SignInDoneResponse, options?: FinishOptions) => Promise<void> {
  const navigate = useNavigate();
  const followRedirect = useFollowRedirect();
  return useCallback(
    async ({ redirectTo }: SignInDoneResponse, options: FinishOptions = {}) => {
      forgetSignedOutData();
      if (takeResume() === "add-passkey") {
        const state: AddPasskeyState = { reason: "resume", continueTo: redirectTo };
        void navigate(paths.passkeyAdd, { replace: true, state });
        return;
      }
      if (options.offerPasskey === true && (await passkeyUpgrade()) === "offer") {
        const state: AddPasskeyState = { reason: "offer", continueTo: redirectTo };
        void navigate(paths.passkeyAdd, { replace: true, state });
        return;
      }
      followRedirect(redirectTo, { fallback: paths.account, replace: true });
    },
    [navigate, followRedirect],
  );
}
