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
const pendingCode = (extra: Record<string, unknown> = {}) =>
  json(200, { pending: true, next: "otp", methods: ["otp"], delivery, resendAvailableInSeconds: 0, resendsLeft: 3, ...extra });

afterEach(() => {
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

/** The code page once its arrival check (GET /api/signin) has answered. */
async function codeInput() {
  return screen.findByLabelText("Verification code");
}

async function enterCode(user: ReturnType<typeof renderApp>["user"], code: string) {
  await user.type(await codeInput(), code);
  await user.click(screen.getByRole("button", { name: "Verify and sign in" }));
}

describe("code form", () => {
  it("says where the code went and sets up the input for one-time codes", async () => {
    mockApi({});
    renderApp("/signin/code", arrival);

    const input = await codeInput();
    expect(screen.getByText(/We sent a 6-digit code by email to a\*\*\*@e\*\*\*\.com/)).toBeInTheDocument();
    expect(input).toHaveAttribute("autocomplete", "one-time-code");
    expect(input).toHaveAttribute("inputmode", "numeric");
  });

  it("posts the code and follows redirectTo to the account page, replacing the code page in the history", async () => {
    const api = mockApi({ ...signedIn, "POST /api/signin/otp": json(200, { next: "done", redirectTo: "/account" }) });
    const { user, router } = renderApp("/signin/code", arrival);

    await enterCode(user, "123456");

    await screen.findByRole("region", { name: /^User info/ });
    expect(router.state.location.pathname).toBe("/account");
    // Replaced, not pushed: Back cannot return to "Enter your code" for a sign-in that is over.
    expect(router.state.historyAction).toBe("REPLACE");
    expect(screen.getByRole("heading", { level: 1, name: "Your account" })).toHaveFocus();
    expect(api.callsTo("POST /api/signin/otp")[0]?.body).toEqual({ code: "123456" });
  });

  it("accepts digits only: letters, spaces and dashes are dropped and the length is capped", async () => {
    mockApi({});
    const { user } = renderApp("/signin/code", arrival);
    const input = await codeInput();

    await user.type(input, "12a3-4 5b678");

    expect(input).toHaveValue("123456");
  });

  it.each([
    ["123 456", "123456"],
    ["654-321", "654321"],
    [" 12 34 56 ", "123456"],
  ])("keeps all six digits of a pasted %j (the separators do not count against the length)", async (pasted, expected) => {
    mockApi({});
    const { user } = renderApp("/signin/code", arrival);
    const input = await codeInput();

    await user.click(input);
    await user.paste(pasted);

    expect(input).toHaveValue(expected);
    // A maxLength on the input would make the browser cut the paste before the separators go.
    expect(input).not.toHaveAttribute("maxlength");
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

  it("sends a sign-in that ended meanwhile back to sign in (no_pending_signin from the BFF)", async () => {
    mockApi({ "POST /api/signin/otp": apiError(400, "no_pending_signin"), "GET /api/interaction": apiError(404, "not_found") });
    const { user, router } = renderApp("/signin/code");

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
    expect(api.callsTo("POST /api/signin/otp")).toHaveLength(0);
  });
});

describe("the code page belongs to a sign-in in progress", () => {
  it("shows no form, and goes to sign in with a plain note, when this browser has no sign-in pending (opened directly)", async () => {
    const api = mockApi({
      "GET /api/signin": json(200, { pending: false }),
      "GET /api/session": json(200, { authenticated: false }),
      "GET /api/interaction": apiError(404, "not_found"),
    });
    const { router } = renderApp("/signin/code");

    expect(await screen.findByRole("heading", { level: 1, name: "Sign in" })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe("/signin");
    expect(screen.getByText("There's no sign-in in progress. Sign in with your email and password to get a code.")).toBeInTheDocument();
    expect(screen.queryByText(/took too long and has expired/)).not.toBeInTheDocument();
    expect(api.callsTo("POST /api/signin/otp")).toHaveLength(0);
  });

  it("goes to the account page when the sign-in is over and the person is signed in (Back after signing in)", async () => {
    mockApi({ ...signedIn, "GET /api/signin": json(200, { pending: false }) });
    const { router } = renderApp("/signin/code", arrival);

    expect(await screen.findByRole("heading", { level: 1, name: "Your account" })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe("/account");
  });

  it("goes to the choice first when no code was sent yet", async () => {
    mockApi({ "GET /api/signin": json(200, { pending: true, next: "choose", methods: ["passkey", "otp"] }), "GET /api/interaction": apiError(404, "not_found") });
    const { router } = renderApp("/signin/code", arrival);

    expect(await screen.findByRole("heading", { level: 1, name: "Choose how to confirm it's you" })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe("/signin/choose");
  });

  it("takes where the code went from the BFF when the page is reloaded without its history state", async () => {
    mockApi({ "GET /api/signin": pendingCode({ delivery: { medium: "EMAIL", destination: "z***@q***" } }) });
    renderApp("/signin/code");

    expect(await screen.findByText(/by email to z\*\*\*@q\*\*\*/)).toBeInTheDocument();
  });
});

describe("sending a new code", () => {
  it("resends the code and says where it went, in its own status region", async () => {
    const answer = deferred<Response>();
    const api = mockApi({ "POST /api/signin/otp/send": () => answer.promise });
    const { user } = renderApp("/signin/code", { email: "ada@example.com" });

    await user.click(await screen.findByRole("button", { name: "Send a new code" }));
    const busy = screen.getByRole("button", { name: /Sending/ });
    expect(busy).toBeDisabled();
    expect(busy).toHaveAttribute("aria-busy", "true");

    answer.resolve(json(200, { next: "otp", delivery: { medium: "EMAIL", destination: "a***@n***.org" }, resendAvailableInSeconds: 0, resendsLeft: 2 }));

    await waitFor(() => expect(screen.getByRole("status")).toHaveTextContent("We sent a new code by email to a***@n***.org."));
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
    expect(api.callsTo("POST /api/signin/otp/send")[0]?.body).toEqual({});
    expect(screen.getByRole("button", { name: "Send a new code" })).toHaveFocus();
  });

  it("waits out the cool-down the BFF names before the button can be used again", async () => {
    mockApi({ "GET /api/signin": pendingCode({ resendAvailableInSeconds: 30 }) });
    renderApp("/signin/code", arrival);

    const button = await screen.findByRole("button", { name: /Send a new code \(in (30|29) s\)/ });
    expect(button).toBeDisabled();
  });

  it("clears the last code's error and attempt count once a new code is sent", async () => {
    mockApi({
      "POST /api/signin/otp": apiError(400, "code_mismatch", { attemptsLeft: 2 }),
      "POST /api/signin/otp/send": json(200, { next: "otp", delivery, resendAvailableInSeconds: 0, resendsLeft: 2 }),
    });
    const { user } = renderApp("/signin/code", arrival);
    await enterCode(user, "111111");
    expect(await screen.findByRole("alert")).toHaveTextContent("2 attempts left");

    await user.click(screen.getByRole("button", { name: "Send a new code" }));

    await waitFor(() => expect(screen.getByRole("status")).toHaveTextContent("We sent a new code"));
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
    expect(screen.queryByText(/attempts left/)).not.toBeInTheDocument();
  });

  it("says the cap is per sign-in, not 'wait a minute', when no more codes are allowed, and offers to start again", async () => {
    mockApi({ "POST /api/signin/otp/send": apiError(429, "limit_exceeded") });
    const { user, router } = renderApp("/signin/code", arrival);

    await user.click(await screen.findByRole("button", { name: "Send a new code" }));

    await waitFor(() => expect(screen.getByRole("status")).toHaveTextContent("You've asked for the most new codes one sign-in allows."));
    expect(screen.getByRole("status")).not.toHaveTextContent("Wait a minute");
    expect(screen.queryByRole("button", { name: /Send a new code/ })).not.toBeInTheDocument();
    expect(screen.getByRole("link", { name: "Sign in again" })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe("/signin/code");
  });

  it("offers no resend button once the BFF says none are left", async () => {
    mockApi({ "GET /api/signin": pendingCode({ resendsLeft: 0 }) });
    renderApp("/signin/code", arrival);

    expect(await screen.findByText(/You've had every new code one sign-in allows/)).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: /Send a new code/ })).not.toBeInTheDocument();
  });

  it("counts down from the BFF's answer when a resend comes too soon", async () => {
    mockApi({ "POST /api/signin/otp/send": apiError(429, "resend_too_soon", { retryAfterSeconds: 12 }) });
    const { user } = renderApp("/signin/code", arrival);

    await user.click(await screen.findByRole("button", { name: "Send a new code" }));

    await waitFor(() => expect(screen.getByRole("status")).toHaveTextContent("You can ask for another code in 12 seconds."));
    expect(screen.getByRole("button", { name: /Send a new code \(in 1[12] s\)/ })).toBeDisabled();
  });

  it("says so when resending fails, without leaving the page", async () => {
    mockApi({ "POST /api/signin/otp/send": apiError(429, "rate_limited") });
    const { user, router } = renderApp("/signin/code", arrival);

    await user.click(await screen.findByRole("button", { name: "Send a new code" }));

    await waitFor(() => expect(screen.getByRole("status")).toHaveTextContent("Too many attempts."));
    expect(router.state.location.pathname).toBe("/signin/code");
  });
});

describe("a relying party's sign-in", () => {
  it("names the app and offers Cancel on the code page", async () => {
    mockApi({ "GET /api/interaction": json(200, { client: { id: "rp", name: "Demo app" }, prompt: "login" }) });
    renderApp("/signin/code", arrival);

    await codeInput();
    expect(await screen.findByText("Demo app", { selector: "strong" })).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "Cancel and go back to Demo app" })).toHaveAttribute("href", "/interaction/cancel");
  });
});
