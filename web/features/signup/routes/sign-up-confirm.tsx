import { Page } from "../../../components/ui/page";
import { useT } from "../../../i18n/i18n";
import { describeDelivery } from "../../../lib/format";
import { readNavigationState } from "../../../lib/navigation-state";
import { paths } from "../../../lib/paths";
import { Link, useLocation } from "../../../lib/router";
import { ConfirmSignUpForm } from "../components/confirm-sign-up-form";

export function SignUpConfirmRoute() {
  const t = useT();
  const location = useLocation();
  const { email, delivery } = readNavigationState(location.state);
  return (
    <Page title={t("confirm.title")} lead={delivery ? t("confirm.leadSent", { delivery: describeDelivery(delivery) }) : t("confirm.lead")}>
      <ConfirmSignUpForm defaultEmail={email} />
      <p className="page-footer">
        {t("confirm.alreadyConfirmed")} <Link to={paths.signIn}>{t("common.signIn")}</Link>
      </p>
    </Page>
  );
}
