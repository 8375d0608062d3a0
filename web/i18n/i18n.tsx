import { setupI18n, type Messages } from "@lingui/core";
import { I18nProvider, Trans, useLingui } from "@lingui/react";
import { useEffect, type ReactNode } from "react";
import { catalogs, type CatalogPart } from "./catalogs";
import { firstSupported, isLocale, saveLocale, type Locale } from "./locales";
import type { CoreMessageId } from "./messages/en";
import type { AccountMessageId } from "./messages/en-account";

/** Every message id of the SPA: a typo or a removed id is a type error where it is used. */
export type MessageId = CoreMessageId | AccountMessageId;

/**
 * The SPA's translations (Lingui). Each language's catalog is a chunk of its own, fetched when
 * that language is first needed, so a page never downloads the other language's strings. The
 * build compiles the catalogs' ICU MessageFormat strings (vite.config.ts, `compileCatalogs`);
 * tests and the dev server compile them at run time.
 */
export const i18n = setupI18n();

export type { CatalogPart } from "./catalogs";
export { startLocale } from "./locales";

/** Values for a message's `{placeholders}`: text, numbers, or elements (with `Msg`). */
export type MessageValues = Record<string, unknown>;

let latestRequest = 0;
let switcherUsed = false;
const neededParts = new Set<CatalogPart>(["core"]);
const loadedParts = new Set<string>();

async function ensureLoaded(locale: Locale, parts: readonly CatalogPart[]): Promise<void> {
  await Promise.all(
    parts.map(async (part) => {
      if (loadedParts.has(`${locale}:${part}`)) return;
      const messages = await catalogs[locale][part]();
      loadedParts.add(`${locale}:${part}`);
      i18n.load(locale, messages);
    }),
  );
}

/**
 * Loads `locale`'s catalogs (once each) and makes it the active language; `<html lang>` follows,
 * so screen readers pronounce the page in it (WCAG 3.1.1). The last call wins when two overlap.
 */
export async function activateLocale(locale: Locale): Promise<void> {
  const request = ++latestRequest;
  await ensureLoaded(locale, [...neededParts]);
  // A page may have asked for another part meanwhile.
  await ensureLoaded(locale, [...neededParts]);
  if (request !== latestRequest) return;
  i18n.activate(locale);
  document.documentElement.lang = locale;
}

/** Makes sure the active language's `part` is loaded (a page that needs it awaits this before it renders). */
export async function loadCatalogPart(part: CatalogPart): Promise<void> {
  neededParts.add(part);
  if (isLocale(i18n.locale)) await ensureLoaded(i18n.locale, [part]);
}

/** Loads catalogs already in hand (tests; no chunk to fetch). */
export function loadCatalog(locale: Locale, messages: Messages): void {
  i18n.load(locale, messages);
  for (const part of Object.keys(catalogs[locale]) as CatalogPart[]) loadedParts.add(`${locale}:${part}`);
}

/** The switcher: save the choice in this browser, then switch. */
export function chooseLanguage(locale: Locale): Promise<void> {
  saveLocale(locale);
  switcherUsed = true;
  return activateLocale(locale);
}

/** The message `id` in the active language. Outside components; in a component use `useT`. */
export function t(id: MessageId, values?: MessageValues): string {
  return i18n._(id, values);
}

export type Translate = typeof t;

/** `t`, and a re-render of the calling component whenever the language changes. */
export function useT(): Translate {
  useLingui();
  return t;
}

/** The active language. */
export function useLocale(): Locale {
  return useLingui().i18n.locale as Locale;
}

/** A message whose placeholders are elements, e.g. "Continue to {app}" with `app: <strong>…</strong>`. */
export function Msg({ id, values }: { id: MessageId; values: MessageValues }) {
  return <Trans id={id} values={values} />;
}

/**
 * The relying party's `ui_locales` (GET /api/interaction) outranks the saved choice and the
 * browser when it names a language the SPA speaks — until the person picks one with the
 * switcher on this page, which then wins.
 */
export function useRequestedLocales(uiLocales: readonly string[] | undefined): void {
  useEffect(() => {
    const locale = firstSupported(uiLocales);
    if (locale === undefined || switcherUsed || locale === i18n.locale) return;
    void activateLocale(locale);
  }, [uiLocales]);
}

/** Forgets a switcher choice made on this page (tests start each case afresh). */
export function resetSwitcherUse(): void {
  switcherUsed = false;
}

export function LanguageProvider({ children }: { children: ReactNode }) {
  return <I18nProvider i18n={i18n}>{children}</I18nProvider>;
}
