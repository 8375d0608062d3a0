import type { Messages } from "@lingui/core";
import type { Locale } from "./locales";

/**
 * A language's strings come in parts: "core" (every page the sign-in flow shows) and "account"
 * (the account, passkey and consent pages), so /signin downloads only the first.
 */
export type CatalogPart = "core" | "account";

/**
 * Each language's catalog parts, each a chunk of its own fetched when first needed. Apart from
 * i18n.tsx (and free of Lingui) so the entry can start the download before the app's code has
 * arrived; a second `import()` of the same chunk reuses the first download.
 */
export const catalogs: Record<Locale, Record<CatalogPart, () => Promise<Messages>>> = {
  en: {
    core: () => import("./messages/en").then((module) => module.en),
    account: () => import("./messages/en-account").then((module) => module.enAccount),
  },
  ja: {
    core: () => import("./messages/ja").then((module) => module.ja),
    account: () => import("./messages/ja-account").then((module) => module.jaAccount),
  },
};
