import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { AccountSession, TrustedDevice } from "../../../../common/api-contract";
import { Alert } from "../../../components/ui/alert";
import { Button } from "../../../components/ui/button";
import { LoadingBlock } from "../../../components/ui/spinner";
import { useT } from "../../../i18n/i18n";
import { describeError } from "../../../lib/error-messages";
import { formatSeconds, secondsToIso } from "../../../lib/format";
import type { NavigationState } from "../../../lib/navigation-state";
import { paths } from "../../../lib/paths";
import { useFollowRedirect } from "../../../lib/redirect";
import { useAccountSessions, useForgetTrustedDevice, useSignOutEverywhere, useSignOutSession } from "../api/security";
import { deviceText, methodText } from "../utils/security-text";

function Time({ seconds }: { seconds: number }) {
  const t = useT();
  const iso = secondsToIso(seconds);
  return iso ? <time dateTime={iso}>{formatSeconds(seconds)}</time> : <>{t("account.unknown")}</>;
}

function SessionItem({ session }: { session: AccountSession }) {
  const t = useT();
  const signOut = useSignOutSession();
  return (
    <li className="device-item">
      <div className="device-heading">
        <h4 className="device-name">{deviceText(session.device.label)}</h4>
        {session.current ? <span className="badge">{t("sessions.thisDevice")}</span> : null}
      </div>
      <dl className="device-facts">
        <div>
          <dt>{t("sessions.signedIn")}</dt>
          <dd>
            <Time seconds={session.createdAt} /> · {methodText(session.method)}
          </dd>
        </div>
        <div>
          <dt>{t("sessions.lastActive")}</dt>
          <dd>{session.current ? t("sessions.now") : <Time seconds={session.lastActiveAt} />}</dd>
        </div>
        <div>
          <dt>{t("sessions.ip")}</dt>
          <dd>{session.ip || t("account.unknown")}</dd>
        </div>
      </dl>
      {session.current ? null : (
        <div className="device-actions">
          <Button
            variant="secondary"
            onClick={() => signOut.mutate(session.id)}
            loading={signOut.isPending}
            loadingText={t("sessions.signingOut")}
            aria-label={t("sessions.signOutNamed", { device: deviceText(session.device.label) })}
          >
            {t("sessions.signOut")}
          </Button>
          {signOut.isError ? (
            <p className="field-error" role="alert">
              {describeError(signOut.error)}
            </p>
          ) : null}
        </div>
      )}
    </li>
  );
}

function TrustedDeviceItem({ device }: { device: TrustedDevice }) {
  const t = useT();
  const forget = useForgetTrustedDevice();
  return (
    <li className="device-item">
      <div className="device-heading">
        <h4 className="device-name">{deviceText(device.device.label)}</h4>
        {device.current ? <span className="badge">{t("sessions.thisDevice")}</span> : null}
      </div>
      <dl className="device-facts">
        <div>
          <dt>{t("sessions.trustedSince")}</dt>
          <dd>
            <Time seconds={device.createdAt} />
          </dd>
        </div>
        <div>
          <dt>{t("sessions.lastUsed")}</dt>
          <dd>{device.lastUsedAt === null ? t("sessions.notYet") : <Time seconds={device.lastUsedAt} />}</dd>
        </div>
        <div>
          <dt>{t("sessions.until")}</dt>
          <dd>
            <Time seconds={device.expiresAt} />
          </dd>
        </div>
      </dl>
      <div className="device-actions">
        <Button
          variant="secondary"
          onClick={() => forget.mutate(device.id)}
          loading={forget.isPending}
          loadingText={t("sessions.forgetting")}
          aria-label={t("sessions.forgetNamed", { device: deviceText(device.device.label) })}
        >
          {t("sessions.forget")}
        </Button>
        {forget.isError ? (
          <p className="field-error" role="alert">
            {describeError(forget.error)}
          </p>
        ) : null}
      </div>
    </li>
  );
}

/**
 * "Where you're signed in": every session of the account (this one marked), the trusted devices
 * that skip the code, and "Sign out everywhere" (asks first; ends this session too).
 */
export function SessionsSection() {
  const t = useT();
  const sessions = useAccountSessions();
  const everywhere = useSignOutEverywhere();
  const [confirming, setConfirming] = useState(false);
  const queryClient = useQueryClient();
  const followRedirect = useFollowRedirect();

  const signOutEverywhere = () =>
    everywhere.mutate(undefined, {
      onSuccess: ({ redirectTo }) => {
        queryClient.removeQueries();
        const state: NavigationState = { flash: { tone: "success", message: t("sessions.signedOutEverywhere") } };
        followRedirect(redirectTo, { state, fallback: paths.signIn, replace: true });
      },
    });

  if (sessions.isPending) return <LoadingBlock label={t("sessions.loading")} />;
  if (sessions.isError) {
    return (
      <Alert tone="error" title={t("sessions.loadFailed")}>
        <p>{describeError(sessions.error)}</p>
        <Button variant="secondary" onClick={() => void sessions.refetch()}>
          {t("common.tryAgain")}
        </Button>
      </Alert>
    );
  }
  const { sessions: list, trustedDevices } = sessions.data;
  return (
    <>
      <ul className="device-list" aria-label={t("sessions.list")}>
        {list.map((session) => (
          <SessionItem key={session.id} session={session} />
        ))}
      </ul>

      <h3 className="subsection-title">{t("sessions.trustedTitle")}</h3>
      {trustedDevices.length === 0 ? (
        <p>{t("sessions.noTrusted")}</p>
      ) : (
        <ul className="device-list" aria-label={t("sessions.trustedTitle")}>
          {trustedDevices.map((device) => (
            <TrustedDeviceItem key={device.id} device={device} />
          ))}
        </ul>
      )}

      <h3 className="subsection-title">{t("sessions.everywhereTitle")}</h3>
      <p>{t("sessions.everywhereLead")}</p>
      {confirming ? (
        <div className="confirm-box" role="group" aria-label={t("sessions.everywhereQuestion")}>
          <p>{t("sessions.everywhereConfirm")}</p>
          {everywhere.isError ? (
            <p className="field-error" role="alert">
              {describeError(everywhere.error)}
            </p>
          ) : null}
          <div className="form-row">
            <Button onClick={signOutEverywhere} loading={everywhere.isPending} loadingText={t("sessions.everywhereSigningOut")}>
              {t("sessions.everywhere")}
            </Button>
            <Button variant="quiet" onClick={() => setConfirming(false)} autoFocus>
              {t("common.cancel")}
            </Button>
          </div>
        </div>
      ) : (
        <Button variant="secondary" onClick={() => setConfirming(true)}>
          {t("sessions.everywhereOpen")}
        </Button>
      )}
    </>
  );
}
