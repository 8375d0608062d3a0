import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useState, type ReactNode } from "react";
import { Alert } from "../../../components/ui/alert";
import { Button } from "../../../components/ui/button";
import { Page } from "../../../components/ui/page";
import { LoadingBlock } from "../../../components/ui/spinner";
import { config } from "../../../config";
import { t, useT } from "../../../i18n/i18n";
import { isApiError } from "../../../lib/api-client";
import { useServerMode, type ServerMode } from "../../../lib/client-config";
import { describeError } from "../../../lib/error-messages";
import type { NavigationState } from "../../../lib/navigation-state";
import { paths } from "../../../lib/paths";
import { useSession } from "../../../lib/query/session";
import { useFollowRedirect } from "../../../lib/redirect";
import { Navigate } from "../../../lib/router";
import { useClaims } from "../api/get-claims";
import { useLogout } from "../api/logout";
import { useAccountOverview } from "../api/security";
import { AccountNav, type AccountNavItem } from "../components/account-nav";
import { AccountSummary } from "../components/account-summary";
import { ChangeEmailSection } from "../components/change-email-section";
import { ChangePasswordForm } from "../components/change-password-form";
import { ClaimsPanel } from "../components/claims-panel";
import { DeleteAccountSection } from "../components/delete-account-section";
import { HistorySection } from "../components/history-section";
import { SessionsSection } from "../components/sessions-section";
import { takeAccountAction, type AccountAction } from "../utils/resume-action";

export interface AccountRouteProps {
  /**
   * Sections other features add to the security part (composed in web/app: passkeys, connected
   * apps), each an h2 section whose heading has the id its `sectionLinks` entry names.
   */
  renderSections?: (user: { email: string }) => ReactNode;
  /** The navigation entries of `renderSections`, in order. */
  sectionLinks?: AccountNavItem[];
}

/** The passkeys' and connected apps' headings, as their sections spell them. */
const defaultSectionLinks = (): AccountNavItem[] => [
  { target: "passkeys-title", label: t("account.nav.passkeys") },
  { target: "connected-apps-title", label: t("account.nav.connectedApps") },
];

const headingOf: Record<AccountAction, string> = { "change-email": "email-title", "delete-account": "delete-title" };

/**
 * The account page (README, "Your account"): Overview; Security (password and email, passkeys,
 * connected apps, where you're signed in with the trusted devices, the sign-in history); Tokens
 * (the three claim panels); Delete account. In ALB mode the load balancer owns sign-in, so only
 * the overview and the tokens exist.
 */
export function AccountRoute({ renderSections, sectionLinks = defaultSectionLinks() }: AccountRouteProps = {}) {
  useT();
  const queryClient = useQueryClient();
  // A logout may end at Cognito's hosted /logout (ALB mode), another origin.
  const followRedirect = useFollowRedirect({ allowOtherOrigins: true });
  const logout = useLogout();
  // Once signed out, stop reading (and refetching) this account's data.
  const leaving = logout.isSuccess;
  const session = useSession({ enabled: !leaving });
  const claims = useClaims({ enabled: !leaving && session.data?.authenticated === true });
  const { mode } = useServerMode();
  const securityCentre = mode === "sign-in" && session.data?.authenticated === true && !leaving;
  const overview = useAccountOverview({ enabled: securityCentre });
  // An action the person signed in again for (lib: utils/resume-action.ts): opened once, here.
  const [resumed] = useState(() => takeAccountAction());
  useEffect(() => {
    if (resumed === undefined || !overview.isSuccess) return;
    document.getElementById(headingOf[resumed])?.focus();
  }, [resumed, overview.isSuccess]);

  const onSignOut = () => {
    logout.mutate(undefined, {
      onSuccess: ({ redirectTo }) => {
        queryClient.removeQueries();
        const state: NavigationState = { flash: { tone: "success", message: t("account.signedOut") } };
        followRedirect(redirectTo, { state, fallback: paths.signIn });
      },
    });
  };

  if (leaving) {
    return (
      <Page title={t("account.signingOutTitle")}>
        <LoadingBlock label={t("account.signingOut")} />
      </Page>
    );
  }
  const signedOut = session.data?.authenticated === false || (isApiError(claims.error) && claims.error.code === "unauthenticated");
  if (signedOut) {
    const state: NavigationState = { flash: { tone: "info", message: t("account.signInToSee") } };
    return <Navigate to={paths.signIn} replace state={state} />;
  }

  // One Page element for loading, error and content, so the h1 the app shell focused on
  // arrival stays in the document (and keeps focus) when the data comes in.
  return (
    <Page size="wide" title={t("account.title")} lead={t("account.lead", { appName: config.appName })}>
      {session.isPending ? (
        <LoadingBlock label={t("account.loading")} />
      ) : session.isError || !session.data.authenticated ? (
        <Alert tone="error" title={t("account.loadFailed")}>
          <p>{describeError(session.error)}</p>
          <Button variant="secondary" onClick={() => void session.refetch()}>
            {t("common.tryAgain")}
          </Button>
        </Alert>
      ) : (
        <div className="account-layout">
          <AccountNav
            items={[
              { target: "overview-title", label: t("account.nav.overview") },
              ...(securityCentre
                ? [
                    {
                      target: "security-title",
                      label: t("account.nav.security"),
                      children: [
                        { target: "password-title", label: t("account.nav.passwordAndEmail") },
                        ...sectionLinks,
                        { target: "sessions-title", label: t("account.nav.sessions") },
                        { target: "history-title", label: t("account.nav.history") },
                      ],
                    },
                  ]
                : []),
              { target: "tokens-title", label: t("account.nav.tokens") },
              ...(securityCentre ? [{ target: "delete-title", label: t("account.nav.delete") }] : []),
            ]}
          />
          <div className="account-sections">
            <section aria-labelledby="overview-title">
              <h2 className="section-title" id="overview-title" tabIndex={-1}>
                {t("account.nav.overview")}
              </h2>
              <AccountSummary
                email={session.data.user.email}
                amr={session.data.amr}
                authTime={session.data.authTime}
                onSignOut={onSignOut}
                signingOut={logout.isPending}
                signOutError={logout.isError ? describeError(logout.error) : undefined}
              />
            </section>

            {securityCentre ? (
              <section aria-labelledby="security-title" className="account-section">
                <h2 className="section-title" id="security-title" tabIndex={-1}>
                  {t("account.nav.security")}
                </h2>
                <p className="section-lead">{t("account.securityLead")}</p>
                <h3 className="subsection-title" id="password-title" tabIndex={-1}>
                  {t("account.password")}
                </h3>
                <ChangePasswordForm />
                <h3 className="subsection-title" id="email-title" tabIndex={-1}>
                  {t("account.emailAddress")}
                </h3>
                {overview.isSuccess ? (
                  <ChangeEmailSection email={overview.data.email} pendingEmail={overview.data.pendingEmail} resume={resumed === "change-email"} />
                ) : overview.isError ? (
                  <p className="field-error">{describeError(overview.error)}</p>
                ) : (
                  <LoadingBlock label={t("app.loading")} />
                )}
              </section>
            ) : null}

            {renderSections?.({ email: session.data.user.email })}

            {securityCentre ? (
              <>
                <section aria-labelledby="sessions-title" className="account-section">
                  <h2 className="section-title" id="sessions-title" tabIndex={-1}>
                    {t("account.nav.sessions")}
                  </h2>
                  <p className="section-lead">{t("account.sessionsLead")}</p>
                  <SessionsSection />
                </section>
                <section aria-labelledby="history-title" className="account-section">
                  <h2 className="section-title" id="history-title" tabIndex={-1}>
                    {t("account.nav.history")}
                  </h2>
                  <HistorySection />
                </section>
              </>
            ) : null}

            <section aria-labelledby="tokens-title" className="account-section">
              <h2 className="section-title" id="tokens-title" tabIndex={-1}>
                {t("account.tokens")}
              </h2>
              <p className="section-lead">{t("account.tokensLead")}</p>
              <ClaimsSection claims={claims} mode={mode} />
            </section>

            {securityCentre ? (
              <section aria-labelledby="delete-title" className="account-section account-section--danger">
                <h2 className="section-title" id="delete-title" tabIndex={-1}>
                  {t("account.nav.delete")}
                </h2>
                <DeleteAccountSection email={session.data.user.email} resume={resumed === "delete-account"} />
              </section>
            ) : null}
          </div>
        </div>
      )}
    </Page>
  );
}

/**
 * The first panel is what the sign-in gave: in sign-in mode Tobira's ID token, whose signature
 * the BFF checked against the user pool's keys; in ALB mode the load balancer's signed user
 * claims (`x-amzn-oidc-data`), checked against the load balancer's public key (docs/architecture.md,
 * "ALB mode").
 */
function ClaimsSection({ claims, mode }: { claims: ReturnType<typeof useClaims>; mode: ServerMode }) {
  useT();
  if (claims.isPending) return <LoadingBlock label={t("claims.loading")} />;
  if (claims.isError) {
    return (
      <Alert tone="error" title={t("claims.loadFailed")}>
        <p>{describeError(claims.error)}</p>
        <Button variant="secondary" onClick={() => void claims.refetch()}>
          {t("common.tryAgain")}
        </Button>
      </Alert>
    );
  }
  return (
    <div className="panels">
      {mode === "alb" ? (
        <ClaimsPanel title={t("claims.albTitle")} badge={t("claims.verified")} description={t("claims.albDescription")} claims={claims.data.idToken} />
      ) : (
        <ClaimsPanel title={t("claims.idTitle")} badge={t("claims.verified")} description={t("claims.idDescription")} claims={claims.data.idToken} />
      )}
      <ClaimsPanel title={t("claims.accessTitle")} description={t("claims.accessDescription")} claims={claims.data.accessToken} />
      <ClaimsPanel title={t("claims.userInfoTitle")} description={t("claims.userInfoDescription")} claims={claims.data.userInfo} />
    </div>
  );
}
