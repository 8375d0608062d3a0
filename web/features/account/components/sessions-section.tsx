import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { AccountSession, TrustedDevice } from "../../../../common/api-contract";
import { Alert } from "../../../components/ui/alert";
import { Button } from "../../../components/ui/button";
import { LoadingBlock } from "../../../components/ui/spinner";
import { describeError } from "../../../lib/error-messages";
import { formatSeconds, secondsToIso } from "../../../lib/format";
import type { NavigationState } from "../../../lib/navigation-state";
import { paths } from "../../../lib/paths";
import { useFollowRedirect } from "../../../lib/redirect";
import { useAccountSessions, useForgetTrustedDevice, useSignOutEverywhere, useSignOutSession } from "../api/security";
import { methodText } from "../utils/security-text";

function Time({ seconds }: { seconds: number }) {
  const iso = secondsToIso(seconds);
  return iso ? <time dateTime={iso}>{formatSeconds(seconds)}</time> : <>Unknown</>;
}

function SessionItem({ session }: { session: AccountSession }) {
  const signOut = useSignOutSession();
  return (
    <li className="device-item">
      <div className="device-heading">
        <h4 className="device-name">{session.device.label}</h4>
        {session.current ? <span className="badge">This device</span> : null}
      </div>
      <dl className="device-facts">
        <div>
          <dt>Signed in</dt>
          <dd>
            <Time seconds={session.createdAt} /> · {methodText(session.method)}
          </dd>
        </div>
        <div>
          <dt>Last active</dt>
          <dd>{session.current ? "Now" : <Time seconds={session.lastActiveAt} />}</dd>
        </div>
        <div>
          <dt>IP address</dt>
          <dd>{session.ip || "Unknown"}</dd>
        </div>
      </dl>
      {session.current ? null : (
        <div className="device-actions">
          <Button
            variant="secondary"
            onClick={() => signOut.mutate(session.id)}
            loading={signOut.isPending}
            loadingText="Signing out…"
            aria-label={`Sign out ${session.device.label}`}
          >
            Sign out
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
  const forget = useForgetTrustedDevice();
  return (
    <li className="device-item">
      <div className="device-heading">
        <h4 className="device-name">{device.device.label}</h4>
        {device.current ? <span className="badge">This device</span> : null}
      </div>
      <dl className="device-facts">
        <div>
          <dt>Trusted since</dt>
          <dd>
            <Time seconds={device.createdAt} />
          </dd>
        </div>
        <div>
          <dt>Last used</dt>
          <dd>{device.lastUsedAt === null ? "Not yet" : <Time seconds={device.lastUsedAt} />}</dd>
        </div>
        <div>
          <dt>Until</dt>
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
          loadingText="Forgetting…"
          aria-label={`Forget ${device.device.label}`}
        >
          Forget this device
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
  const sessions = useAccountSessions();
  const everywhere = useSignOutEverywhere();
  const [confirming, setConfirming] = useState(false);
  const queryClient = useQueryClient();
  const followRedirect = useFollowRedirect();

  const signOutEverywhere = () =>
    everywhere.mutate(undefined, {
      onSuccess: ({ redirectTo }) => {
        queryClient.removeQueries();
        const state: NavigationState = { flash: { tone: "success", message: "You have signed out everywhere. Sign in again to continue." } };
        followRedirect(redirectTo, { state, fallback: paths.signIn, replace: true });
      },
    });

  if (sessions.isPending) return <LoadingBlock label="Loading where you're signed in…" />;
  if (sessions.isError) {
    return (
      <Alert tone="error" title="We couldn't load your sessions.">
        <p>{describeError(sessions.error)}</p>
        <Button variant="secondary" onClick={() => void sessions.refetch()}>
          Try again
        </Button>
      </Alert>
    );
  }
  const { sessions: list, trustedDevices } = sessions.data;
  return (
    <>
      <ul className="device-list" aria-label="Sessions">
        {list.map((session) => (
          <SessionItem key={session.id} session={session} />
        ))}
      </ul>

      <h3 className="subsection-title">Trusted devices</h3>
      {trustedDevices.length === 0 ? (
        <p>No device skips the emailed code. Tick "Don't ask for a code on this device" when you next enter a code to trust a device.</p>
      ) : (
        <ul className="device-list" aria-label="Trusted devices">
          {trustedDevices.map((device) => (
            <TrustedDeviceItem key={device.id} device={device} />
          ))}
        </ul>
      )}

      <h3 className="subsection-title">Sign out everywhere</h3>
      <p>Signs you out of every browser, this one too, ends every app's access and forgets every trusted device.</p>
      {confirming ? (
        <div className="confirm-box" role="group" aria-label="Sign out everywhere?">
          <p>Sign out of every device now?</p>
          {everywhere.isError ? (
            <p className="field-error" role="alert">
              {describeError(everywhere.error)}
            </p>
          ) : null}
          <div className="form-row">
            <Button onClick={signOutEverywhere} loading={everywhere.isPending} loadingText="Signing out everywhere…">
              Sign out everywhere
            </Button>
            <Button variant="quiet" onClick={() => setConfirming(false)} autoFocus>
              Cancel
            </Button>
          </div>
        </div>
      ) : (
        <Button variant="secondary" onClick={() => setConfirming(true)}>
          Sign out everywhere…
        </Button>
      )}
    </>
  );
}
