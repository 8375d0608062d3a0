import { useEffect, useRef } from "react";
import { config } from "../config";
import { useT } from "../i18n/i18n";
import { LanguageSwitcher } from "../i18n/language-switcher";
import { paths } from "../lib/paths";
import { Link, Outlet, useLocation } from "../lib/router";

/**
 * The shell of every page: a skip link, the header, and the main landmark. On each route change
 * focus moves to the new page's h1 so screen-reader and keyboard users start at the new content
 * instead of wherever the old page left them (WCAG 2.4.3; the pattern single-page apps use in
 * place of a page load).
 */
export function AppLayout() {
  const t = useT();
  const location = useLocation();
  const mainRef = useRef<HTMLElement>(null);
  const previousPath = useRef(location.pathname);

  useEffect(() => {
    if (previousPath.current === location.pathname) return;
    previousPath.current = location.pathname;
    const heading = mainRef.current?.querySelector<HTMLElement>("h1");
    (heading ?? mainRef.current)?.focus();
  }, [location.pathname]);

  return (
    <div className="app">
      <a className="skip-link" href="#main">
        {t("app.skipToContent")}
      </a>
      <header className="app-header">
        <Link className="brand" to={paths.home}>
          <span className="brand-mark" aria-hidden="true" />
          <span className="brand-name">{config.appName}</span>
        </Link>
        <LanguageSwitcher />
      </header>
      <main id="main" className="app-main" ref={mainRef} tabIndex={-1}>
        <Outlet />
      </main>
      <footer className="app-footer">
        <p>{t("app.footer")}</p>
      </footer>
    </div>
  );
}
