import { screen, waitFor } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { apiError, delivery, json, mockApi, renderApp } from "./helpers";

const webauthn = vi.hoisted(() => ({ startAuthentication: vi.fn(), startRegistration: vi.fn() }));
vi.mock("@simplewebauthn/browser", async (importOriginal) => ({
  ...(await importOriginal<typeof import("@simplewebauthn/browser")>()),
  browserSupportsWebAuthn: () => true,
  browserSupportsWebAuthnAutofill: async () => false,
  startAuthentication: webauthn.startAuthentication,
  startRegistration: webauthn.startRegistration,
}));

const requestOptions = { challenge: "Y2hhbGxlbmdl", rpId: "localhost", allowCredentials: [{ id: "Y3JlZA", type: "public-key" }], userVerification: "required" };
const assertion = { id: "Y3JlZA", rawId: "Y3JlZA", type: "public-key", response: { clientDataJSON: "e30", authenticatorData: "AA", signature: "AA" }, clientExtensionResults: {} };
const choosing = { email: "ada@example.com" };

function notAllowed(): Error {
  const cause = new DOMException("The operation either timed out or was not allowed.", "NotAllowedError");
  return Object.assign(new Error(cause.message), { name: "NotAllowedError", code: "ERROR_PASSTHROUGH_SEE_CAUSE_PROPERTY", cause });
}

beforeEach(() => {
  webauthn.startAuthentication.mockReset();
});
afterEach(() => {
  vi.unstubAllGlobals();
});

describe("the choose step: passkey or emailed code", () => {
  it("offers both methods under 'Choose how to confirm it's you' without calling the API", () => {
    const api = mockApi({});
    renderApp("/signin/choose", choosing);
    expect(screen.getByRole("heading", { level: 1, name: "Choose how to confirm it's you" })).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Use a passkey" })).toBeEnabled();
    expect(screen.getByRole("button", { name: "Email me a code" })).toBeEnabled();
    expect(api.calls).toEqual([]);
  });

  it("runs the passkey ceremony with the BFF's options, posts the credential and follows redirectTo", async () => {
    webauthn.startAuthentication.mockResolvedValue(assertion);
    const api = mockApi({
      "POST /api/signin/passkey/options": json(200, requestOptions),
      "POST /api/signin/passkey": json(200, { next: "done", redirectTo: "/account" }),
    });
    const { user, router } = renderApp("/signin/choose", choosing);

    await user.click(screen.getByRole("button", { name: "Use a passkey" }));

    await waitFor(() => expect(router.state.location.pathname).toBe("/account"));
    expect(webauthn.startAuthentication).toHaveBeenCalledWith({ optionsJSON: requestOptions });
    expect(api.callsTo("POST /api/signin/passkey")[0]?.body).toEqual({ credential: assertion });
    expect(api.callsTo("POST /api/signin/otp/send")).toHaveLength(0);
  });

  it("returns to the choice with a calm message when the passkey prompt is cancelled", async () => {
    webauthn.startAuthentication.mockRejectedValue(notAllowed());
    const api = mockApi({ "POST /api/signin/passkey/options": json(200, requestOptions) });
    const { user, router } = renderApp("/signin/choose", choosing);

    await user.click(screen.getByRole("button", { name: "Use a passkey" }));

    expect(await screen.findByRole("status")).toHaveTextContent("The passkey prompt closed before it finished");
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
    expect(router.state.location.pathname).toBe("/signin/choose");
    expect(screen.getByRole("button", { name: "Use a passkey" })).toBeEnabled();
    expect(api.callsTo("POST /api/signin/passkey")).toHaveLength(0);
  });

  it("shows the BFF's words when the passkey is rejected, and keeps both choices", async () => {
    webauthn.startAuthentication.mockResolvedValue(assertion);
    mockApi({
      "POST /api/signin/passkey/options": json(200, requestOptions),
      "POST /api/signin/passkey": apiError(400, "passkey_rejected"),
    });
    const { user } = renderApp("/signin/choose", choosing);

    await user.click(screen.getByRole("button", { name: "Use a passkey" }));

    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("server text for passkey_rejected");
    expect(alert).toHaveFocus();
    expect(screen.getByRole("button", { name: "Email me a code" })).toBeEnabled();
  });

  it("sends a code only when the person chooses it, then shows the code page", async () => {
    const api = mockApi({ "POST /api/signin/otp/send": json(200, { next: "otp", delivery }) });
    const { user, router } = renderApp("/signin/choose", choosing);

    await user.click(screen.getByRole("button", { name: "Email me a code" }));

    await screen.findByRole("heading", { level: 1, name: "Enter your code" });
    expect(router.state.location.pathname).toBe("/signin/code");
    expect(api.callsTo("POST /api/signin/otp/send")).toHaveLength(1);
  });

  it("goes back to sign in, saying why, when the pending sign-in has expired", async () => {
    mockApi({ "POST /api/signin/otp/send": apiError(401, "session_expired"), "GET /api/interaction": apiError(404, "not_found") });
    const { user, router } = renderApp("/signin/choose", choosing);

    await user.click(screen.getByRole("button", { name: "Email me a code" }));

    await waitFor(() => expect(router.state.location.pathname).toBe("/signin"));
    expect(await screen.findByText(/has expired/)).toBeInTheDocument();
    expect(screen.getByLabelText("Email address")).toHaveValue("ada@example.com");
  });
});

describe("passkey-first on the sign-in page", () => {
  it("signs in with 'Sign in with a passkey' using usernameless options", async () => {
    webauthn.startAuthentication.mockResolvedValue(assertion);
    const usernameless = { ...requestOptions, allowCredentials: [] };
    const api = mockApi({
      "GET /api/interaction": apiError(404, "not_found"),
      "POST /api/signin/passkey/options": json(200, usernameless),
      "POST /api/signin/passkey": json(200, { next: "done", redirectTo: "/account" }),
    });
    const { user, router } = renderApp("/signin");

    await user.click(screen.getByRole("button", { name: "Sign in with a passkey" }));

    await waitFor(() => expect(router.state.location.pathname).toBe("/account"));
    expect(webauthn.startAuthentication).toHaveBeenCalledWith({ optionsJSON: usernameless });
    expect(api.callsTo("POST /api/signin")).toHaveLength(0);
  });
});
