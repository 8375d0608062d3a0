/**
 * The two languages Tobira's server-made pages speak, and how a request picks one. Shared by the
 * provider's pages (bff/oidc/pages.ts) and the emulator's managed login (emulator/hosted/).
 */
export type UiLanguage = "en" | "ja";

/** English or Japanese for a BCP 47 tag by its primary subtag (`ja-JP` → ja); undefined for any other. */
export function supportedLanguage(tag: string): UiLanguage | undefined {
  const primary = tag.trim().toLowerCase().split(/[-_]/)[0];
  return primary === "ja" ? "ja" : primary === "en" ? "en" : undefined;
}

/**
 * The language of a request: the first supported tag of `explicit` (a space-separated list in
 * order of preference, as OpenID Connect Core §3.1.2.1 `ui_locales`, or a single `lang` value),
 * else the browser's preference (Accept-Language, RFC 9110 §12.5.4: the highest q among English
 * and Japanese, the earlier on a tie), else English. Bounded: a long header is cut, not parsed whole.
 */
export function preferredLanguage(explicit: unknown, acceptLanguage: string | undefined): UiLanguage {
  if (typeof explicit === "string") {
    for (const tag of explicit.slice(0, 512).split(" ").slice(0, 20)) {
      const language = supportedLanguage(tag);
      if (language !== undefined) return language;
    }
  }
  let best: { language: UiLanguage; q: number } | undefined;
  for (const range of (acceptLanguage ?? "").slice(0, 1024).split(",")) {
    const [tag = "", ...parameters] = range.split(";");
    const language = supportedLanguage(tag);
    if (language === undefined) continue;
    const qParameter = parameters.map((parameter) => parameter.trim()).find((parameter) => parameter.startsWith("q="));
    const q = qParameter === undefined ? 1 : Number(qParameter.slice(2));
    if (Number.isFinite(q) && q > 0 && (best === undefined || q > best.q)) best = { language, q };
  }
  return best?.language ?? "en";
}
