import { screen, waitFor } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Passkey } from "../../common/api-contract";
import { forgetSignUpPassword } from "../../web/features/signup/utils/held-password";
import { apiError, delivery, json, mockApi, renderApp } from "./helpers";
import { claims, creationOptions, registration, session, sub } from "./passkey-fixtures";

/**
 * A passkey offered at the right moments: right after sign-up (the confirmation signs the new
 * user in), after a sign-in with a password and a code (dismissible, remembered per user), by
 * the password manager itself where the browser supports conditional create, and to finish an
 * add that needed a fresh sign-in.
 */

const webauthn = vi.hoisted(() => ({ startRegistration: vi.fn(), startAuthentication: vi.fn() }));
vi.mock("@simplewebauthn/browser", async (importOriginal) => ({
  ...(await importOriginal<typeof import("@simplewebauthn/browser")>()),
  browserSupportsWebAuthn: () => true,
  browserSupportsWebAuthnAutofill: async () => false,
  startRegistration: webauthn.startRegistration,
  startAuthentication: webauthn.startAuthentication,
}));

const created: Passkey = {
  needsConfirmation: false,
  id: "bmV3",
  name: "iCloud Keychain",
  createdAt: "2026-11-30T09:00:00.000Z",
  lastUsedAt: null,
  deviceType: "multiDevice",
  backedUp: true,
  transports: ["internal", "hybrid"],
  provider: "iCloud Keychain",
  attachment: "platform",
};
const noInteraction = { "GET /api/interaction": apiError(404, "not_found") };
const signedIn = { ...noInteraction, "GET /api/session": session, "GET /api/account/claims": claims };

beforeEach(() => {
  webauthn.startRegistration.mockReset();
  localStorage.clear();
  sessionStorage.clear();
});
afterEach(() => {
  vi.unstubAllGlobals();
  forgetSignUpPassword();
});

async function finishCodeSignIn(user: ReturnType<typeof renderApp>["user"]) {
  await user.type(await screen.findByLabelText("Verification code"), "123456");
  await user.click(screen.getByRole("button", { name: "Verify and sign in" }));
}

describe("a passkey right after sign-up", () => {
  it("confirms with the password held in memory, is signed in, and offers a passkey at once", async () => {
    webauthn.startRegistration.mockResolvedValue(registration);
    let passkeys: Passkey[] = [];
    const api = mockApi({
      ...signedIn,
      "POST /api/signup": json(201, { next: "confirm", delivery }),
      "POST /api/signup/confirm": json(200, { next: "done", redirectTo: "/account" }),
      "GET /api/passkeys": () => json(200, passkeys),
      "POST /api/passkeys/options": json(200, creationOptions),
      "POST /api/passkeys": () => {
        passkeys = [created];
        return json(201, created);
      },
    });
    const { user, router } = renderApp("/signup");
    await user.type(screen.getByLabelText("Email address"), "ada@example.com");
    await user.type(screen.getByLabelText("Password"), "Correct-horse1!");
    await user.click(screen.getByRole("button", { name: "Create account" }));
    await user.type(await screen.findByLabelText("Confirmation code"), "123456");
    await user.click(screen.getByRole("button", { name: "Confirm email address" }));

    expect(await screen.findByRole("heading", { level: 1, name: "Your account is ready" })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe("/passkeys/add");
    expect(api.callsTo("POST /api/signup/confirm")[0]?.body).toEqual({ email: "ada@example.com", code: "123456", password: "Correct-horse1!" });
    // The password went from one form to the next in memory only: not in history state, not in storage.
    expect(JSON.stringify(router.state.location.state)).not.toContain("Correct-horse1!");
    expect(JSON.stringify({ ...localStorage })).not.toContain("Correct-horse1!");
    expect(JSON.stringify({ ...sessionStorage })).not.toContain("Correct-horse1!");

    await user.click(screen.getByRole("button", { name: "Create a passkey" }));
    expect(await screen.findByText("Passkey added: “iCloud Keychain”")).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Continue" }));
    await screen.findByRole("heading", { level: 1, name: "Your account" });
    expect(router.state.location.pathname).toBe("/account");
  }, 20_000);

  it("sends no password when the tab no longer holds one (a reload), and the person signs in as before", async () => {
    const api = mockApi({ ...noInteraction, "POST /api/signup/confirm": json(200, { next: "signin" }) });
    const { user, router } = renderApp("/signup/confirm", { email: "ada@example.com", delivery });

    await user.type(screen.getByLabelText("Confirmation code"), "123456");
    await user.click(screen.getByRole("button", { name: "Confirm email address" }));

    await screen.findByRole("heading", { level: 1, name: "Sign in" });
    expect(router.state.location.pathname).toBe("/signin");
    expect(api.callsTo("POST /api/signup/confirm")[0]?.body).toEqual({ email: "ada@example.com", code: "123456" });
  });

  it("goes on without a passkey on 'Skip for now'", async () => {
    mockApi({ ...signedIn, "GET /api/passkeys": json(200, []) });
    const { user, router } = renderApp("/passkeys/add", { reason: "signup", continueTo: "/account" });

    await user.click(await screen.findByRole("button", { name: "Skip for now" }));

    await screen.findByRole("heading", { level: 1, name: "Your account" });
    expect(router.state.location.pathname).toBe("/account");
    expect(webauthn.startRegistration).not.toHaveBeenCalled();
  });
});

describe("the passkey offer after a sign-in with a password and a code", () => {
  function codeSignIn(passkeys: Passkey[], extra: Record<string, Response | (() => Response)> = {}) {
    return mockApi({
      ...signedIn,
      "POST /api/signin/otp": json(200, { next: "done", redirectTo: "/account" }),
      "GET /api/passkeys": () => json(200, passkeys),
      ...extra,
    });
  }

  it("offers a passkey to someone who has none, and goes on where the sign-in leads on 'Not now'", async () => {
    codeSignIn([]);
    const { user, router } = renderApp("/signin/code", { email: "ada@example.com", delivery });
    await finishCodeSignIn(user);

    expect(await screen.findByRole("heading", { level: 1, name: "Sign in faster next time" })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe("/passkeys/add");
    await user.click(screen.getByRole("button", { name: "Not now" }));
    await screen.findByRole("heading", { level: 1, name: "Your account" });
  });

  it("does not offer it again to the same user in this browser after 'Not now'", async () => {
    localStorage.setItem("tobira.passkey-offer-declined", JSON.stringify([sub]));
    codeSignIn([]);
    const { user, router } = renderApp("/signin/code", { email: "ada@example.com", delivery });
    await finishCodeSignIn(user);

    await screen.findByRole("heading", { level: 1, name: "Your account" });
    expect(router.state.location.pathname).toBe("/account");
  });

  it("offers nothing to someone who has a passkey", async () => {
    codeSignIn([created]);
    const { user, router } = renderApp("/signin/code", { email: "ada@example.com", delivery });
    await finishCodeSignIn(user);

    await screen.findByRole("heading", { level: 1, name: "Your account" });
    expect(router.state.location.pathname).toBe("/account");
  });

  it("lets the password manager add one by itself where the browser supports conditional create, and then offers nothing", async () => {
    vi.stubGlobal(
      "PublicKeyCredential",
      Object.assign(function PublicKeyCredential() {}, { getClientCapabilities: async () => ({ conditionalCreate: true }) }),
    );
    webauthn.startRegistration.mockResolvedValue(registration);
    const api = codeSignIn([], { "POST /api/passkeys/options": json(200, creationOptions), "POST /api/passkeys": json(201, created) });
    const { user, router } = renderApp("/signin/code", { email: "ada@example.com", delivery });
    await finishCodeSignIn(user);

    await screen.findByRole("heading", { level: 1, name: "Your account" });
    expect(router.state.location.pathname).toBe("/account");
    expect(webauthn.startRegistration).toHaveBeenCalledWith({ optionsJSON: creationOptions, useAutoRegister: true });
    expect(api.callsTo("POST /api/passkeys")[0]?.body).toEqual({ credential: registration });
  });

  it("falls back to the offer, silently, when the password manager declines the automatic upgrade", async () => {
    vi.stubGlobal(
      "PublicKeyCredential",
      Object.assign(function PublicKeyCredential() {}, { getClientCapabilities: async () => ({ conditionalCreate: true }) }),
    );
    webauthn.startRegistration.mockRejectedValue(Object.assign(new Error("not allowed"), { name: "NotAllowedError" }));
    codeSignIn([], { "POST /api/passkeys/options": json(200, creationOptions) });
    const { user } = renderApp("/signin/code", { email: "ada@example.com", delivery });
    await finishCodeSignIn(user);

    expect(await screen.findByRole("heading", { level: 1, name: "Sign in faster next time" })).toBeInTheDocument();
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
  });

  it("tries no automatic upgrade where the browser does not say it supports conditional create", async () => {
    vi.stubGlobal(
      "PublicKeyCredential",
      Object.assign(function PublicKeyCredential() {}, {}),
    );
    const api = codeSignIn([]);
    const { user } = renderApp("/signin/code", { email: "ada@example.com", delivery });
    await finishCodeSignIn(user);

    await screen.findByRole("heading", { level: 1, name: "Sign in faster next time" });
    expect(webauthn.startRegistration).not.toHaveBeenCalled();
    expect(api.callsTo("POST /api/passkeys/options")).toHaveLength(0);
  });

  it("names the relying party waiting for the sign-in, and offers Cancel", async () => {
    mockApi({ ...signedIn, "GET /api/interaction": json(200, { client: { id: "rp", name: "Demo app" }, prompt: "login" }) });
    renderApp("/passkeys/add", { reason: "offer", continueTo: "/interaction/abc/complete" });

    expect(await screen.findByText("Demo app", { selector: "strong" })).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Not now" })).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "Cancel and go back to Demo app" })).toHaveAttribute("href", "/interaction/cancel");
  });
});

describe("adding a passkey after the recent-sign-in window", () => {
  it("resumes after signing in again: the 'Add your passkey' page comes right after the sign-in", async () => {
    webauthn.startRegistration.mockResolvedValue(registration);
    let passkeys: Passkey[] = [];
    let fresh = false;
    const api = mockApi({
      ...signedIn,
      "GET /api/passkeys": () => json(200, passkeys),
      "POST /api/passkeys/options": () => (fresh ? json(200, creationOptions) : apiError(403, "reauthentication_required")),
      "POST /api/passkeys": () => {
        passkeys = [created];
        return json(201, created);
      },
      "POST /api/signin": json(200, { next: "otp", delivery }),
      "POST /api/signin/otp": () => {
        fresh = true;
        return json(200, { next: "done", redirectTo: "/account" });
      },
    });
    const { user, router } = renderApp("/account");

    await user.click(await screen.findByRole("button", { name: "Add a passkey" }));
    await user.click(await screen.findByRole("link", { name: "Sign in again" }));
    expect(await screen.findByText(/adding the passkey continues right after/)).toBeInTheDocument();
    expect(screen.getByLabelText("Email address")).toHaveValue("ada@example.com");
    await user.type(screen.getByLabelText("Password"), "Correct-horse1!");
    await user.click(screen.getByRole("button", { name: "Continue" }));
    await finishCodeSignIn(user);

    expect(await screen.findByRole("heading", { level: 1, name: "Add your passkey" })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe("/passkeys/add");
    await user.click(screen.getByRole("button", { name: "Create a passkey" }));
    expect(await screen.findByText("Passkey added: “iCloud Keychain”")).toBeInTheDocument();
    await waitFor(() => expect(api.callsTo("POST /api/passkeys")).toHaveLength(1));
    // Used once: the next sign-in goes straight on.
    expect(sessionStorage.getItem("tobira.resume")).toBeNull();
  }, 20_000);

  it("sends the page opened without its state to the account page", async () => {
    mockApi({ ...signedIn, "GET /api/passkeys": json(200, []) });
    const { router } = renderApp("/passkeys/add");
    await screen.findByRole("heading", { level: 1, name: "Your account" });
    expect(router.state.location.pathname).toBe("/account");
  });
});
