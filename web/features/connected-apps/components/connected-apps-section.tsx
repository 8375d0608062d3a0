import { useEffect, useId, useRef, useState } from "react";
import type { ConnectedApp } from "../../../../common/api-contract";
import { Alert } from "../../../components/ui/alert";
import { Button } from "../../../components/ui/button";
import { LoadingBlock } from "../../../components/ui/spinner";
import { config } from "../../../config";
import { i18n, useT } from "../../../i18n/i18n";
import { isApiError } from "../../../lib/api-client";
import { describeError } from "../../../lib/error-messages";
import { describeScope, orderedScopes } from "../../consent/utils/scope-text";
import { useConnectedApps, useDisconnectApp } from "../api/connected-apps";

/**
 * The account page's "Connected apps": the apps that can use this account (the ones allowed on
 * the consent page, and Tobira's own apps the user signed in to), with what each receives and a
 * "Disconnect" that asks first. Disconnecting ends the app's access: its tokens stop working and
 * it must ask again.
 */
export function ConnectedAppsSection() {
  const t = useT();
  const apps = useConnectedApps();
  const titleRef = useRef<HTMLHeadingElement>(null);
  const previousCount = useRef<number | undefined>(undefined);

  useEffect(() => {
    const count = apps.data?.length;
    const active = document.activeElement;
    // A disconnected app takes its focused button with it: give focus to the section's heading.
    if (count !== undefined && previousCount.current !== undefined && count < previousCount.current && (active === null || active === document.body)) {
      titleRef.current?.focus();
    }
    previousCount.current = count;
  }, [apps.data]);

  // A deployment without the provider's consent API (ALB mode) answers 404: nothing to show.
  if (isApiError(apps.error) && apps.error.status === 404) return null;

  return (
    <section className="passkeys" aria-labelledby="connected-apps-title">
      <h2 className="section-title" id="connected-apps-title" ref={titleRef} tabIndex={-1}>
        {t("apps.title")}
      </h2>
      <p className="section-lead">{t("apps.lead", { appName: config.appName })}</p>
      {apps.isPending ? <LoadingBlock label={t("apps.loading")} /> : null}
      {apps.isError ? (
        <Alert tone="error" title={t("apps.loadFailed")}>
          <p>{describeError(apps.error)}</p>
        </Alert>
      ) : null}
      {apps.isSuccess && apps.data.length === 0 ? <p className="claim-empty">{t("apps.none")}</p> : null}
      {apps.isSuccess && apps.data.length > 0 ? (
        <ul className="passkey-list">
          {apps.data.map((app) => (
            <ConnectedAppItem key={app.clientId} app={app} />
          ))}
        </ul>
      ) : null}
    </section>
  );
}

function formatSeconds(seconds: number | null): string {
  return seconds === null ? "—" : new Date(seconds * 1000).toLocaleDateString(i18n.locale, { year: "numeric", month: "long", day: "numeric" });
}

function ConnectedAppItem({ app }: { app: ConnectedApp }) {
  const t = useT();
  const [confirming, setConfirming] = useState(false);
  const disconnect = useDisconnectApp();
  const headingId = useId();
  const itemRef = useRef<HTMLLIElement>(null);
  const previous = useRef(false);

  useEffect(() => {
    // Focus follows the question: onto "Keep" when it opens, back to "Disconnect" when it closes (WCAG 2.4.3).
    const focus = (target: string) => itemRef.current?.querySelector<HTMLElement>(`[data-focus="${target}"]`)?.focus();
    if (confirming) focus("keep");
    else if (previous.current) focus("disconnect");
    previous.current = confirming;
  }, [confirming]);

  return (
    <li ref={itemRef} className="passkey-item" aria-labelledby={headingId}>
      <h3 className="passkey-name" id={headingId}>
        {app.name}
      </h3>
      <dl className="passkey-facts">
        <div>
          <dt>{t("apps.since")}</dt>
          <dd>{formatSeconds(app.grantedAt)}</dd>
        </div>
        <div>
          <dt>{t("apps.canSee")}</dt>
          <dd>
            <ul className="claim-list">
              {orderedScopes(app.scopes).map((scope) => (
                <li key={scope}>{describeScope(scope)}</li>
              ))}
            </ul>
          </dd>
        </div>
      </dl>
      {disconnect.isError ? (
        <Alert tone="error" title={t("apps.disconnectFailed", { app: app.name })}>
          <p>{describeError(disconnect.error)}</p>
        </Alert>
      ) : null}
      {confirming ? (
        <div className="passkey-confirm" role="group" aria-label={t("apps.disconnectQuestion", { app: app.name })}>
          <p>{t("apps.disconnectConfirm", { app: app.name })}</p>
          <div className="passkey-actions">
            <Button loading={disconnect.isPending} loadingText={t("apps.disconnecting")} onClick={() => disconnect.mutate(app.clientId)}>
              {t("apps.disconnect")}
            </Button>
            <Button variant="secondary" data-focus="keep" disabled={disconnect.isPending} onClick={() => setConfirming(false)}>
              {t("apps.keep")}
            </Button>
          </div>
        </div>
      ) : (
        <div className="passkey-actions">
          <Button variant="secondary" data-focus="disconnect" onClick={() => setConfirming(true)}>
            {t("apps.disconnectNamed", { app: app.name })}
          </Button>
        </div>
      )}
    </li>
  );
}
