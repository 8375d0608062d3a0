import { useState, type InputHTMLAttributes, type ReactNode } from "react";
import { useT } from "../../i18n/i18n";
import { VisuallyHidden } from "./visually-hidden";

export interface TextFieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, "id"> {
  /** The input's id: error summaries link to it. */
  id: string;
  label: string;
  hint?: ReactNode;
  error?: string | undefined;
  /** Extra ids for aria-describedby (e.g. a password checklist rendered below the input). */
  describedBy?: string | undefined;
  /** Rendered after the input, inside the field (e.g. a checklist). */
  after?: ReactNode;
}

/**
 * A labelled input whose hint and error are tied to it with aria-describedby and which says it
 * is invalid with aria-invalid (WCAG 1.3.1, 3.3.1, 4.1.2).
 */
export function TextField(props: TextFieldProps) {
  const { id, label, hint, error, describedBy, after, className, ...input } = props;
  return (
    <FieldShell id={id} label={label} hint={hint} error={error} after={after}>
      <input
        {...input}
        id={id}
        className={joinClasses("input", className)}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedByIds(id, hint, error, describedBy)}
      />
    </FieldShell>
  );
}

export type PasswordFieldProps = Omit<TextFieldProps, "type">;

/** A password input with a Show/Hide toggle whose accessible name says what it will do. */
export function PasswordField(props: PasswordFieldProps) {
  const { id, label, hint, error, describedBy, after, className, ...input } = props;
  const t = useT();
  const [visible, setVisible] = useState(false);
  return (
    <FieldShell id={id} label={label} hint={hint} error={error} after={after}>
      <div className="input-group">
        <input
          {...input}
          id={id}
          type={visible ? "text" : "password"}
          className={joinClasses("input", className)}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedByIds(id, hint, error, describedBy)}
          // Never let the browser spell-check or auto-capitalise a password, even while it is shown.
          spellCheck={false}
          autoCapitalize="none"
          autoCorrect="off"
        />
        <button
          type="button"
          className="input-toggle"
          aria-controls={id}
          aria-label={t(visible ? "field.hideNamed" : "field.showNamed", { label: label.toLowerCase() })}
          onClick={() => setVisible((value) => !value)}
        >
          {visible ? t("field.hide") : t("field.show")}
        </button>
      </div>
    </FieldShell>
  );
}

function FieldShell(props: { id: string; label: string; hint: ReactNode; error: string | undefined; after: ReactNode; children: ReactNode }) {
  const { id, label, hint, error, after, children } = props;
  const t = useT();
  return (
    <div className={joinClasses("field", error ? "field--invalid" : undefined)}>
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      {hint ? (
        <p className="field-hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      {error ? (
        <p className="field-error" id={`${id}-error`}>
          <VisuallyHidden>{t("field.error")}</VisuallyHidden>
          {error}
        </p>
      ) : null}
      {children}
      {after}
    </div>
  );
}

function describedByIds(id: string, hint: ReactNode, error: string | undefined, extra: string | undefined) {
  const ids = [error ? `${id}-error` : undefined, hint ? `${id}-hint` : undefined, extra].filter(Boolean);
  return ids.length > 0 ? ids.join(" ") : undefined;
}

function joinClasses(...classes: (string | undefined)[]) {
  return classes.filter(Boolean).join(" ");
}
