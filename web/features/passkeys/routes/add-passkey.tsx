import { browserSupportsWebAuthn } from "@simplewebauthn/browser";
import { useState } from "react";
import { Alert } from "../../../components/ui/alert";
import { Button } from "../../../components/ui/button";
import { Page } from "../../../components/ui/page";
import { LoadingBlock } from "../../../components/ui/spinner";
import { Msg, useT, type MessageId } from "../../../i18n/i18n";
import { isApiError } from "../../../lib/api-client";
import { describeError } from "../../../lib/error-messages";
import type { NavigationState } from "../../../lib/navigation-state";
import { paths } from "../../../lib/paths";
import { useSession } from "../../../lib/query/session";
import { useFollowRedirect } from "../../../lib/redirect";
import { rememberResume } from "../../../lib/resume";
import { Link, Navigate, useLocation } from "../../../lib/router";
import { declinePasskeyOffer } from "../../../lib/webauthn";
import { CancelSignInLink, ClientName, useRelyingParty } from "../../signin/components/relying-party";
import { useAddPasskey } from "../api/passkeys";
import { StepUpPrompt } from "../components/step-up-prompt";
import { readAddPasskeyState, type AddPasskeyState } from "../utils/add-passkey-state";
import { registrationCeremonyOutcome } from "../utils/passkey-text";

const texts: Record<AddPasskeyState["reason"], { title: MessageId; lead: MessageId; skip: MessageId }> = {
  offer: { title: "addPasskey.offer.title", lead: "addPasskey.offer.lead", skip: "addPasskey.notNow" },
  signup: { title: "addPasskey.signup.title", lead: "addPasskey.signup.lead", skip: "addPasskey.skipForNow" },
  resume: { title: "addPasskey.resume.title", lead: "addPasskey.resume.lead", skip: "addPasskey.notNow" },
};

/**
 * "Add a passkey", between a sign-in and where it leads: offered after a sign-in with a password
 * and a code, right after sign-up (the confirmation counted as the sign-in), and to finish an add
 * that needed a fresh sign-in. "Not now" is remembered for this user in this browser, so the
 * offer does not come back at every sign-in. A relying party waiting for the sign-in is named,
 * with Cancel, as on every step. The sign-in that led here proved a factor, so the add normally
 * goes through; once that proof is older than the BFF's window (`step_up_required`), the page asks
 * for the password or an existing passkey in place, then creates the passkey.
 */
export function AddPasskeyRoute() {
  const t = useT();
  const location = useLocation();
  const state = readAddPasskeyState(location.state);
  const session = useSession();
  const client = useRelyingParty();
  const add = useAddPasskey();
  const followRedirect = useFollowRedirect();
  const [supported] = useState(() => browserSupportsWebAuthn());

  // Without its state (opened directly), this page has nothing to continue to: the account page adds passkeys.
  if (state === undefined) return <Navigate to={paths.account} replace />;
  if (session.isPending) return <LoadingBlock label={t("app.loading")} />;
  if (session.data?.authenticated !== true) return <Navigate to={paths.signIn} replace />;

  const { sub, email } = session.data.user;
  const text = texts[state.reason];
  const goOn = () => followRedirect(state.continueTo, { fallback: paths.account, replace: true });
  const skip = () => {
    if (state.reason !== "resume") declinePasskeyOffer(sub);
    goOn();
  };
  const outcome = add.isError ? registrationCeremonyOutcome(add.error) : undefined;
  const needsReauth = isApiError(add.error) && add.error.code === "reauthentication_required";
  const stepUp = isApiError(add.error) && add.error.code === "step_up_required" ? add.error : undefined;
  const continueLabel = client ? t("addPasskey.continueTo", { app: client.name }) : t("common.continue");

  if (add.isSuccess) {
    return (
      <Page title={t("addPasskey.addedTitle")}>
        <Alert tone="success" title={t("addPasskey.added", { name: add.data.name })}>
          <p>{t("addPasskey.nextTime")}</p>
        </Alert>
        <Button block onClick={goOn}>
          {continueLabel}
        </Button>
        <CancelSignInLink client={client} />
      </Page>
    );
  }

  return (
    <Page
      title={t(text.title)}
      lead={
        <>
          {t(text.lead)}
          {client ? (
            <>
              {" "}
              <Msg id="addPasskey.thenContinue" values={{ app: <ClientName client={client} /> }} />
            </>
          ) : null}
        </>
      }
    >
      <p className="field-hint">{t("addPasskey.for", { email })}</p>
      {stepUp ? (
        <StepUpPrompt passkeyAvailable={stepUp.passkeyAvailable === true} onProved={() => add.mutate()} />
      ) : needsReauth ? (
        <Alert tone="info" title={t("passkeys.reauthTitle")}>
          <p>
            <Msg
              id="addPasskey.reauth"
              values={{
                link: (
                  <Link
                    to={paths.signIn}
                    state={{ email, flash: { tone: "info", message: t("addPasskey.reauthFlash") } } satisfies NavigationState}
                    onClick={() => rememberResume("add-passkey")}
                  >
                    {t("passkeys.reauthLink")}
                  </Link>
                ),
              }}
            />
          </p>
        </Alert>
      ) : outcome === "cancelled" ? (
        <Alert tone="info">{t("addPasskey.cancelled")}</Alert>
      ) : outcome === "already_registered" ? (
        <Alert tone="info">{t("passkeys.alreadyRegistered")}</Alert>
      ) : outcome === "failed" ? (
        <Alert tone="error">{describeError(add.error)}</Alert>
      ) : null}
      <div className="choice-list">
        {stepUp ? null : supported ? (
          <Button block onClick={() => add.mutate()} loading={add.isPending} loadingText={t("passkeys.waitingForDevice")}>
            {t("addPasskey.create")}
          </Button>
        ) : (
          <p className="field-hint">{t("passkeys.unsupported")}</p>
        )}
        <Button variant="secondary" block onClick={skip} disabled={add.isPending}>
          {outcome === "already_registered" ? continueLabel : t(text.skip)}
        </Button>
      </div>
      <CancelSignInLink client={client} />
    </Page>
  );
}
