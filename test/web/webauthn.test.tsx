import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  declinePasskeyOffer,
  forgetPasskeyHere,
  isPasskeyHere,
  passkeyOfferDeclined,
  rememberPasskeyHere,
  supportsConditionalCreate,
  supportsSignal,
  webauthnSignals,
} from "../../web/lib/webauthn";

/** Feature detection of the optional WebAuthn calls, with stubs standing in for the browser. */

function stubPublicKeyCredential(statics: Record<string, unknown>) {
  vi.stubGlobal(
    "PublicKeyCredential",
    Object.assign(function PublicKeyCredential() {}, statics),
  );
}

beforeEach(() => localStorage.clear());
afterEach(() => vi.unstubAllGlobals());

describe("the Signal API, where the browser has it", () => {
  it("reports no support, and sends nothing, in a browser without WebAuthn", () => {
    vi.stubGlobal("PublicKeyCredential", undefined);
    expect(supportsSignal("signalUnknownCredential")).toBe(false);
    expect(webauthnSignals.unknownCredential({ rpId: "example.com", credentialId: "Y3JlZA" })).toBe(false);
  });

  it("reports no support, and sends nothing, in a WebAuthn browser without the Signal API", () => {
    stubPublicKeyCredential({});
    expect(supportsSignal("signalAllAcceptedCredentials")).toBe(false);
    expect(webauthnSignals.allAcceptedCredentials({ rpId: "example.com", userId: "dQ", allAcceptedCredentialIds: [] })).toBe(false);
  });

  it("calls each signal with the browser's own argument names where it exists", () => {
    const browser = {
      signalUnknownCredential: vi.fn(async () => undefined),
      signalAllAcceptedCredentials: vi.fn(async () => undefined),
      signalCurrentUserDetails: vi.fn(async () => undefined),
    };
    stubPublicKeyCredential(browser);

    expect(webauthnSignals.unknownCredential({ rpId: "example.com", credentialId: "Y3JlZA" })).toBe(true);
    expect(webauthnSignals.allAcceptedCredentials({ rpId: "example.com", userId: "dQ", allAcceptedCredentialIds: ["a", "b"] })).toBe(true);
    expect(webauthnSignals.currentUserDetails({ rpId: "example.com", userId: "dQ", name: "ada@example.com", displayName: "Ada" })).toBe(true);

    expect(browser.signalUnknownCredential).toHaveBeenCalledWith({ rpId: "example.com", credentialId: "Y3JlZA" });
    expect(browser.signalAllAcceptedCredentials).toHaveBeenCalledWith({ rpId: "example.com", userId: "dQ", allAcceptedCredentialIds: ["a", "b"] });
    expect(browser.signalCurrentUserDetails).toHaveBeenCalledWith({ rpId: "example.com", userId: "dQ", name: "ada@example.com", displayName: "Ada" });
  });

  it("stays silent when the browser refuses a signal or throws at once", async () => {
    stubPublicKeyCredential({
      signalUnknownCredential: vi.fn(async () => {
        throw new DOMException("no", "SecurityError");
      }),
      signalCurrentUserDetails: () => {
        throw new TypeError("bad id");
      },
    });
    expect(() => webauthnSignals.unknownCredential({ rpId: "example.com", credentialId: "x" })).not.toThrow();
    expect(() => webauthnSignals.currentUserDetails({ rpId: "example.com", userId: "x", name: "a", displayName: "a" })).not.toThrow();
    // The rejected promise is handled: nothing reaches the page as an unhandled rejection.
    await new Promise((resolve) => setTimeout(resolve, 0));
  });
});

describe("conditional create (an automatic passkey upgrade), where the browser has it", () => {
  it("is unsupported without getClientCapabilities", async () => {
    stubPublicKeyCredential({});
    await expect(supportsConditionalCreate()).resolves.toBe(false);
  });

  it("follows the browser's conditionalCreate capability", async () => {
    stubPublicKeyCredential({ getClientCapabilities: async () => ({ conditionalCreate: true, conditionalGet: true }) });
    await expect(supportsConditionalCreate()).resolves.toBe(true);
    stubPublicKeyCredential({ getClientCapabilities: async () => ({ conditionalGet: true }) });
    await expect(supportsConditionalCreate()).resolves.toBe(false);
  });

  it("is unsupported when asking for the capabilities fails", async () => {
    stubPublicKeyCredential({ getClientCapabilities: async () => Promise.reject(new Error("no")) });
    await expect(supportsConditionalCreate()).resolves.toBe(false);
  });
});

describe("what this browser remembers", () => {
  it("knows a passkey as on this device once made or used here, and forgets it when deleted", () => {
    expect(isPasskeyHere("Y3JlZA")).toBe(false);
    rememberPasskeyHere("Y3JlZA");
    expect(isPasskeyHere("Y3JlZA")).toBe(true);
    forgetPasskeyHere("Y3JlZA");
    expect(isPasskeyHere("Y3JlZA")).toBe(false);
  });

  it("treats unreadable storage as knowing nothing", () => {
    localStorage.setItem("tobira.passkeys-here", "{not json");
    expect(isPasskeyHere("x")).toBe(false);
    rememberPasskeyHere("x");
    expect(isPasskeyHere("x")).toBe(true);
  });

  it("remembers 'Not now' to the passkey offer per user", () => {
    declinePasskeyOffer("sub-a");
    expect(passkeyOfferDeclined("sub-a")).toBe(true);
    expect(passkeyOfferDeclined("sub-b")).toBe(false);
  });
});
