import { LoadingBlock } from "../components/ui/spinner";
import { useT } from "../i18n/i18n";
import { useServerMode } from "../lib/client-config";
import { paths } from "../lib/paths";
import { Navigate, Outlet } from "../lib/router";

/**
 * The sign-in, sign-up and password pages: shown only where Tobira signs people in itself. In
 * ALB mode the load balancer owns sign-in (its forms would only meet "There is nothing at this
 * address"), so these addresses lead to the account page instead.
 */
export function SignInModeOnly() {
  const t = useT();
  const { mode, pending } = useServerMode();
  if (pending) return <LoadingBlock label={t("app.loading")} />;
  if (mode === "alb") return <Navigate to={paths.account} replace />;
  return <Outlet />;
}
