import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { activateLocale } from "../i18n/i18n";
import type { Locale } from "../i18n/locales";
import { App } from "./app";
import { preloadPageAt } from "./router";

/**
 * Renders the app into `root` once `locale`'s strings are in, so the first page renders in its
 * language: index.html's loading shell stays until then. The entry (web/main.tsx) has already
 * asked for those strings, so this rarely waits.
 */
export async function startApp(root: HTMLElement, locale: Locale): Promise<void> {
  preloadPageAt(window.location.pathname);
  await activateLocale(locale);
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}
