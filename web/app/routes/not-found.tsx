import { Link } from "react-router-dom";
import { Page } from "../../components/ui/page";
import { paths } from "../../lib/paths";

export function NotFoundRoute() {
  return (
    <Page title="Page not found" lead="There's nothing at this address. It may have moved, or the link may be mistyped.">
      <p className="page-footer">
        <Link to={paths.home}>Go to the start page</Link>
      </p>
    </Page>
  );
}
