/**
 * The languages the SPA speaks and how it picks one: the relying party's `ui_locales` for a
 * sign-in it started (OpenID Connect Core §3.1.2.1), then the person's own choice saved in this
 * browser, then the browser's languages (`navigator.languages`), then English.
 */
export const supportedLocales = ["en", "ja"] as const;
export type Locale = (typeof supportedLocales)[number];
export const defaultLocale: Locale = "en";

/** Each language's name in itself, as switchers show them (never translated). */
export const languageNames: Record<Locale, string> = { en: "English", ja: "日本語" };

/** The localStorage key of the switcher's choice. */
export const savedLocaleKey = "tobira.locale";

export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (supportedLocales as readonly string[]).includes(value);
}

/** A BCP 47 tag's language ("ja-JP" → "ja", "en_GB" → "en") if the SPA speaks it. */
export function matchLocale(tag: string): Locale | undefined {
  const language = tag.trim().toLowerCase().split(/[-_]/)[0];
  return isLocale(language) ? language : undefined;
}

/** The first of `tags` (most preferred first) the SPA speaks. */
export function firstSupported(tags: readonly string[] | undefined): Locale | undefined {
  for (const tag of tags ?? []) {
    const locale = matchLocale(tag);
    if (locale !== undefined) return locale;
  }
  return undefined;
}

export interface LocaleSources {
  /** `ui_locales` of the relying-party sign-in, when there is one. */
  requested?: readonly string[] | undefined;
  saved?: string | null | undefined;
  browser?: readonly string[] | undefined;
}

/** ui_locales, then the saved choice, then the browser, then English. */
export function chooseLocale({ requested, saved, browser }: LocaleSources): Locale {
  return firstSupported(requested) ?? (isLocale(saved) ? saved : undefined) ?? firstSupported(browser) ?? defaultLocale;
}

/** The switcher's saved choice; nothing when storage is unavailable (private modes, blocked cookies). */
export function readSavedLocale(): Locale | undefined {
  try {
    const saved = window.localStorage.getItem(savedLocaleKey);
    return isLocale(saved) ? saved : undefined;
  } catch {
    return undefined;
  }
}

export function saveLocale(locale: Locale): void {
  try {
    window.localStorage.setItem(savedLocaleKey, locale);
  } catch {
    // Storage refused: the choice lasts for this page only.
  }
}

/** The browser's languages, most preferred first. */
export function browserLanguages(): readonly string[] {
  return navigator.languages.length > 0 ? navigator.languages : [navigator.language];
}

/** The language at start-up: the saved choice, else the browser's (ui_locales arrives later with the interaction). */
export function startLocale(): Locale {
  return chooseLocale({ saved: readSavedLocale(), browser: browserLanguages() });
}
