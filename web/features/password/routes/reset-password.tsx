import { Page } from "../../../components/ui/page";
import { useT } from "../../../i18n/i18n";
import { describeDelivery } from "../../../lib/format";
import { readNavigationState } from "../../../lib/navigation-state";
import { paths } from "../../../lib/paths";
import { Link, useLocation } from "../../../lib/router";
import { ResetPasswordForm } from "../components/reset-password-form";

export function ResetPasswordRoute() {
  const t = useT();
  const location = useLocation();
  const { email, delivery } = readNavigationState(location.state);
  return (
    <Page title={t("reset.title")} lead={delivery ? t("reset.leadSent", { delivery: describeDelivery(delivery) }) : t("reset.lead")}>
      <ResetPasswordForm defaultEmail={email} />
      <p className="page-footer">
        <Link to={paths.signIn}>{t("common.backToSignIn")}</Link>
      </p>
    </Page>
  );
}
