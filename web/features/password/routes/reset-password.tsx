import { Link, useLocation } from "react-router-dom";
import { Page } from "../../../components/ui/page";
import { describeDelivery } from "../../../lib/format";
import { readNavigationState } from "../../../lib/navigation-state";
import { paths } from "../../../lib/paths";
import { ResetPasswordForm } from "../components/reset-password-form";

export function ResetPasswordRoute() {
  const location = useLocation();
  const { email, delivery } = readNavigationState(location.state);
  return (
    <Page
      title="Choose a new password"
      lead={
        delivery
          ? `If an account uses that address, we sent a code ${describeDelivery(delivery)}.`
          : "Enter the code from the password-reset email and choose a new password."
      }
    >
      <ResetPasswordForm defaultEmail={email} />
      <p className="page-footer">
        <Link to={paths.signIn}>Back to sign in</Link>
      </p>
    </Page>
  );
}
