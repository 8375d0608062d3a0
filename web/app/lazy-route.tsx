import type { ComponentType } from "react";
import type { RouteObject } from "react-router-dom";
import { Button } from "../components/ui/button";
import { Page } from "../components/ui/page";
import { LoadingBlock } from "../components/ui/spinner";
import { useT } from "../i18n/i18n";
import { useServerMode } from "../lib/client-config";

/**
 * A route whose page is a chunk of its own, fetched on the first visit (React Router's route
 * `lazy`): the sign-in page downloads no account, passkey-management or consent code. The router
 * finishes loading before it commits a navigation, so the previous page stays until the next one
 * can render and the layout's focus move still finds the new page's heading.
 */
export function lazyPage(load: () => Promise<ComponentType>): Pick<RouteObject, "lazy"> {
  return { lazy: async () => ({ Component: await load() }) };
}

/**
 * Shown inside the layout while the first page's chunk is on its way (index.html shows the same
 * before any script runs). It also asks for GET /api/config now, which the sign-in pages' mode
 * check needs, so that request runs alongside the chunk's download instead of after it.
 */
export function PageLoading() {
  useServerMode();
  const t = useT();
  return <LoadingBlock label={t("app.loading")} />;
}

/**
 * A page's chunk could not be fetched (no network, or a deploy replaced the files this tab was
 * built against) or the page failed to render: say so and offer a reload, which fetches the
 * current index.html and its chunks.
 */
export function PageLoadError() {
  const t = useT();
  return (
    <Page title={t("app.pageLoadError.title")} lead={t("app.pageLoadError.lead")}>
      <Button onClick={() => window.location.reload()}>{t("app.reload")}</Button>
    </Page>
  );
}
