import type { SecurityEventView } from "../../../../common/api-contract";
import { Alert } from "../../../components/ui/alert";
import { Button } from "../../../components/ui/button";
import { LoadingBlock } from "../../../components/ui/spinner";
import { VisuallyHidden } from "../../../components/ui/visually-hidden";
import { useT } from "../../../i18n/i18n";
import { describeError } from "../../../lib/error-messages";
import { formatSeconds, secondsToIso } from "../../../lib/format";
import { useSecurityHistory } from "../api/security";
import { deviceText, eventText, methodText } from "../utils/security-text";

/** A failure from a browser that never signed in to the account: worth the reader's attention. */
function isSuspicious(event: SecurityEventView): boolean {
  return event.type === "sign_in_failed" && event.knownDevice === false;
}

/** The sign-in history: successes and failures of the last days, and the other security events. */
export function HistorySection() {
  const t = useT();
  const history = useSecurityHistory();
  if (history.isPending) return <LoadingBlock label={t("history.loading")} />;
  if (history.isError) {
    return (
      <Alert tone="error" title={t("history.loadFailed")}>
        <p>{describeError(history.error)}</p>
        <Button variant="secondary" onClick={() => void history.refetch()}>
          {t("common.tryAgain")}
        </Button>
      </Alert>
    );
  }
  const { events, days } = history.data;
  return (
    <>
      <p className="section-lead">{t("history.lead", { days })}</p>
      {events.length === 0 ? (
        <p>{t("history.empty")}</p>
      ) : (
        <ol className="history-list">
          {events.map((event) => {
            const iso = secondsToIso(event.at);
            const suspicious = isSuspicious(event);
            return (
              <li key={event.id} className={suspicious ? "history-item history-item--warning" : "history-item"}>
                <p className="history-what">
                  {suspicious ? (
                    <span className="badge badge--warning">
                      {t("history.unknownDevice")}
                      <VisuallyHidden>:</VisuallyHidden>
                    </span>
                  ) : null}{" "}
                  {eventText(event.type, event.method)}
                  {event.detail ? ` (${event.detail})` : ""}
                </p>
                <p className="history-facts">
                  {iso ? <time dateTime={iso}>{formatSeconds(event.at)}</time> : null} · {deviceText(event.device)} · {event.ip || t("history.unknownAddress")}
                  {event.type === "sign_in_succeeded" && event.method ? ` · ${methodText(event.method)}` : ""}
                  {event.app ? ` · ${event.app}` : ""}
                </p>
              </li>
            );
          })}
        </ol>
      )}
    </>
  );
}
