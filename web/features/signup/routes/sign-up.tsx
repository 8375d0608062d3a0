import { Page } from "../../../components/ui/page";
import { config } from "../../../config";
import { useT } from "../../../i18n/i18n";
import { readNavigationState } from "../../../lib/navigation-state";
import { paths } from "../../../lib/paths";
import { Link, useLocation } from "../../../lib/router";
import { SignUpForm } from "../components/sign-up-form";

export function SignUpRoute() {
  const t = useT();
  const location = useLocation();
  const { email } = readNavigationState(location.state);
  return (
    <Page title={t("signUp.title")} lead={t("signUp.lead", { appName: config.appName })}>
      <SignUpForm defaultEmail={email} />
      <p className="page-footer">
        {t("signUp.haveAccount")} <Link to={paths.signIn}>{t("common.signIn")}</Link>
      </p>
    </Page>
  );
}
