import { screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { apiError, deferred, delivery, json, mockApi, renderApp } from "./helpers";

const arrival = { email: "ada@example.com", delivery };
const signedIn = {
  "GET /api/session": json(200, {
    authenticated: true,
    user: { sub: "sub-1", email: "ada@example.com", username: "u-1" },
    amr: ["pwd", "otp", "mfa"],
    authTime: 1_764_000_000,
  }),
  "GET /api/account/claims": json(200, { idToken: { sub: "sub-1" }, accessToken: { scope: "openid" }, userInfo: { email: "ada@example.com" } }),
  "GET /api/interaction": apiError(404, "not_found"),
};

afterEach(() => {
  vi.unstubAllGlobals();
});

async function enterCode(user: ReturnType<typeof renderApp>["user"], code: string) {
  await user.type(screen.getByLabelText("Verification code"), code);
  await user.click(screen.getByRole("button", { name: "Verify and sign in" }));
}

describe("code form", () => {
  it("says where the code went and sets up the input for one-time codes", () => {
    mockApi({});
    renderApp("/signin/code", arrival);

    expect(screen.getByText(/We sent a 6-digit code by email to a\*\*\*@e\*\*\*\.com/)).toBeInTheDocument();
    const input = screen.getByLabelText("Verification code");
    expect(input).toHaveAttribute("autocomplete", "one-time-code");
    expect(input).toHaveAttribute("inputmode", "numeric");
    expect(input).toHaveAttribute("pattern", "[0-9]{6}");
    expect(input).toHaveAttribute("maxlength", "6");
  });

  it("posts the code and follows redirectTo to the account page", async () => {
    const api = mockApi({ ...signedIn, "POST /api/signin/otp": json(200, { next: "done", redirectTo: "/account" }) });
    const { user, router } = renderApp("/signin/code", arrival);

    await enterCode(user, "123456");

    await screen.findByRole("region", { name: /^User info/ });
    expect(router.state.location.pathname).toBe("/account");
    // The heading focused on arrival is still the focused element once the data has loaded.
    expect(screen.getByRole("heading", { level: 1, name: "Your account" })).toHaveFocus();
    expect(api.callsTo("POST /api/signin/otp")[0]?.body).toEqual({ code: "123456" });
  });

  it("accepts digits only: letters, spaces and dashes are dropped and the length is capped", async () => {
    mockApi({});
    const { user } = renderApp("/signin/code", arrival);
    const input = screen.getByLabelText("Verification code");

    await user.type(input, "12a3-4 5b678");

    expect(input).toHaveValue("123456");
  });

  it("shows the attempts left after a wrong code, in an alert that takes focus", async () => {
    mockApi({ "POST /api/signin/otp": apiError(400, "code_mismatch", { attemptsLeft: 2 }, { attemptsLeft: 2 }) });
    const { user } = renderApp("/signin/code", arrival);

    await enterCode(user, "111111");

    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("That code isn't right. You have 2 attempts left.");
    expect(alert).toHaveFocus();
    expect(screen.getByLabelText("Verification code")).toHaveValue("");
  });

  it("reads attemptsLeft from the top level of the answer too", async () => {
    mockApi({ "POST /api/signin/otp": apiError(400, "code_mismatch", {}, { attemptsLeft: 1 }) });
    const { user } = renderApp("/signin/code", arrival);

    await enterCode(user, "111111");

    expect(await screen.findByRole("alert")).toHaveTextContent("You have 1 attempt left.");
  });

  it("returns to sign-in with an explanation on challenge_failed", async () => {
    mockApi({ "POST /api/signin/otp": apiError(401, "challenge_failed"), "GET /api/interaction": apiError(404, "not_found") });
    const { user, router } = renderApp("/signin/code", arrival);

    await enterCode(user, "111111");

    expect(await screen.findByRole("heading", { level: 1, name: "Sign in" })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe("/signin");
    expect(screen.getByText(/That was the last attempt/)).toBeInTheDocument();
    expect(screen.getByLabelText("Email address")).toHaveValue("ada@example.com");
  });

  it("returns to sign-in with an explanation on session_expired", async () => {
    mockApi({ "POST /api/signin/otp": apiError(401, "session_expired"), "GET /api/interaction": apiError(404, "not_found") });
    const { user, router } = renderApp("/signin/code", arrival);

    await enterCode(user, "111111");

    expect(await screen.findByText(/Your sign-in took too long and has expired/)).toBeInTheDocument();
    expect(router.state.location.pathname).toBe("/signin");
  });

  it("returns to sign-in when the answer says no attempts are left", async () => {
    mockApi({
      "POST /api/signin/otp": apiError(400, "code_mismatch", { attemptsLeft: 0 }),
      "GET /api/interaction": apiError(404, "not_found"),
    });
    const { user, router } = renderApp("/signin/code", arrival);

    await enterCode(user, "111111");

    expect(await screen.findByText(/That was the last attempt/)).toBeInTheDocument();
    expect(router.state.location.pathname).toBe("/signin");
  });

  it("sends a visitor with no pending sign-in back to sign in (no_pending_signin)", async () => {
    mockApi({ "POST /api/signin/otp": apiError(400, "no_pending_signin"), "GET /api/interaction": apiError(404, "not_found") });
    const { user, router } = renderApp("/signin/code");

    expect(screen.getByText("Enter the 6-digit code we sent you to finish signing in.")).toBeInTheDocument();
    await enterCode(user, "123456");

    expect(await screen.findByText(/Sign in with your email and password first/)).toBeInTheDocument();
    expect(router.state.location.pathname).toBe("/signin");
  });

  it("asks for the full code, without calling the API, when fewer than 6 digits are entered", async () => {
    const api = mockApi({});
    const { user } = renderApp("/signin/code", arrival);

    await enterCode(user, "123");

    expect(await screen.findByRole("alert")).toHaveTextContent("The code has 6 digits.");
    expect(screen.getByLabelText("Verification code")).toHaveAttribute("aria-invalid", "true");
    expect(api.calls).toHaveLength(0);
  });

  it("resends the code and says where it went, in its own status region", async () => {
    const answer = deferred<Response>();
    const api = mockApi({ "POST /api/signin/otp/send": () => answer.promise });
    const { user } = renderApp("/signin/code", { email: "ada@example.com" });

    await user.click(screen.getByRole("button", { name: "Send a new code" }));
    const busy = screen.getByRole("button", { name: /Sending/ });
    expect(busy).toBeDisabled();
    expect(busy).toHaveAttribute("aria-busy", "true");

    answer.resolve(json(200, { next: "otp", delivery: { medium: "EMAIL", destination: "a***@n***.org" } }));

    await waitFor(() =>
      expect(screen.getByRole("status")).toHaveTextContent("We sent a new code by email to a***@n***.org."),
    );
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
    expect(api.callsTo("POST /api/signin/otp/send")[0]?.body).toEqual({});
    expect(screen.getByRole("button", { name: "Send a new code" })).toHaveFocus();
  });

  it("says so when resending fails, without leaving the page", async () => {
    mockApi({ "POST /api/signin/otp/send": apiError(429, "rate_limited") });
    const { user, router } = renderApp("/signin/code", arrival);

    await user.click(screen.getByRole("button", { name: "Send a new code" }));

    await waitFor(() => expect(screen.getByRole("status")).toHaveTextContent("Too many attempts."));
    expect(router.state.location.pathname).toBe("/signin/code");
  });
});
