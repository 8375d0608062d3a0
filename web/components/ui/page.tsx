import { useEffect, type ReactNode } from "react";
import { config } from "../../config";
import { useT } from "../../i18n/i18n";

/** Sets the document title for the page being shown (WCAG 2.4.2 Page Titled). */
export function useDocumentTitle(title: string): void {
  const t = useT();
  const documentTitle = t("app.titleSuffix", { title, appName: config.appName });
  useEffect(() => {
    document.title = documentTitle;
  }, [documentTitle]);
}

export function Card({ children, className }: { children: ReactNode; className?: string }) {
  return <div className={`card${className ? ` ${className}` : ""}`}>{children}</div>;
}

export interface PageProps {
  /** The document title (before " · Tobira"); also the heading unless `heading` is given. */
  title: string;
  heading?: ReactNode;
  lead?: ReactNode;
  /** "narrow" wraps the page in one centred card; "wide" leaves the layout to the page. */
  size?: "narrow" | "wide";
  children?: ReactNode;
}

/**
 * A page: title, one h1 (focusable, so the app shell can move focus to it on navigation) and an
 * optional lead paragraph.
 */
export function Page({ title, heading, lead, size = "narrow", children }: PageProps) {
  useDocumentTitle(title);
  const header = (
    <div className="page-header">
      <h1 className="page-title" tabIndex={-1}>
        {heading ?? title}
      </h1>
      {lead ? <p className="page-lead">{lead}</p> : null}
    </div>
  );
  if (size === "wide") {
    return (
      <div className="page page--wide">
        {header}
        {children}
      </div>
    );
  }
  return (
    <div className="page page--narrow">
      <Card>
        {header}
        {children}
      </Card>
    </div>
  );
}
