import { Page } from "../../../components/ui/page";
import { useT } from "../../../i18n/i18n";
import { readNavigationState } from "../../../lib/navigation-state";
import { paths } from "../../../lib/paths";
import { Link, useLocation } from "../../../lib/router";
import { ForgotPasswordForm } from "../components/forgot-password-form";

export function ForgotPasswordRoute() {
  const t = useT();
  const location = useLocation();
  const { email } = readNavigationState(location.state);
  return (
    <Page title={t("forgot.title")} lead={t("forgot.lead")}>
      <ForgotPasswordForm defaultEmail={email} />
      <p className="page-footer">
        {t("forgot.remembered")} <Link to={paths.signIn}>{t("common.backToSignIn")}</Link>
      </p>
    </Page>
  );
}
