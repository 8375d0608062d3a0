import { Alert } from "../../../components/ui/alert";
import { Msg, useT } from "../../../i18n/i18n";
import type { NavigationState } from "../../../lib/navigation-state";
import { paths } from "../../../lib/paths";
import { Link } from "../../../lib/router";
import { rememberAccountAction, type AccountAction } from "../utils/resume-action";

/**
 * Shown when the BFF answers `reauthentication_required`: the action needs a recent sign-in.
 * Following the link remembers the action, so the account page opens it again afterwards.
 */
export function ReauthPrompt({ action, email }: { action: AccountAction; email: string }) {
  const t = useT();
  const state: NavigationState = { email, flash: { tone: "info", message: t(`reauth.flash.${action}`) } };
  return (
    <Alert tone="info" title={t("reauth.title")}>
      <p>
        <Msg
          id={`reauth.${action}`}
          values={{
            link: (
              <Link to={paths.signIn} state={state} onClick={() => rememberAccountAction(action)}>
                {t("reauth.link")}
              </Link>
            ),
          }}
        />
      </p>
    </Alert>
  );
}
