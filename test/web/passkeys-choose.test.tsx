import { screen, waitFor } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { apiError, deferred, delivery, json, mockApi, renderApp } from "./helpers";

const webauthn = vi.hoisted(() => ({ startAuthentication: vi.fn(), startRegistration: vi.fn() }));
vi.mock("@simplewebauthn/browser", async (importOriginal) => ({
  ...(await importOriginal<typeof import("@simplewebauthn/browser")>()),
  browserSupportsWebAuthn: () => true,
  browserSupportsWebAuthnAutofill: async () => false,
  startAuthentication: webauthn.startAuthentication,
  startRegistration: webauthn.startRegistration,
}));

const requestOptions = { challenge: "Y2hhbGxlbmdl", rpId: "localhost", allowCredentials: [{ id: "Y3JlZA", type: "public-key" }], userVerification: "required" };
const assertion = {
  id: "Y3JlZA",
  rawId: "Y3JlZA",
  type: "public-key",
  response: { clientDataJSON: "e30", authenticatorData: "AA", signature: "AA" },
  clientExtensionResults: {},
};
const choosing = { email: "ada@example.com" };
const pendingChoice = { "GET /api/signin": json(200, { pending: true, next: "choose", methods: ["passkey", "otp"] }) };
const noInteraction = { "GET /api/interaction": apiError(404, "not_found") };

function notAllowed(): Error {
  const cause = new DOMException("The operation either timed out or was not allowed.", "NotAllowedError");
  return Object.assign(new Error(cause.message), { name: "NotAllowedError", code: "ERROR_PASSTHROUGH_SEE_CAUSE_PROPERTY", cause });
}

beforeEach(() => {
  webauthn.startAuthentication.mockReset();
  localStorage.clear();
});
afterEach(() => {
  vi.unstubAllGlobals();
});

describe("the choose step: passkey or emailed code", () => {
  it("offers both methods under 'Choose how to confirm it's you', sending nothing but the arrival check", async () => {
    const api = mockApi({ ...pendingChoice });
    renderApp("/signin/choose", choosing);
    expect(await screen.findByRole("heading", { level: 1, name: "Choose how to confirm it's you" })).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Use a passkey" })).toBeEnabled();
    expect(screen.getByRole("button", { name: "Email me a code" })).toBeEnabled();
    expect(api.calls.map((call) => `${call.method} ${call.path}`).filter((call) => call !== "GET /api/interaction")).toEqual(["GET /api/signin"]);
  });

  it("runs the passkey ceremony with the pending user's options (second-factor), posts the credential and follows redirectTo", async () => {
    webauthn.startAuthentication.mockResolvedValue(assertion);
    const api = mockApi({
      ...pendingChoice,
      "POST /api/signin/passkey/options": json(200, requestOptions),
      "POST /api/signin/passkey": json(200, { next: "done", redirectTo: "/account" }),
    });
    const { user, router } = renderApp("/signin/choose", choosing);

    await user.click(await screen.findByRole("button", { name: "Use a passkey" }));

    await waitFor(() => expect(router.state.location.pathname).toBe("/account"));
    expect(api.callsTo("POST /api/signin/passkey/options")[0]?.body).toEqual({ purpose: "second-factor" });
    expect(webauthn.startAuthentication).toHaveBeenCalledWith({ optionsJSON: requestOptions });
    expect(api.callsTo("POST /api/signin/passkey")[0]?.body).toEqual({ credential: assertion });
    expect(api.callsTo("POST /api/signin/otp/send")).toHaveLength(0);
  });

  it("returns to the choice with a calm message when the passkey prompt is cancelled", async () => {
    webauthn.startAuthentication.mockRejectedValue(notAllowed());
    const api = mockApi({ ...pendingChoice, "POST /api/signin/passkey/options": json(200, requestOptions) });
    const { user, router } = renderApp("/signin/choose", choosing);

    await user.click(await screen.findByRole("button", { name: "Use a passkey" }));

    expect(await screen.findByRole("status")).toHaveTextContent("The passkey prompt closed before it finished");
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
    expect(router.state.location.pathname).toBe("/signin/choose");
    expect(screen.getByRole("button", { name: "Use a passkey" })).toBeEnabled();
    expect(api.callsTo("POST /api/signin/passkey")).toHaveLength(0);
  });

  it("shows the BFF's words when the passkey is rejected, and keeps both choices", async () => {
    webauthn.startAuthentication.mockResolvedValue(assertion);
    mockApi({
      ...pendingChoice,
      "POST /api/signin/passkey/options": json(200, requestOptions),
      "POST /api/signin/passkey": apiError(400, "passkey_rejected"),
    });
    const { user } = renderApp("/signin/choose", choosing);

    await user.click(await screen.findByRole("button", { name: "Use a passkey" }));

    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("server text for passkey_rejected");
    expect(alert).toHaveFocus();
    expect(screen.getByRole("button", { name: "Email me a code" })).toBeEnabled();
  });

  it("sends a code only when the person chooses it, then shows the code page", async () => {
    let codeSent = false;
    const api = mockApi({
      // The code page asks again on arrival: by then the code was sent.
      "GET /api/signin": () =>
        json(200, codeSent ? { pending: true, next: "otp", methods: ["passkey", "otp"], delivery } : { pending: true, next: "choose", methods: ["passkey", "otp"] }),
      "POST /api/signin/otp/send": () => {
        codeSent = true;
        return json(200, { next: "otp", delivery });
      },
    });
    const { user, router } = renderApp("/signin/choose", choosing);

    await user.click(await screen.findByRole("button", { name: "Email me a code" }));

    await screen.findByRole("heading", { level: 1, name: "Enter your code" });
    expect(router.state.location.pathname).toBe("/signin/code");
    expect(api.callsTo("POST /api/signin/otp/send")).toHaveLength(1);
  });

  it("sends no second code when one is already on its way (back from the code page)", async () => {
    const api = mockApi({
      "GET /api/signin": json(200, { pending: true, next: "otp", methods: ["passkey", "otp"], delivery, resendAvailableInSeconds: 20, resendsLeft: 3 }),
    });
    const { user, router } = renderApp("/signin/choose", choosing);

    await user.click(await screen.findByRole("button", { name: "Enter the code we sent" }));

    await screen.findByRole("heading", { level: 1, name: "Enter your code" });
    expect(router.state.location.pathname).toBe("/signin/code");
    expect(api.callsTo("POST /api/signin/otp/send")).toHaveLength(0);
  });

  it("goes back to sign in, saying why, when the pending sign-in has expired", async () => {
    mockApi({ ...pendingChoice, ...noInteraction, "POST /api/signin/otp/send": apiError(401, "session_expired") });
    const { user, router } = renderApp("/signin/choose", choosing);

    await user.click(await screen.findByRole("button", { name: "Email me a code" }));

    await waitFor(() => expect(router.state.location.pathname).toBe("/signin"));
    expect(await screen.findByText(/has expired/)).toBeInTheDocument();
    expect(screen.getByLabelText("Email address")).toHaveValue("ada@example.com");
  });

  it("shows no choice, and goes to sign in, when this browser has no sign-in pending (opened directly)", async () => {
    const api = mockApi({ ...noInteraction, "GET /api/signin": json(200, { pending: false }), "GET /api/session": json(200, { authenticated: false }) });
    const { router } = renderApp("/signin/choose");

    expect(await screen.findByRole("heading", { level: 1, name: "Sign in" })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe("/signin");
    expect(screen.getByText(/There's no sign-in in progress/)).toBeInTheDocument();
    expect(api.callsTo("POST /api/signin/otp/send")).toHaveLength(0);
  });

  it("names the relying party and offers Cancel", async () => {
    mockApi({ ...pendingChoice, "GET /api/interaction": json(200, { client: { id: "rp", name: "Demo app" }, prompt: "login" }) });
    renderApp("/signin/choose", choosing);

    expect(await screen.findByText("Demo app", { selector: "strong" })).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "Cancel and go back to Demo app" })).toHaveAttribute("href", "/interaction/cancel");
  });
});

describe("two accounts in one browser: A's password, then B's passkey", () => {
  it("ends A's pending sign-in on 'Sign in with a different account', then offers B's passkey usernameless", async () => {
    webauthn.startAuthentication.mockResolvedValue(assertion);
    const usernameless = { ...requestOptions, allowCredentials: [] };
    const api = mockApi({
      ...pendingChoice,
      ...noInteraction,
      "POST /api/signin/passkey/options": json(200, usernameless),
      "POST /api/signin/passkey": json(200, { next: "done", redirectTo: "/account" }),
    });
    const { user, router } = renderApp("/signin/choose", choosing);

    await user.click(await screen.findByRole("link", { name: "Sign in with a different account" }));
    await screen.findByRole("heading", { level: 1, name: "Sign in" });
    // A different account starts from an empty form.
    expect(screen.getByLabelText("Email address")).toHaveValue("");
    await waitFor(() => expect(api.callsTo("DELETE /api/signin").length).toBeGreaterThanOrEqual(1));

    await user.click(screen.getByRole("button", { name: "Sign in with a passkey" }));

    await waitFor(() => expect(router.state.location.pathname).toBe("/account"));
    expect(api.callsTo("POST /api/signin/passkey/options").map((call) => call.body)).toEqual([{ purpose: "passkey-first" }]);
    expect(webauthn.startAuthentication).toHaveBeenCalledWith({ optionsJSON: usernameless });
  });
});

describe("passkey-first on the sign-in page", () => {
  it("signs in with 'Sign in with a passkey' using usernameless options (purpose passkey-first)", async () => {
    webauthn.startAuthentication.mockResolvedValue(assertion);
    const usernameless = { ...requestOptions, allowCredentials: [] };
    const api = mockApi({
      ...noInteraction,
      "POST /api/signin/passkey/options": json(200, usernameless),
      "POST /api/signin/passkey": json(200, { next: "done", redirectTo: "/account" }),
    });
    const { user, router } = renderApp("/signin");

    await user.click(screen.getByRole("button", { name: "Sign in with a passkey" }));

    await waitFor(() => expect(router.state.location.pathname).toBe("/account"));
    expect(api.callsTo("POST /api/signin/passkey/options")[0]?.body).toEqual({ purpose: "passkey-first" });
    expect(webauthn.startAuthentication).toHaveBeenCalledWith({ optionsJSON: usernameless });
    expect(api.callsTo("POST /api/signin")).toHaveLength(0);
    // Remembered as a passkey of this device, for the account page's wording.
    expect(localStorage.getItem("tobira.passkeys-here")).toContain(assertion.id);
  });

  it("ends any pending sign-in of this browser when the sign-in page opens", async () => {
    const api = mockApi({ ...noInteraction });
    renderApp("/signin");
    await waitFor(() => expect(api.callsTo("DELETE /api/signin")).not.toHaveLength(0));
    expect(api.callsTo("DELETE /api/signin")[0]?.headers.get("Content-Type")).toBe("application/json");
  });

  it("sends the password only after the end of the earlier sign-in is answered, so it cannot end the new one", async () => {
    const ended = deferred<Response>();
    const api = mockApi({ ...noInteraction, "DELETE /api/signin": () => ended.promise, "POST /api/signin": json(200, { next: "otp", delivery }) });
    const { user } = renderApp("/signin");

    await user.type(screen.getByLabelText("Email address"), "ada@example.com");
    await user.type(screen.getByLabelText("Password"), "Correct-horse1!");
    await user.click(screen.getByRole("button", { name: "Continue" }));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(api.callsTo("POST /api/signin")).toHaveLength(0);

    ended.resolve(new Response(null, { status: 204 }));
    await waitFor(() => expect(api.callsTo("POST /api/signin")).toHaveLength(1));
  });

  it("tells the browser's passkey provider about a passkey the account does not know (signalUnknownCredential), where supported", async () => {
    webauthn.startAuthentication.mockResolvedValue(assertion);
    const signalUnknownCredential = vi.fn(async () => undefined);
    vi.stubGlobal(
      "PublicKeyCredential",
      Object.assign(function PublicKeyCredential() {}, { signalUnknownCredential }),
    );
    mockApi({
      ...noInteraction,
      "POST /api/signin/passkey/options": json(200, { ...requestOptions, allowCredentials: [] }),
      "POST /api/signin/passkey": apiError(400, "passkey_rejected", { reason: "unknown_credential" }),
    });
    const { user } = renderApp("/signin");

    await user.click(screen.getByRole("button", { name: "Sign in with a passkey" }));

    await screen.findByRole("alert");
    expect(signalUnknownCredential).toHaveBeenCalledWith({ rpId: "localhost", credentialId: assertion.id });
  });

  it("sends no signal for other refusals", async () => {
    webauthn.startAuthentication.mockResolvedValue(assertion);
    const signalUnknownCredential = vi.fn(async () => undefined);
    vi.stubGlobal(
      "PublicKeyCredential",
      Object.assign(function PublicKeyCredential() {}, { signalUnknownCredential }),
    );
    mockApi({
      ...noInteraction,
      "POST /api/signin/passkey/options": json(200, { ...requestOptions, allowCredentials: [] }),
      "POST /api/signin/passkey": apiError(400, "passkey_rejected"),
    });
    const { user } = renderApp("/signin");

    await user.click(screen.getByRole("button", { name: "Sign in with a passkey" }));

    await screen.findByRole("alert");
    expect(signalUnknownCredential).not.toHaveBeenCalled();
  });

  it("stays silent where the browser has no Signal API", async () => {
    webauthn.startAuthentication.mockResolvedValue(assertion);
    vi.stubGlobal(
      "PublicKeyCredential",
      Object.assign(function PublicKeyCredential() {}, {}),
    );
    mockApi({
      ...noInteraction,
      "POST /api/signin/passkey/options": json(200, { ...requestOptions, allowCredentials: [] }),
      "POST /api/signin/passkey": apiError(400, "passkey_rejected", { reason: "unknown_credential" }),
    });
    const { user } = renderApp("/signin");

    await user.click(screen.getByRole("button", { name: "Sign in with a passkey" }));

    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("server text for passkey_rejected");
  });
});
