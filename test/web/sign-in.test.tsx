import { screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { apiError, deferred, delivery, json, mockApi, renderApp } from "./helpers";

const noInteraction = { "GET /api/interaction": apiError(404, "not_found") };

afterEach(() => {
  vi.unstubAllGlobals();
});

async function fillAndSubmit(user: ReturnType<typeof renderApp>["user"], email: string, password: string) {
  if (email) await user.type(screen.getByLabelText("Email address"), email);
  if (password) await user.type(screen.getByLabelText("Password"), password);
  await user.click(screen.getByRole("button", { name: "Continue" }));
}

describe("sign-in form", () => {
  it("posts the email and password as JSON to /api/signin, same-origin", async () => {
    const api = mockApi({ ...noInteraction, "POST /api/signin": json(200, { next: "otp", delivery }) });
    const { user } = renderApp("/signin");

    await fillAndSubmit(user, "  Ada@Example.com ", "Correct-horse1!");

    await waitFor(() => expect(api.callsTo("POST /api/signin")).toHaveLength(1));
    const [call] = api.callsTo("POST /api/signin");
    expect(call?.body).toEqual({ email: "ada@example.com", password: "Correct-horse1!" });
    expect(call?.headers.get("Content-Type")).toBe("application/json");
    expect(call?.credentials).toBe("same-origin");
  });

  it("shows 'Incorrect email or password.' in an alert that takes focus on invalid_credentials", async () => {
    mockApi({ ...noInteraction, "POST /api/signin": apiError(401, "invalid_credentials") });
    const { user } = renderApp("/signin");

    await fillAndSubmit(user, "ada@example.com", "wrong-password");

    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("Incorrect email or password.");
    expect(alert).not.toHaveTextContent("server text");
    expect(alert).toHaveFocus();
  });

  it("goes to the code page, saying where the code went, on next: otp", async () => {
    mockApi({ ...noInteraction, "POST /api/signin": json(200, { next: "otp", delivery }) });
    const { user, router } = renderApp("/signin");

    await fillAndSubmit(user, "ada@example.com", "Correct-horse1!");

    expect(await screen.findByRole("heading", { level: 1, name: "Enter your code" })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe("/signin/code");
    expect(screen.getByText(/by email to a\*\*\*@e\*\*\*\.com/)).toBeInTheDocument();
  });

  it("marks the button busy and disabled while the request is pending", async () => {
    const answer = deferred<Response>();
    mockApi({ ...noInteraction, "POST /api/signin": () => answer.promise });
    const { user } = renderApp("/signin");

    await fillAndSubmit(user, "ada@example.com", "Correct-horse1!");

    const button = screen.getByRole("button", { name: /Signing in/ });
    expect(button).toBeDisabled();
    expect(button).toHaveAttribute("aria-busy", "true");

    answer.resolve(apiError(401, "invalid_credentials"));
    const idle = await screen.findByRole("button", { name: "Continue" });
    expect(idle).toBeEnabled();
    expect(idle).not.toHaveAttribute("aria-busy");
  });

  it("asks for an email, without calling the API, when the email is empty", async () => {
    const api = mockApi(noInteraction);
    const { user } = renderApp("/signin");

    await fillAndSubmit(user, "", "Correct-horse1!");

    const summary = await screen.findByRole("alert");
    expect(summary).toHaveFocus();
    expect(within(summary).getByRole("link", { name: "Enter your email address." })).toHaveAttribute("href", "#signin-email");
    const email = screen.getByLabelText("Email address");
    expect(email).toHaveAttribute("aria-invalid", "true");
    expect(email).toHaveAccessibleDescription(expect.stringContaining("Enter your email address."));
    expect(api.callsTo("POST /api/signin")).toHaveLength(0);
  });

  it("rejects a malformed email, without calling the API", async () => {
    const api = mockApi(noInteraction);
    const { user } = renderApp("/signin");

    await fillAndSubmit(user, "ada@", "Correct-horse1!");

    expect(await screen.findByRole("alert")).toHaveTextContent("Enter a valid email address.");
    expect(screen.getByLabelText("Email address")).toHaveAttribute("aria-invalid", "true");
    expect(api.callsTo("POST /api/signin")).toHaveLength(0);
  });

  it("offers to confirm the account, carrying the email, on user_not_confirmed", async () => {
    mockApi({ ...noInteraction, "POST /api/signin": apiError(403, "user_not_confirmed") });
    const { user, router } = renderApp("/signin");

    await fillAndSubmit(user, "ada@example.com", "Correct-horse1!");
    await user.click(await screen.findByRole("link", { name: "Confirm your email address" }));

    expect(router.state.location.pathname).toBe("/signup/confirm");
    expect(await screen.findByLabelText("Email address")).toHaveValue("ada@example.com");
  });

  it("explains rate limiting in words on rate_limited", async () => {
    mockApi({ ...noInteraction, "POST /api/signin": apiError(429, "rate_limited") });
    const { user } = renderApp("/signin");

    await fillAndSubmit(user, "ada@example.com", "Correct-horse1!");

    expect(await screen.findByRole("alert")).toHaveTextContent("Too many attempts. Wait a minute, then try again.");
  });

  it("shows a friendly message when the server cannot be reached", async () => {
    mockApi({
      ...noInteraction,
      "POST /api/signin": () => {
        throw new TypeError("Failed to fetch");
      },
    });
    const { user } = renderApp("/signin");

    await fillAndSubmit(user, "ada@example.com", "Correct-horse1!");

    expect(await screen.findByRole("alert")).toHaveTextContent("We couldn't reach the server.");
  });

  it("offers the choice of methods, sending no code, when the answer is next: choose", async () => {
    const api = mockApi({
      ...noInteraction,
      "POST /api/signin": json(200, { next: "choose", methods: ["passkey", "otp"] }),
    });
    const { user, router } = renderApp("/signin");

    await fillAndSubmit(user, "ada@example.com", "Correct-horse1!");

    await screen.findByRole("heading", { level: 1, name: "Choose how to confirm it's you" });
    expect(router.state.location.pathname).toBe("/signin/choose");
    expect(api.callsTo("POST /api/signin/otp/send")).toHaveLength(0);
  });

  it("names the relying party when an authorization request is pending", async () => {
    mockApi({ "GET /api/interaction": json(200, { client: { id: "demo", name: "Demo App" }, prompt: "login" }) });
    renderApp("/signin");

    expect(await screen.findByText("Demo App")).toBeInTheDocument();
    expect(screen.getByText(/Sign in to continue to/)).toBeInTheDocument();
  });

  it("names no relying party when /api/interaction answers 404", async () => {
    const api = mockApi(noInteraction);
    renderApp("/signin");

    await waitFor(() => expect(api.callsTo("GET /api/interaction")).toHaveLength(1));
    expect(screen.queryByText(/continue to/)).not.toBeInTheDocument();
  });

  it("labels every input and uses the autocomplete values password managers expect", () => {
    mockApi(noInteraction);
    renderApp("/signin");

    // "webauthn" also offers passkeys in the field's autofill (conditional mediation).
    expect(screen.getByLabelText("Email address")).toHaveAttribute("autocomplete", "username webauthn");
    expect(screen.getByLabelText("Password")).toHaveAttribute("autocomplete", "current-password");
    expect(screen.getByRole("link", { name: "Create an account" })).toHaveAttribute("href", "/signup");
    expect(screen.getByRole("link", { name: "Forgot your password?" })).toHaveAttribute("href", "/password/forgot");
  });
});
