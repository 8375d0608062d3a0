import { Link, useLocation } from "react-router-dom";
import { Page } from "../../../components/ui/page";
import { readNavigationState } from "../../../lib/navigation-state";
import { paths } from "../../../lib/paths";
import { ForgotPasswordForm } from "../components/forgot-password-form";

export function ForgotPasswordRoute() {
  const location = useLocation();
  const { email } = readNavigationState(location.state);
  return (
    <Page title="Reset your password" lead="Enter the email address you sign in with and we'll send you a code to set a new password.">
      <ForgotPasswordForm defaultEmail={email} />
      <p className="page-footer">
        Remembered it? <Link to={paths.signIn}>Back to sign in</Link>
      </p>
    </Page>
  );
}
