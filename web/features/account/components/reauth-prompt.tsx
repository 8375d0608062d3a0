import { Link } from "react-router-dom";
import { Alert } from "../../../components/ui/alert";
import type { NavigationState } from "../../../lib/navigation-state";
import { paths } from "../../../lib/paths";
import { rememberAccountAction, type AccountAction } from "../utils/resume-action";

const what: Record<AccountAction, string> = {
  "change-email": "change your email address",
  "delete-account": "delete your account",
};

/**
 * Shown when the BFF answers `reauthentication_required`: the action needs a recent sign-in.
 * Following the link remembers the action, so the account page opens it again afterwards.
 */
export function ReauthPrompt({ action, email }: { action: AccountAction; email: string }) {
  const state: NavigationState = { email, flash: { tone: "info", message: `To ${what[action]}, confirm it's you: sign in again and you'll be brought back.` } };
  return (
    <Alert tone="info" title="Please confirm it's you">
      <p>
        You signed in a while ago. To {what[action]},{" "}
        <Link to={paths.signIn} state={state} onClick={() => rememberAccountAction(action)}>
          sign in again
        </Link>
        .
      </p>
    </Alert>
  );
}
