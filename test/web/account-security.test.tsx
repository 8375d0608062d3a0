import { screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { apiError, json, mockApi, renderApp } from "./helpers";

/** The account page's security centre (web/features/account): layout, password, email, sessions, history, delete. */

const authTime = 1_764_000_000;
const email = "ada@example.com";
const session = json(200, { authenticated: true, user: { sub: "5f1c-sub", email, username: "5f1c-sub" }, amr: ["pwd", "otp", "mfa"], authTime });
const claims = json(200, { idToken: { sub: "5f1c-sub", email }, accessToken: { token_use: "access" }, userInfo: { sub: "5f1c-sub", email } });
const signedIn = { "GET /api/session": session, "GET /api/account/claims": claims, "GET /api/interaction": apiError(404, "not_found") };

const device = (label: string, browser: string, os: string) => ({ browser, os, label });
const sessions = {
  sessions: [
    {
      id: "here",
      current: true,
      createdAt: authTime,
      lastActiveAt: authTime,
      device: device("Chrome on macOS", "Chrome", "macOS"),
      ip: "192.0.2.1",
      method: "password_code",
    },
    {
      id: "there",
      current: false,
      createdAt: authTime - 3600,
      lastActiveAt: authTime - 60,
      device: device("Firefox on Windows", "Firefox", "Windows"),
      ip: "198.51.100.7",
      method: "passkey",
    },
  ],
  trustedDevices: [
    {
      id: "trusted-1",
      current: true,
      createdAt: authTime,
      lastUsedAt: null,
      expiresAt: authTime + 30 * 86_400,
      device: device("Chrome on macOS", "Chrome", "macOS"),
      ip: "192.0.2.1",
    },
  ],
  apps: [],
};

afterEach(() => {
  vi.unstubAllGlobals();
  sessionStorage.clear();
});

describe("account page layout", () => {
  it("lists its sections (Overview, Security and its parts, Tokens, Delete account) and keeps the three claim panels", async () => {
    mockApi(signedIn);
    renderApp("/account");
    const nav = await screen.findByRole("navigation", { name: "On this page" });
    const links = within(nav)
      .getAllByRole("link")
      .map((link) => link.textContent);
    expect(links).toEqual([
      "Overview",
      "Security",
      "Password and email",
      "Passkeys",
      "Connected apps",
      "Where you're signed in",
      "Sign-in history",
      "Tokens",
      "Delete account",
    ]);
    expect(await screen.findByRole("region", { name: /^ID token claims/ })).toBeInTheDocument();
    expect(screen.getByRole("region", { name: /^Access token claims/ })).toBeInTheDocument();
    expect(screen.getByRole("region", { name: /^User info/ })).toBeInTheDocument();
  });

  it("moves focus to the section's heading when its link is followed", async () => {
    mockApi(signedIn);
    const { user } = renderApp("/account");
    const nav = await screen.findByRole("navigation", { name: "On this page" });
    await user.click(within(nav).getByRole("link", { name: "Delete account" }));
    expect(screen.getByRole("heading", { level: 2, name: "Delete account" })).toHaveFocus();
  });

  it("shows only the overview and the tokens in ALB mode", async () => {
    mockApi(signedIn);
    renderApp("/account", undefined, { mode: "alb" });
    const nav = await screen.findByRole("navigation", { name: "On this page" });
    expect(
      within(nav)
        .getAllByRole("link")
        .map((link) => link.textContent),
    ).toEqual(["Overview", "Tokens"]);
    expect(screen.queryByRole("heading", { name: "Delete account" })).not.toBeInTheDocument();
  });
});

describe("change password", () => {
  it("posts the current and new password and says this browser stays signed in", async () => {
    const api = mockApi({ ...signedIn, "POST /api/account/password": json(200, { otherSessionsEnded: 2 }) });
    const { user } = renderApp("/account");
    await user.type(await screen.findByLabelText("Current password"), "Correct-Horse-9");
    await user.type(screen.getByLabelText("New password"), "Battery-Staple-7");
    await user.click(screen.getByRole("button", { name: "Change password" }));
    expect(await screen.findByText(/You're still signed in here\. 2 other sessions were signed out\./)).toBeInTheDocument();
    expect(api.callsTo("POST /api/account/password")[0]?.body).toEqual({ currentPassword: "Correct-Horse-9", newPassword: "Battery-Staple-7" });
  });

  it("marks the current password field when it is wrong", async () => {
    mockApi({ ...signedIn, "POST /api/account/password": apiError(400, "invalid_credentials", { fields: { currentPassword: "Your current password is not right." } }) });
    const { user } = renderApp("/account");
    await user.type(await screen.findByLabelText("Current password"), "Wrong-Horse-9");
    await user.type(screen.getByLabelText("New password"), "Battery-Staple-7");
    await user.click(screen.getByRole("button", { name: "Change password" }));
    expect(await screen.findByRole("alert", { name: "Your current password is not right." })).toHaveFocus();
    expect(screen.getByLabelText("Current password")).toHaveAttribute("aria-invalid", "true");
  });

  it("refuses the same password twice without calling the API", async () => {
    const api = mockApi(signedIn);
    const { user } = renderApp("/account");
    await user.type(await screen.findByLabelText("Current password"), "Correct-Horse-9");
    await user.type(screen.getByLabelText("New password"), "Correct-Horse-9");
    await user.click(screen.getByRole("button", { name: "Change password" }));
    expect(await screen.findByLabelText("New password")).toHaveAttribute("aria-invalid", "true");
    expect(api.callsTo("POST /api/account/password")).toHaveLength(0);
  });
});

describe("change email", () => {
  it("sends a code to the new address, then confirms it with the code", async () => {
    const api = mockApi({
      ...signedIn,
      "POST /api/account/email": json(202, { next: "verify", delivery: { medium: "EMAIL", destination: "n***@e***" } }),
      "POST /api/account/email/verify": json(200, { email: "new@example.com" }),
    });
    const { user } = renderApp("/account");
    await user.click(await screen.findByRole("button", { name: "Change email address" }));
    await user.type(screen.getByLabelText("Email address"), "new@example.com");
    await user.click(screen.getByRole("button", { name: "Send code" }));
    expect(await screen.findByText(/We sent a code by email to n\*\*\*@e\*\*\*/)).toBeInTheDocument();
    await user.type(screen.getByLabelText("Code"), "123456");
    await user.click(screen.getByRole("button", { name: "Confirm new address" }));
    expect(await screen.findByText(/You now sign in with new@example.com/)).toBeInTheDocument();
    expect(api.callsTo("POST /api/account/email")[0]?.body).toEqual({ email: "new@example.com" });
    expect(api.callsTo("POST /api/account/email/verify")[0]?.body).toEqual({ code: "123456" });
  });

  it("asks to sign in again when the sign-in is not recent, and brings the person back to the email change", async () => {
    mockApi({ ...signedIn, "POST /api/account/email": apiError(403, "reauthentication_required") });
    const { user, router } = renderApp("/account");
    await user.click(await screen.findByRole("button", { name: "Change email address" }));
    await user.type(screen.getByLabelText("Email address"), "new@example.com");
    await user.click(screen.getByRole("button", { name: "Send code" }));
    await user.click(await screen.findByRole("link", { name: "sign in again" }));
    expect(router.state.location.pathname).toBe("/signin");
    expect(JSON.parse(sessionStorage.getItem("tobira.account-resume") ?? "{}")).toMatchObject({ action: "change-email" });
  });

  it("opens the email change at once when the person comes back from signing in again", async () => {
    sessionStorage.setItem("tobira.account-resume", JSON.stringify({ action: "change-email", at: Date.now() }));
    mockApi(signedIn);
    renderApp("/account");
    expect(await screen.findByRole("button", { name: "Send code" })).toBeInTheDocument();
    expect(screen.getByRole("heading", { level: 3, name: "Email address" })).toHaveFocus();
    expect(sessionStorage.getItem("tobira.account-resume")).toBeNull();
  });

  it("shows the code step for a change already waiting", async () => {
    mockApi({
      ...signedIn,
      "GET /api/account": json(200, {
        email,
        pendingEmail: "new@example.com",
        authTime,
        recentSignInUntil: authTime + 600,
        trustedDevicesEnabled: true,
        historyDays: 30,
      }),
    });
    renderApp("/account");
    expect(await screen.findByText(/We sent a code to new@example.com/)).toBeInTheDocument();
  });
});

describe("where you're signed in", () => {
  it("lists the sessions with this device marked, and signs another one out", async () => {
    const api = mockApi({ ...signedIn, "GET /api/account/sessions": json(200, sessions), "DELETE /api/account/sessions/there": new Response(null, { status: 204 }) });
    const { user } = renderApp("/account");
    const list = await screen.findByRole("list", { name: "Sessions" });
    const items = within(list).getAllByRole("listitem");
    expect(items[0]).toHaveTextContent("Chrome on macOS");
    expect(items[0]).toHaveTextContent("This device");
    expect(items[1]).toHaveTextContent("Firefox on Windows");
    expect(items[1]).toHaveTextContent("Passkey");
    await user.click(within(items[1]!).getByRole("button", { name: "Sign out Firefox on Windows" }));
    expect(api.callsTo("DELETE /api/account/sessions/there")).toHaveLength(1);
  });

  it("lists the trusted devices and forgets one", async () => {
    const api = mockApi({
      ...signedIn,
      "GET /api/account/sessions": json(200, sessions),
      "DELETE /api/account/trusted-devices/trusted-1": new Response(null, { status: 204 }),
    });
    const { user } = renderApp("/account");
    const list = await screen.findByRole("list", { name: "Trusted devices" });
    await user.click(within(list).getByRole("button", { name: "Forget Chrome on macOS" }));
    expect(api.callsTo("DELETE /api/account/trusted-devices/trusted-1")).toHaveLength(1);
  });

  it("signs out everywhere after asking, then goes to sign in", async () => {
    const api = mockApi({ ...signedIn, "POST /api/account/sign-out-everywhere": json(200, { redirectTo: "/signin" }) });
    const { user, router } = renderApp("/account");
    await user.click(await screen.findByRole("button", { name: "Sign out everywhere…" }));
    expect(api.callsTo("POST /api/account/sign-out-everywhere")).toHaveLength(0);
    await user.click(screen.getByRole("button", { name: "Sign out everywhere" }));
    expect(await screen.findByText(/You have signed out everywhere/)).toBeInTheDocument();
    expect(router.state.location.pathname).toBe("/signin");
    expect(api.callsTo("POST /api/account/sign-out-everywhere")[0]?.body).toEqual({});
  });
});

describe("sign-in history", () => {
  it("marks a failed sign-in from an unknown device", async () => {
    const event = (id: string, type: string, method: string | null, knownDevice: boolean | null) => ({
      id,
      type,
      at: authTime,
      device: "Firefox on Windows",
      ip: "203.0.113.9",
      method,
      app: null,
      knownDevice,
      detail: null,
    });
    mockApi({
      ...signedIn,
      "GET /api/account/history": json(200, {
        days: 30,
        events: [event("a", "sign_in_failed", "password", false), event("b", "sign_in_succeeded", "password_code", true)],
      }),
    });
    renderApp("/account");
    const failure = (await screen.findByText(/Failed sign-in: wrong password/)).closest("li")!;
    const success = screen.getByText("Signed in", { selector: ".history-what" }).closest("li")!;
    expect(failure).toHaveTextContent("Unknown device: Failed sign-in: wrong password");
    expect(success).toHaveTextContent("Signed in");
    expect(success).not.toHaveTextContent("Unknown device");
  });
});

describe("delete account", () => {
  it("asks for the email address typed, posts it, and lands on sign-in with a goodbye", async () => {
    const api = mockApi({ ...signedIn, "POST /api/account/delete": json(200, { redirectTo: "/signin" }) });
    const { user, router } = renderApp("/account");
    await user.click(await screen.findByRole("button", { name: "Delete account…" }));
    await user.type(screen.getByLabelText("Type your email address to confirm"), email);
    await user.click(screen.getByRole("button", { name: "Delete my account" }));
    expect(await screen.findByText(/Your account was deleted/)).toBeInTheDocument();
    expect(router.state.location.pathname).toBe("/signin");
    expect(api.callsTo("POST /api/account/delete")[0]?.body).toEqual({ confirmation: email });
  });

  it("offers to sign in again when the BFF wants a recent sign-in", async () => {
    mockApi({ ...signedIn, "POST /api/account/delete": apiError(403, "reauthentication_required") });
    const { user } = renderApp("/account");
    await user.click(await screen.findByRole("button", { name: "Delete account…" }));
    await user.type(screen.getByLabelText("Type your email address to confirm"), email);
    await user.click(screen.getByRole("button", { name: "Delete my account" }));
    expect(await screen.findByText(/To delete your account,/)).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "sign in again" })).toBeInTheDocument();
  });

  it("shows the field's message when the confirmation does not match", async () => {
    mockApi({
      ...signedIn,
      "POST /api/account/delete": apiError(400, "bad_request", { fields: { confirmation: "Type your email address exactly as shown to confirm." } }),
    });
    const { user } = renderApp("/account");
    await user.click(await screen.findByRole("button", { name: "Delete account…" }));
    await user.type(screen.getByLabelText("Type your email address to confirm"), "someone@else.example");
    await user.click(screen.getByRole("button", { name: "Delete my account" }));
    expect(await screen.findByText("Type your email address exactly as shown to confirm.", { selector: ".field-error" })).toBeInTheDocument();
  });
});

describe("the code step's trusted-device box", () => {
  const arrival = { state: { email, delivery: { medium: "EMAIL", destination: "a***@e***" } } };

  it("sends rememberDevice only when ticked", async () => {
    const api = mockApi({ ...signedIn, "POST /api/signin/otp": json(200, { next: "done", redirectTo: "/account" }) });
    const { user } = renderApp("/signin/code", arrival);
    await user.click(await screen.findByRole("checkbox", { name: "Don't ask for a code on this device" }));
    await user.type(screen.getByLabelText("Verification code"), "123456");
    await user.click(screen.getByRole("button", { name: "Verify and sign in" }));
    await screen.findByRole("heading", { level: 1, name: "Your account" });
    expect(api.callsTo("POST /api/signin/otp")[0]?.body).toEqual({ code: "123456", rememberDevice: true });
  });

  it("finishes a trusted device's sign-in right after the password", async () => {
    mockApi({ ...signedIn, "POST /api/signin": json(200, { next: "done", redirectTo: "/account" }) });
    const { user, router } = renderApp("/signin");
    await user.type(await screen.findByLabelText("Email address"), email);
    await user.type(screen.getByLabelText("Password"), "Correct-Horse-9");
    await user.click(screen.getByRole("button", { name: "Continue" }));
    await screen.findByRole("heading", { level: 1, name: "Your account" });
    expect(router.state.location.pathname).toBe("/account");
  });
});
