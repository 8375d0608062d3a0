import { useEffect, useId, useRef, type MouseEvent, type ReactNode } from "react";

export type AlertTone = "error" | "success" | "info";

export interface AlertProps {
  tone: AlertTone;
  title?: string;
  children?: ReactNode;
}

/**
 * A message box. Errors are `role="alert"` (assertive live region); success and information are
 * `role="status"` (polite), per WAI-ARIA 1.2 §5.3.3 / WCAG 4.1.3 Status Messages.
 */
export function Alert({ tone, title, children }: AlertProps) {
  const titleId = useId();
  return (
    <div className={`alert alert--${tone}`} role={tone === "error" ? "alert" : "status"} aria-labelledby={title ? titleId : undefined}>
      {title ? (
        <p className="alert-title" id={titleId}>
          {title}
        </p>
      ) : null}
      {children ? <div className="alert-body">{children}</div> : null}
    </div>
  );
}

export interface FieldErrorLink {
  /** The id of the input the message belongs to. */
  fieldId: string;
  message: string;
}

export interface ErrorSummaryProps {
  title: string;
  /** Field errors, each a link that moves focus to its input. */
  fieldErrors?: FieldErrorLink[];
  children?: ReactNode;
}

/**
 * The error summary shown above a form after a failed submit: an alert that also takes focus
 * when it appears, so keyboard and screen-reader users land on what went wrong (WCAG 3.3.1).
 * Give it a new `key` per failed attempt so a repeated error is announced and focused again.
 */
export function ErrorSummary({ title, fieldErrors = [], children }: ErrorSummaryProps) {
  const ref = useRef<HTMLDivElement>(null);
  const titleId = useId();
  useEffect(() => {
    ref.current?.focus();
  }, []);

  const focusField = (event: MouseEvent<HTMLAnchorElement>, fieldId: string) => {
    const input = document.getElementById(fieldId);
    if (!input) return;
    // Handle the jump ourselves (focus also scrolls it into view): a hash change would reach the router.
    event.preventDefault();
    input.focus();
  };

  return (
    <div ref={ref} className="alert alert--error error-summary" role="alert" aria-labelledby={titleId} tabIndex={-1}>
      <p className="alert-title" id={titleId}>
        {title}
      </p>
      {fieldErrors.length > 0 ? (
        <ul className="error-summary-list">
          {fieldErrors.map(({ fieldId, message }) => (
            <li key={fieldId}>
              <a href={`#${fieldId}`} onClick={(event) => focusField(event, fieldId)}>
                {message}
              </a>
            </li>
          ))}
        </ul>
      ) : null}
      {children ? <div className="alert-body">{children}</div> : null}
    </div>
  );
}

/**
 * A polite live region that is always in the page, so a message put into it later is announced
 * (regions created together with their text are not reliably read).
 */
export function StatusMessage({ children, tone = "info" }: { children?: ReactNode; tone?: AlertTone }) {
  return (
    <div className={`status-message status-message--${tone}`} role="status">
      {children}
    </div>
  );
}
