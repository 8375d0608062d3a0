import { Link, useLocation } from "react-router-dom";
import { Page } from "../../../components/ui/page";
import { describeDelivery } from "../../../lib/format";
import { readNavigationState } from "../../../lib/navigation-state";
import { paths } from "../../../lib/paths";
import { ConfirmSignUpForm } from "../components/confirm-sign-up-form";

export function SignUpConfirmRoute() {
  const location = useLocation();
  const { email, delivery } = readNavigationState(location.state);
  return (
    <Page
      title="Confirm your email address"
      lead={
        delivery ? `We sent a code ${describeDelivery(delivery)}. Enter it to confirm your account.` : "Enter the code from the email we sent you when you signed up."
      }
    >
      <ConfirmSignUpForm defaultEmail={email} />
      <p className="page-footer">
        Already confirmed? <Link to={paths.signIn}>Sign in</Link>
      </p>
    </Page>
  );
}
