import { Button } from "../../../components/ui/button";
import { Card } from "../../../components/ui/page";
import { useT } from "../../../i18n/i18n";
import { formatSeconds, secondsToIso } from "../../../lib/format";
import { describeAmr } from "../utils/claims";

export interface AccountSummaryProps {
  email: string;
  amr: readonly string[];
  authTime: number;
  onSignOut: () => void;
  signingOut: boolean;
  signOutError?: string | undefined;
}

/** Who is signed in, how (RFC 8176 `amr`) and when (`auth_time`), and the way out. */
export function AccountSummary({ email, amr, authTime, onSignOut, signingOut, signOutError }: AccountSummaryProps) {
  const t = useT();
  const iso = secondsToIso(authTime);
  return (
    <Card className="summary">
      <h2 className="summary-title">{t("summary.title")}</h2>
      <dl className="summary-list">
        <div>
          <dt>{t("summary.email")}</dt>
          <dd className="summary-email">{email}</dd>
        </div>
        <div>
          <dt>{t("summary.signedInWith")}</dt>
          <dd>
            {describeAmr(amr)}
            {amr.length > 0 ? <span className="claim-raw"> ({amr.join(", ")})</span> : null}
          </dd>
        </div>
        <div>
          <dt>{t("summary.signedInAt")}</dt>
          <dd>{iso ? <time dateTime={iso}>{formatSeconds(authTime)}</time> : t("account.unknown")}</dd>
        </div>
      </dl>
      <div className="summary-actions">
        <Button variant="secondary" onClick={onSignOut} loading={signingOut} loadingText={t("summary.signingOut")}>
          {t("summary.signOut")}
        </Button>
        {signOutError ? (
          <p className="field-error" role="alert">
            {signOutError}
          </p>
        ) : null}
      </div>
    </Card>
  );
}
