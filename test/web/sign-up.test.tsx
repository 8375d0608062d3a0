import { screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { forgetSignUpPassword } from "../../web/features/signup/utils/held-password";
import { apiError, delivery, json, mockApi, renderApp } from "./helpers";

afterEach(() => {
  vi.unstubAllGlobals();
  // The password a sign-up holds in memory lives as long as the module: each test starts without one.
  forgetSignUpPassword();
});

function ruleItem(name: RegExp) {
  const list = screen.getByText("Your password needs:").closest(".checklist");
  if (!(list instanceof HTMLElement)) throw new Error("no checklist");
  return within(list).getByText(name).closest("li");
}

describe("sign-up form", () => {
  it("shows the password policy as a checklist that ticks off as the person types", async () => {
    mockApi({});
    const { user } = renderApp("/signup");
    const password = screen.getByLabelText("Password");
    expect(password).toHaveAttribute("autocomplete", "new-password");
    expect(password).toHaveAccessibleDescription(expect.stringContaining("At least 8 characters"));

    const rules = [/At least 8 characters/, /An uppercase letter/, /A lowercase letter/, /A number/, /A symbol/];
    for (const rule of rules) expect(ruleItem(rule)).toHaveTextContent("(not yet)");

    await user.type(password, "abc");
    expect(ruleItem(/A lowercase letter/)).toHaveTextContent("(done)");
    expect(ruleItem(/An uppercase letter/)).toHaveTextContent("(not yet)");

    await user.type(password, "DEF12!");
    for (const rule of rules) expect(ruleItem(rule)).toHaveTextContent("(done)");
  });

  it("lists only the kinds of character the pool requires, with its minimum length (GET /api/config's policy)", async () => {
    mockApi({});
    const passwordPolicy = { minimumLength: 12, requireUppercase: false, requireLowercase: true, requireNumbers: false, requireSymbols: false };
    renderApp("/signup", undefined, { passwordPolicy });
    expect(screen.getByLabelText("Password")).toHaveAccessibleDescription(expect.stringContaining("At least 12 characters"));
    const list = screen.getByText("Your password needs:").closest(".checklist");
    if (!(list instanceof HTMLElement)) throw new Error("no checklist");
    expect(
      within(list)
        .getAllByRole("listitem")
        .map((item) => item.textContent?.replace(/ \((done|not yet)\)$/, "")),
    ).toEqual(["At least 12 characters", "A lowercase letter"]);
  });

  it("sends a password that meets the pool's policy though it has no capital, number or symbol", async () => {
    const api = mockApi({ "POST /api/signup": json(201, { next: "confirm", delivery }) });
    const passwordPolicy = { minimumLength: 12, requireUppercase: false, requireLowercase: true, requireNumbers: false, requireSymbols: false };
    const { user, router } = renderApp("/signup", undefined, { passwordPolicy });
    await user.type(screen.getByLabelText("Email address"), "ada@example.com");
    await user.type(screen.getByLabelText("Password"), "correcthorsebattery");
    await user.click(screen.getByRole("button", { name: "Create account" }));
    await waitFor(() => expect(router.state.location.pathname).toBe("/signup/confirm"));
    expect(api.callsTo("POST /api/signup")).toHaveLength(1);
  });

  it("refuses a password shorter than the pool's minimum before sending it", async () => {
    const api = mockApi({});
    const passwordPolicy = { minimumLength: 12, requireUppercase: false, requireLowercase: true, requireNumbers: false, requireSymbols: false };
    const { user } = renderApp("/signup", undefined, { passwordPolicy });
    await user.type(screen.getByLabelText("Email address"), "ada@example.com");
    await user.type(screen.getByLabelText("Password"), "short-one");
    await user.click(screen.getByRole("button", { name: "Create account" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("Your password needs at least 12 characters.");
    expect(api.callsTo("POST /api/signup")).toHaveLength(0);
  });

  it("goes to the confirm page with the email after signing up", async () => {
    const api = mockApi({ "POST /api/signup": json(201, { next: "confirm", delivery }) });
    const { user, router } = renderApp("/signup");

    await user.type(screen.getByLabelText("Email address"), "Ada@Example.com");
    await user.type(screen.getByLabelText("Password"), "Correct-horse1!");
    await user.click(screen.getByRole("button", { name: "Create account" }));

    expect(await screen.findByRole("heading", { level: 1, name: "Confirm your email address" })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe("/signup/confirm");
    expect(screen.getByLabelText("Email address")).toHaveValue("ada@example.com");
    expect(screen.getByText(/We sent a code by email to a\*\*\*@e\*\*\*\.com/)).toBeInTheDocument();
    expect(api.callsTo("POST /api/signup")[0]?.body).toEqual({ email: "ada@example.com", password: "Correct-horse1!", locale: "en" });
  });

  it("offers sign-in and password reset when the email is taken (username_exists)", async () => {
    mockApi({ "POST /api/signup": apiError(409, "username_exists") });
    const { user, router } = renderApp("/signup");

    await user.type(screen.getByLabelText("Email address"), "ada@example.com");
    await user.type(screen.getByLabelText("Password"), "Correct-horse1!");
    await user.click(screen.getByRole("button", { name: "Create account" }));

    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("An account with this email address already exists.");
    expect(alert).toHaveFocus();
    expect(within(alert).getByRole("link", { name: "reset your password" })).toHaveAttribute("href", "/password/forgot");
    await user.click(within(alert).getByRole("link", { name: "Sign in" }));
    expect(router.state.location.pathname).toBe("/signin");
    expect(screen.getByLabelText("Email address")).toHaveValue("ada@example.com");
  });

  it("shows the BFF's field message on the password for invalid_password", async () => {
    mockApi({
      "POST /api/signup": apiError(400, "invalid_password", { fields: { password: "Password must not contain your email." } }),
    });
    const { user } = renderApp("/signup");

    await user.type(screen.getByLabelText("Email address"), "ada@example.com");
    await user.type(screen.getByLabelText("Password"), "Correct-horse1!");
    await user.click(screen.getByRole("button", { name: "Create account" }));

    await waitFor(() => expect(screen.getByLabelText("Password")).toHaveAttribute("aria-invalid", "true"));
    expect(screen.getByLabelText("Password")).toHaveAccessibleDescription(expect.stringContaining("Password must not contain your email."));
  });

  it("names the missing rules, without calling the API, when the password breaks the policy", async () => {
    const api = mockApi({});
    const { user } = renderApp("/signup");

    await user.type(screen.getByLabelText("Email address"), "ada@example.com");
    await user.type(screen.getByLabelText("Password"), "lowercase1");
    await user.click(screen.getByRole("button", { name: "Create account" }));

    expect(await screen.findByRole("alert")).toHaveTextContent("Your password needs an uppercase letter and a symbol.");
    expect(api.callsTo("POST /api/signup")).toHaveLength(0);
  });
});

describe("confirm sign-up", () => {
  it("confirms with the code and sends the person to sign in with a message", async () => {
    const api = mockApi({
      "POST /api/signup/confirm": json(200, { next: "signin" }),
      "GET /api/interaction": apiError(404, "not_found"),
    });
    const { user, router } = renderApp("/signup/confirm", { email: "ada@example.com" });

    await user.type(screen.getByLabelText("Confirmation code"), "654321");
    await user.click(screen.getByRole("button", { name: "Confirm email address" }));

    expect(await screen.findByText("Your email address is confirmed. Sign in to continue.")).toBeInTheDocument();
    expect(router.state.location.pathname).toBe("/signin");
    expect(api.callsTo("POST /api/signup/confirm")[0]?.body).toEqual({ email: "ada@example.com", code: "654321" });
  });

  it("says the code is wrong on code_mismatch", async () => {
    mockApi({ "POST /api/signup/confirm": apiError(400, "code_mismatch") });
    const { user } = renderApp("/signup/confirm", { email: "ada@example.com" });

    await user.type(screen.getByLabelText("Confirmation code"), "000000");
    await user.click(screen.getByRole("button", { name: "Confirm email address" }));

    expect(await screen.findByRole("alert")).toHaveTextContent("That code isn't right.");
  });

  it("resends the confirmation code and says where it went", async () => {
    const api = mockApi({ "POST /api/signup/resend": json(200, { delivery }) });
    const { user } = renderApp("/signup/confirm", { email: "ada@example.com" });

    await user.click(screen.getByRole("button", { name: "Send a new code" }));

    await waitFor(() => expect(screen.getByRole("status")).toHaveTextContent("We sent a new code by email to a***@e***.com."));
    expect(api.callsTo("POST /api/signup/resend")[0]?.body).toEqual({ email: "ada@example.com" });
  });
});
