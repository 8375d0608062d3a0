import { describe, expect, it } from "vitest";
import aaguidList from "../../../bff/passkeys/aaguid-providers.json" with { type: "json" };
import { aaguidListSource, browserAndSystem, defaultPasskeyName, providerForAaguid, zeroAaguid } from "../../../bff/passkeys/passkey-providers";

const iCloudKeychain = "fbfc3007-154e-4ecc-8c0b-6e020557d7bd";
const googlePasswordManager = "ea9b8d66-4d01-1d21-3ce4-b6b48cb575d4";
const yubiKey5Nfc = "2fc0579f-8113-47ea-b116-bb5a8db9202a";

const chromeOnMac = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
const safariOnIphone = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";
const edgeOnWindows = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0";
const firefoxOnLinux = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";
const chromeOnAndroid = "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36";

describe("the AAGUID list shipped with the app", () => {
  it("names its source and the date it was written", () => {
    expect(aaguidListSource.source).toContain("passkey-authenticator-aaguids");
    expect(aaguidListSource.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(aaguidList.note).toMatch(/curated subset/);
  });

  it("holds only lower-case AAGUIDs and never the all-zero one", () => {
    const keys = Object.keys(aaguidList.providers);
    expect(keys.length).toBeGreaterThan(10);
    for (const key of keys) expect(key).toBe(key.toLowerCase());
    expect(keys).not.toContain(zeroAaguid);
  });

  it("finds the well-known providers, in any case", () => {
    expect(providerForAaguid(iCloudKeychain)).toEqual({ name: "iCloud Keychain", kind: "synced" });
    expect(providerForAaguid(googlePasswordManager.toUpperCase())?.name).toBe("Google Password Manager");
    expect(providerForAaguid("08987058-cadc-4b81-b6e1-30de50dcbe96")).toEqual({ name: "Windows Hello", kind: "device" });
    expect(providerForAaguid(yubiKey5Nfc)?.kind).toBe("security-key");
  });

  it("knows no provider for the all-zero AAGUID, an unlisted one or none", () => {
    expect(providerForAaguid(zeroAaguid)).toBeUndefined();
    expect(providerForAaguid("01020304-0506-0708-0102-030405060708")).toBeUndefined();
    expect(providerForAaguid(undefined)).toBeUndefined();
  });
});

describe("the default name of a new passkey", () => {
  const platform = { attachment: "platform" as const, transports: ["internal", "hybrid"], deviceType: "singleDevice" as const };

  it("is the provider's name when the AAGUID is known", () => {
    expect(defaultPasskeyName({ ...platform, aaguid: iCloudKeychain, deviceType: "multiDevice", userAgent: safariOnIphone }, [])).toBe("iCloud Keychain");
    expect(defaultPasskeyName({ ...platform, aaguid: googlePasswordManager, deviceType: "multiDevice", userAgent: chromeOnAndroid }, [])).toBe("Google Password Manager");
  });

  it("is numbered only when the account already has a passkey of that name", () => {
    expect(defaultPasskeyName({ ...platform, aaguid: iCloudKeychain }, ["Chrome on Mac"])).toBe("iCloud Keychain");
    expect(defaultPasskeyName({ ...platform, aaguid: iCloudKeychain }, ["iCloud Keychain"])).toBe("iCloud Keychain (2)");
    expect(defaultPasskeyName({ ...platform, aaguid: iCloudKeychain }, ["iCloud Keychain", "iCloud Keychain (2)"])).toBe("iCloud Keychain (3)");
  });

  it("is where it was made for an unknown built-in authenticator, never 'this device'", () => {
    expect(defaultPasskeyName({ ...platform, aaguid: zeroAaguid, userAgent: chromeOnMac }, [])).toBe("Chrome on Mac");
    expect(defaultPasskeyName({ ...platform, userAgent: edgeOnWindows }, [])).toBe("Edge on Windows");
    expect(defaultPasskeyName({ ...platform, userAgent: firefoxOnLinux }, [])).not.toMatch(/this device/i);
  });

  it("calls a built-in authenticator a security key never, even when it reports USB", () => {
    expect(defaultPasskeyName({ attachment: "platform", transports: ["usb", "internal"], deviceType: "singleDevice", userAgent: chromeOnMac }, [])).toBe("Chrome on Mac");
  });

  it("calls a roaming authenticator on USB, NFC or Bluetooth a security key, and a phone reached by QR code a phone", () => {
    expect(defaultPasskeyName({ attachment: "cross-platform", transports: ["usb", "nfc"], deviceType: "singleDevice", userAgent: chromeOnMac }, [])).toBe("Security key");
    expect(defaultPasskeyName({ attachment: "cross-platform", transports: ["hybrid", "internal"], deviceType: "multiDevice", userAgent: chromeOnMac }, [])).toBe(
      "Passkey on a phone or tablet",
    );
  });

  it("says 'Synced passkey' for an unknown synced provider and 'Passkey' when nothing else is known", () => {
    expect(defaultPasskeyName({ transports: [], deviceType: "multiDevice" }, [])).toBe("Synced passkey");
    expect(defaultPasskeyName({ transports: [], deviceType: "singleDevice" }, [])).toBe("Passkey");
  });
});

describe("the browser and system from a User-Agent", () => {
  it.each([
    [chromeOnMac, "Chrome on Mac"],
    [safariOnIphone, "Safari on iPhone"],
    [edgeOnWindows, "Edge on Windows"],
    [firefoxOnLinux, "Firefox on Linux"],
    [chromeOnAndroid, "Chrome on Android"],
    ["Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/156.0.0.0 Safari/537.36", "Chrome on Linux"],
  ])("reads %s as %s", (userAgent, expected) => {
    expect(browserAndSystem(userAgent)).toBe(expected);
  });

  it("gives nothing for an absent or unreadable User-Agent", () => {
    expect(browserAndSystem(undefined)).toBeUndefined();
    expect(browserAndSystem("curl/8.5.0")).toBeUndefined();
  });
});
