import { screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { apiError, delivery, json, mockApi, renderApp } from "./helpers";

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("password reset", () => {
  it("sends a reset code, then sets the new password and returns to sign-in", async () => {
    const api = mockApi({
      "POST /api/password/forgot": json(200, { delivery }),
      "POST /api/password/reset": json(200, { next: "signin" }),
      "GET /api/interaction": apiError(404, "not_found"),
    });
    const { user, router } = renderApp("/password/forgot");

    await user.type(screen.getByLabelText("Email address"), "ada@example.com");
    await user.click(screen.getByRole("button", { name: "Send reset code" }));

    await screen.findByRole("heading", { level: 1, name: "Choose a new password" });
    expect(screen.getByLabelText("Email address")).toHaveValue("ada@example.com");
    expect(screen.getByLabelText("New password")).toHaveAttribute("autocomplete", "new-password");
    await user.type(screen.getByLabelText("Reset code"), "246810");
    await user.type(screen.getByLabelText("New password"), "Brand-new-pass9");
    await user.click(screen.getByRole("button", { name: "Set new password" }));

    expect(await screen.findByText("Your password has been changed. Sign in with your new password.")).toBeInTheDocument();
    expect(router.state.location.pathname).toBe("/signin");
    expect(api.callsTo("POST /api/password/forgot")[0]?.body).toEqual({ email: "ada@example.com" });
    expect(api.callsTo("POST /api/password/reset")[0]?.body).toEqual({
      email: "ada@example.com",
      code: "246810",
      password: "Brand-new-pass9",
    });
  });

  it("checks the new password against the pool's policy from GET /api/config, not a fixed list", async () => {
    const api = mockApi({ "POST /api/password/reset": json(200, { next: "signin" }), "GET /api/interaction": apiError(404, "not_found") });
    const passwordPolicy = { minimumLength: 10, requireUppercase: false, requireLowercase: false, requireNumbers: true, requireSymbols: false };
    const { user, router } = renderApp("/password/reset", { email: "ada@example.com" }, { passwordPolicy });
    await user.type(screen.getByLabelText("Reset code"), "246810");
    await user.type(screen.getByLabelText("New password"), "abcdefghij");
    await user.click(screen.getByRole("button", { name: "Set new password" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("Your password needs a number.");
    expect(api.callsTo("POST /api/password/reset")).toHaveLength(0);

    await user.type(screen.getByLabelText("New password"), "7");
    await user.click(screen.getByRole("button", { name: "Set new password" }));
    expect(await screen.findByText("Your password has been changed. Sign in with your new password.")).toBeInTheDocument();
    expect(router.state.location.pathname).toBe("/signin");
    expect(api.callsTo("POST /api/password/reset")[0]?.body).toMatchObject({ password: "abcdefghij7" });
  });

  it("says the code has expired on expired_code and marks the code field", async () => {
    mockApi({ "POST /api/password/reset": apiError(400, "expired_code") });
    const { user } = renderApp("/password/reset", { email: "ada@example.com" });

    await user.type(screen.getByLabelText("Reset code"), "246810");
    await user.type(screen.getByLabelText("New password"), "Brand-new-pass9");
    await user.click(screen.getByRole("button", { name: "Set new password" }));

    expect(await screen.findByRole("alert")).toHaveTextContent("That code has expired.");
    expect(screen.getByLabelText("Reset code")).toHaveAttribute("aria-invalid", "true");
  });

  it("validates every field before calling the API", async () => {
    const api = mockApi({});
    const { user } = renderApp("/password/reset");

    await user.click(screen.getByRole("button", { name: "Set new password" }));

    const summary = await screen.findByRole("alert");
    expect(
      within(summary)
        .getAllByRole("link")
        .map((link) => link.getAttribute("href")),
    ).toEqual(["#reset-email", "#reset-code", "#reset-password"]);
    await user.click(within(summary).getByRole("link", { name: "Enter the code from the email." }));
    expect(screen.getByLabelText("Reset code")).toHaveFocus();
    expect(api.calls).toHaveLength(0);
  });
});
