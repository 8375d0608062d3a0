import { compileMessageOrThrow } from "@lingui/message-utils/compileMessage";
import { describe, expect, it } from "vitest";
import { en } from "../../web/i18n/messages/en";
import { enAccount } from "../../web/i18n/messages/en-account";
import { ja } from "../../web/i18n/messages/ja";
import { jaAccount } from "../../web/i18n/messages/ja-account";

/**
 * The catalogs themselves: Japanese has exactly the English ids (the types say so too), no value
 * is empty, none is left in English, each parses as ICU MessageFormat (the build compiles them)
 * and a Japanese message uses the same placeholders as its English one.
 */
const parts = [
  { name: "core", english: en as Record<string, string>, japanese: ja as Record<string, string> },
  { name: "account", english: enAccount as Record<string, string>, japanese: jaAccount as Record<string, string> },
];

/** Values that may read the same in both languages: names, symbols, placeholders only. */
const sameInBothLanguages = new Set(["app.titleSuffix", "delivery.to"]);

function placeholders(message: string): string[] {
  return [...new Set([...message.matchAll(/\{(\w+)\s*[,}]/g)].map((match) => match[1]!))].sort();
}

describe.each(parts)("the $name catalogs", ({ english, japanese }) => {
  it("have the same ids in English and Japanese", () => {
    expect(Object.keys(japanese).sort()).toEqual(Object.keys(english).sort());
  });

  it("have no empty message", () => {
    for (const catalog of [english, japanese]) {
      expect(Object.entries(catalog).filter(([, message]) => message.trim() === "")).toEqual([]);
    }
  });

  it("translate every message: no Japanese value is the English one (brand words and placeholders aside)", () => {
    const untranslated = Object.keys(english).filter((id) => !sameInBothLanguages.has(id) && japanese[id] === english[id]);
    expect(untranslated).toEqual([]);
  });

  it("write every Japanese message with Japanese text", () => {
    const withoutJapanese = Object.entries(japanese)
      .filter(([id]) => !sameInBothLanguages.has(id))
      .filter(([, message]) => !/[\u3000-\u30ff\u4e00-\u9fff\uff00-\uffef]/.test(message.replace(/\{[^}]*\}/g, "")));
    expect(withoutJapanese).toEqual([]);
  });

  it("use the same placeholders in both languages", () => {
    const mismatched = Object.keys(english).filter((id) => placeholders(english[id]!).join() !== placeholders(japanese[id] ?? "").join());
    expect(mismatched).toEqual([]);
  });

  it("parse as ICU MessageFormat", () => {
    for (const catalog of [english, japanese]) {
      for (const [id, message] of Object.entries(catalog)) expect(() => compileMessageOrThrow(message), id).not.toThrow();
    }
  });
});

describe("the catalog parts", () => {
  it("share no id (a page would not know which part its string is in)", () => {
    expect(Object.keys(en).filter((id) => id in enAccount)).toEqual([]);
  });
});
