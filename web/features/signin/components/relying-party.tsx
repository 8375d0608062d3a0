import { useEffect, type Dispatch, type SetStateAction } from "react";
import type { InteractionResponse } from "../../../../common/api-contract";
import { useRequestedLocales, useT } from "../../../i18n/i18n";
import { useInteraction } from "../api/get-interaction";

/**
 * The relying party a sign-in is for (docs/architecture.md, "The sign-in interaction"): every
 * step names it and offers to cancel, not only the first page, so the person always knows which
 * app they are signing in to and how to go back to it.
 */
export type RelyingPartyClient = InteractionResponse["client"];

/** The waiting app, or undefined when the person came straight to Tobira (or while loading). */
export function useRelyingParty(): RelyingPartyClient | undefined {
  const interaction = useInteraction().data;
  // The app's ui_locales: the language it asked for, above a saved choice and the browser's.
  useRequestedLocales(interaction?.uiLocales);
  return interaction?.client;
}

/**
 * The email the app named (`login_hint`, OpenID Connect Core §3.1.2.1) fills the sign-in or
 * sign-up form's email field while it is still empty: it arrives after the first render, and
 * never overwrites what the person typed.
 */
export function usePrefillFromLoginHint(setEmail: Dispatch<SetStateAction<string>>): void {
  const hint = useInteraction().data?.loginHint;
  useEffect(() => {
    if (hint !== undefined) setEmail((current) => (current === "" ? hint : current));
  }, [hint, setEmail]);
}

export function ClientName({ client }: { client: RelyingPartyClient }) {
  return <strong className="client-name">{client.name}</strong>;
}

/** "Cancel and go back to <app>": a BFF route, not an SPA page; it answers the app's request with access_denied. */
export function CancelSignInLink({ client }: { client: RelyingPartyClient | undefined }) {
  const t = useT();
  if (!client) return null;
  return (
    <p className="page-footer">
      <a href="/interaction/cancel">{t("signIn.cancelToApp", { app: client.name })}</a>
    </p>
  );
}
