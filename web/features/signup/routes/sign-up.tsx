import { Link, useLocation } from "react-router-dom";
import { Page } from "../../../components/ui/page";
import { config } from "../../../config";
import { readNavigationState } from "../../../lib/navigation-state";
import { paths } from "../../../lib/paths";
import { SignUpForm } from "../components/sign-up-form";

export function SignUpRoute() {
  const location = useLocation();
  const { email } = readNavigationState(location.state);
  return (
    <Page title="Create an account" lead={`One account for every app that signs in with ${config.appName}.`}>
      <SignUpForm defaultEmail={email} />
      <p className="page-footer">
        Already have an account? <Link to={paths.signIn}>Sign in</Link>
      </p>
    </Page>
  );
}
