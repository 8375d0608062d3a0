import { screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { apiError, json, mockApi, renderApp } from "./helpers";

const noInteraction = { "GET /api/interaction": apiError(404, "not_found") };

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("app shell and routing", () => {
  it("sends / to /account when signed in", async () => {
    mockApi({
      "GET /api/session": json(200, {
        authenticated: true,
        user: { sub: "s", email: "ada@example.com", username: "s" },
        amr: ["pwd", "otp"],
        authTime: 1_764_000_000,
      }),
      "GET /api/account/claims": json(200, { idToken: {}, accessToken: {}, userInfo: {} }),
    });
    const { router } = renderApp("/");

    expect(await screen.findByRole("heading", { level: 1, name: "Your account" })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe("/account");
  });

  it("sends / to /signin when signed out", async () => {
    mockApi({ ...noInteraction, "GET /api/session": json(200, { authenticated: false }) });
    const { router } = renderApp("/");

    expect(await screen.findByRole("heading", { level: 1, name: "Sign in" })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe("/signin");
  });

  it("has a header, a main landmark and a 404 page for unknown paths", () => {
    mockApi({});
    renderApp("/no/such/page");

    expect(screen.getByRole("banner")).toHaveTextContent("Tobira");
    expect(screen.getByRole("main")).toContainElement(screen.getByRole("heading", { level: 1, name: "Page not found" }));
    expect(document.title).toBe("Page not found · Tobira");
  });

  it("moves focus to the new page's heading and retitles the document on navigation", async () => {
    mockApi(noInteraction);
    const { user } = renderApp("/signin");
    expect(document.title).toBe("Sign in · Tobira");

    await user.click(screen.getByRole("link", { name: "Create an account" }));

    const heading = await screen.findByRole("heading", { level: 1, name: "Create an account" });
    expect(heading).toHaveFocus();
    expect(document.title).toBe("Create an account · Tobira");
  });

  it("lets the keyboard reach the form controls in order", async () => {
    mockApi(noInteraction);
    const { user } = renderApp("/signin");

    await user.tab();
    expect(screen.getByRole("link", { name: "Skip to content" })).toHaveFocus();
    await user.tab();
    expect(screen.getByRole("link", { name: "Tobira" })).toHaveFocus();
    await user.tab();
    expect(screen.getByRole("button", { name: "English" })).toHaveFocus();
    await user.tab();
    expect(screen.getByRole("button", { name: "日本語" })).toHaveFocus();
    await user.tab();
    expect(screen.getByLabelText("Email address")).toHaveFocus();
    await user.tab();
    expect(screen.getByLabelText("Password")).toHaveFocus();
    await user.tab();
    expect(screen.getByRole("button", { name: "Show password" })).toHaveFocus();
    await user.keyboard("{Enter}");
    expect(screen.getByLabelText("Password")).toHaveAttribute("type", "text");
    expect(screen.getByRole("button", { name: "Hide password" })).toHaveFocus();
  });
});
