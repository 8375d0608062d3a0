import { chooseLanguage, useLocale, useT } from "./i18n";
import { languageNames, supportedLocales } from "./locales";

/**
 * The language switcher in the header: one button per language, named in that language (with its
 * `lang`, so a screen reader pronounces 日本語 as Japanese, WCAG 3.1.2), the active one pressed
 * (`aria-pressed`). A choice is saved in this browser and outranks the browser's languages.
 */
export function LanguageSwitcher() {
  const t = useT();
  const active = useLocale();
  return (
    <div className="language-switcher" role="group" aria-label={t("app.language")}>
      {supportedLocales.map((locale) => (
        <button
          key={locale}
          type="button"
          className="language-option"
          lang={locale}
          aria-pressed={locale === active}
          onClick={() => {
            if (locale !== active) void chooseLanguage(locale);
          }}
        >
          {languageNames[locale]}
        </button>
      ))}
    </div>
  );
}
