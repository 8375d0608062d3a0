import { useT } from "../i18n/i18n";
import { passwordRulesFor, usePasswordPolicy } from "../lib/password-policy";
import { VisuallyHidden } from "./ui/visually-hidden";

/**
 * The pool's password policy as a checklist that ticks off as the person types. Referenced by
 * the password input's aria-describedby; it is deliberately not a live region (one announcement
 * per keystroke would drown everything else). Only the kinds the pool requires are listed.
 */
export function PasswordChecklist({ id, password }: { id: string; password: string }) {
  const t = useT();
  const rules = passwordRulesFor(usePasswordPolicy());
  return (
    <div className="checklist" id={id}>
      <p className="checklist-title">{t("password.needs")}</p>
      <ul className="checklist-items">
        {rules.map((rule) => {
          const met = rule.test(password);
          return (
            <li key={rule.id} className={met ? "checklist-item checklist-item--met" : "checklist-item"} data-met={met}>
              <span className="checklist-icon" aria-hidden="true" />
              {rule.label}
              <VisuallyHidden>{met ? t("password.done") : t("password.notYet")}</VisuallyHidden>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
