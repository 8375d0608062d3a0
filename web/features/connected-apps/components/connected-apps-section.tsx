import { useEffect, useId, useRef, useState } from "react";
import type { ConnectedApp } from "../../../../common/api-contract";
import { Alert } from "../../../components/ui/alert";
import { Button } from "../../../components/ui/button";
import { LoadingBlock } from "../../../components/ui/spinner";
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
        Connected apps
      </h2>
      <p className="section-lead">Apps you signed in to with Tobira, and what they can see. Disconnect one to end its access.</p>
      {apps.isPending ? <LoadingBlock label="Loading your connected apps…" /> : null}
      {apps.isError ? (
        <Alert tone="error" title="We couldn't load your connected apps.">
          <p>{describeError(apps.error)}</p>
        </Alert>
      ) : null}
      {apps.isSuccess && apps.data.length === 0 ? <p className="claim-empty">No apps are connected to your account.</p> : null}
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
  return seconds === null ? "—" : new Date(seconds * 1000).toLocaleDateString(undefined, { year: "numeric", month: "long", day: "numeric" });
}

function ConnectedAppItem({ app }: { app: ConnectedApp }) {
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
          <dt>Connected since</dt>
          <dd>{formatSeconds(app.grantedAt)}</dd>
        </div>
        <div>
          <dt>Can see</dt>
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
        <Alert tone="error" title={`We couldn't disconnect ${app.name}.`}>
          <p>{describeError(disconnect.error)}</p>
        </Alert>
      ) : null}
      {confirming ? (
        <div className="passkey-confirm" role="group" aria-label={`Disconnect ${app.name}?`}>
          <p>Disconnect {app.name}? It can no longer use your account, and signs you out where it can. It will ask again if you use it later.</p>
          <div className="passkey-actions">
            <Button loading={disconnect.isPending} loadingText="Disconnecting…" onClick={() => disconnect.mutate(app.clientId)}>
              Disconnect
            </Button>
            <Button variant="secondary" data-focus="keep" disabled={disconnect.isPending} onClick={() => setConfirming(false)}>
              Keep it connected
            </Button>
          </div>
        </div>
      ) : (
        <div className="passkey-actions">
          <Button variant="secondary" data-focus="disconnect" onClick={() => setConfirming(true)}>
            Disconnect {app.name}
          </Button>
        </div>
      )}
    </li>
  );
}
