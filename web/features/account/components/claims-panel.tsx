import { useId, type ReactNode } from "react";
import { useT } from "../../../i18n/i18n";
import { formatSeconds, secondsToIso } from "../../../lib/format";
import { claimLabel, classifyClaim, sortClaims } from "../utils/claims";

export interface ClaimsPanelProps {
  title: string;
  description: ReactNode;
  badge?: string;
  claims: Record<string, unknown>;
}

/** One claim set as a definition list: label and claim name as the term, a readable value. */
export function ClaimsPanel({ title, description, badge, claims }: ClaimsPanelProps) {
  const t = useT();
  const headingId = useId();
  const entries = sortClaims(claims);
  return (
    <section className="card panel" aria-labelledby={headingId}>
      <header className="panel-header">
        <h3 className="panel-title" id={headingId}>
          {title}
          {badge ? <span className="badge">{badge}</span> : null}
        </h3>
        <p className="panel-description">{description}</p>
      </header>
      {entries.length === 0 ? (
        <p className="panel-empty">{t("claims.none")}</p>
      ) : (
        <dl className="claims">
          {entries.map(([name, value]) => (
            <div className="claim" key={name}>
              <dt>
                {claimLabel(name) ? <span className="claim-label">{claimLabel(name)}</span> : null}
                <code className="claim-name">{name}</code>
              </dt>
              <dd>
                <ClaimValueView name={name} value={value} />
              </dd>
            </div>
          ))}
        </dl>
      )}
    </section>
  );
}

function ClaimValueView({ name, value }: { name: string; value: unknown }) {
  const t = useT();
  const classified = classifyClaim(name, value);
  switch (classified.kind) {
    case "time": {
      const iso = secondsToIso(classified.seconds);
      return (
        <>
          {iso ? <time dateTime={iso}>{formatSeconds(classified.seconds)}</time> : String(classified.seconds)}
          <span className="claim-raw"> ({classified.seconds})</span>
        </>
      );
    }
    case "text":
      return <span className="claim-text">{classified.text}</span>;
    case "list":
      return (
        <ul className="claim-list">
          {classified.items.map((item, index) => (
            <li key={`${index}-${item}`}>{item}</li>
          ))}
        </ul>
      );
    case "json":
      return <pre className="claim-json">{classified.json}</pre>;
    case "empty":
      return <span className="claim-empty">{t("claims.empty")}</span>;
  }
}
