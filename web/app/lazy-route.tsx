import { Component, lazy, Suspense, useState, type ComponentType, type ReactNode } from "react";
import { Button } from "../components/ui/button";
import { Page } from "../components/ui/page";
import { LoadingBlock } from "../components/ui/spinner";
import { useT } from "../i18n/i18n";
import { useServerMode } from "../lib/client-config";
import { Outlet, useLocation } from "../lib/router";

/** A page whose code is a chunk of its own; `preload` fetches it ahead of the first render. */
export type LazyPage = ComponentType & { preload: () => Promise<ComponentType> };

/**
 * A page whose code is a chunk of its own, fetched on its first render (`React.lazy`): the
 * sign-in page downloads no account, passkey-management or consent code. The router renders a
 * navigation as a transition, so React keeps the previous page until the next one can render and
 * the layout's focus move still finds the new page's heading. Once `preload` has fetched it, the
 * page renders at once: React.lazy would suspend for a moment even then, and React holds a
 * Suspense boundary's fallback on screen for at least 300 ms before revealing its content.
 */
export function lazyPage(load: () => Promise<ComponentType>): LazyPage {
  let Ready: ComponentType | undefined;
  const preload = () =>
    load().then((component) => {
      Ready = component;
      return component;
    });
  const Loaded = lazy(async () => ({ default: await preload() }));
  function LazyPageFrame() {
    // Chosen once per mount: swapping Loaded for Ready later would remount the page and lose what was typed.
    const [Page] = useState(() => Ready);
    return Page === undefined ? <Loaded /> : <Page />;
  }
  return Object.assign(LazyPageFrame, { preload });
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

interface PageErrorBoundaryProps {
  pathname: string;
  children: ReactNode;
}

/** Catches a page that failed to load or render; moving to another address tries again. */
class PageErrorBoundary extends Component<PageErrorBoundaryProps, { failed: boolean; pathname: string }> {
  override state = { failed: false, pathname: this.props.pathname };

  static getDerivedStateFromError() {
    return { failed: true };
  }

  static getDerivedStateFromProps(props: PageErrorBoundaryProps, state: { failed: boolean; pathname: string }) {
    return props.pathname === state.pathname ? null : { failed: false, pathname: props.pathname };
  }

  override render() {
    return this.state.failed ? <PageLoadError /> : this.props.children;
  }
}

/**
 * Where the pages render, inside the layout (the header stays while the first page's chunk loads
 * or when it fails): the loading status while a chunk is on its way, the error page when it fails.
 */
export function PageFrame() {
  const { pathname } = useLocation();
  return (
    <PageErrorBoundary pathname={pathname}>
      <Suspense fallback={<PageLoading />}>
        <Outlet />
      </Suspense>
    </PageErrorBoundary>
  );
}
