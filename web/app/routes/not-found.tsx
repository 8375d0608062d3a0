import { Page } from "../../components/ui/page";
import { useT } from "../../i18n/i18n";
import { paths } from "../../lib/paths";
import { Link } from "../../lib/router";

export function NotFoundRoute() {
  const t = useT();
  return (
    <Page title={t("app.notFound.title")} lead={t("app.notFound.lead")}>
      <p className="page-footer">
        <Link to={paths.home}>{t("app.notFound.home")}</Link>
      </p>
    </Page>
  );
}
