import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { defaultLocalConfigPath, loadLocalConfig, type LocalConfig } from "../../../common/local-config";

/** config/local.json with `change` applied, written to a temporary file. */
function withConfig(change: (raw: LocalConfig) => void): string {
  const raw = JSON.parse(readFileSync(defaultLocalConfigPath, "utf8")) as LocalConfig;
  change(raw);
  const file = path.join(mkdtempSync(path.join(tmpdir(), "tobira-config-")), "local.json");
  writeFileSync(file, JSON.stringify(raw));
  return file;
}

describe("the local configuration file", () => {
  it("loads config/local.json as shipped", () => {
    const config = loadLocalConfig();
    expect(config.userPool.clients.length).toBeGreaterThan(0);
    expect(config.triggers.otpTtlSeconds).toBeLessThanOrEqual(config.userPool.authSessionValidityMinutes * 60);
  });

  it("refuses a sign-in code that would outlive Cognito's challenge session", () => {
    const file = withConfig((raw) => {
      raw.userPool.authSessionValidityMinutes = 3;
      raw.triggers.otpTtlSeconds = 300;
    });
    expect(() => loadLocalConfig(file)).toThrow(/triggers\.otpTtlSeconds: must not exceed userPool\.authSessionValidityMinutes/);
  });

  it("lists every problem at once", () => {
    const file = withConfig((raw) => {
      raw.region = "";
      raw.bff.cookieKeys = ["short"];
    });
    expect(() => loadLocalConfig(file)).toThrow(/region[\s\S]*bff\.cookieKeys\.0/);
  });
});
