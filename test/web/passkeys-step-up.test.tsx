import { screen, waitFor } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Passkey } from "../../common/api-contract";
import { apiError, json, mockApi, renderApp } from "./helpers";
import { claims, creationOptions, registration, session } from "./passkey-fixtures";

/**
 * Adding a passkey when the BFF answers `step_up_required`: the page asks for the password, or a
 * passkey the account already has, in place, then resumes the registration.
 */

const webauthn = vi.hoisted(() => ({ startRegistration: vi.fn(), startAuthentication: vi.fn() }));
vi.mock("@simplewebauthn/browser", async (importOriginal) => ({
  ...(await importOriginal<typeof import("@simplewebauthn/browser")>()),
  browserSupportsWebAuthn: () => true,
  browserSupportsWebAuthnAutofill: async () => false,
  startRegistration: webauthn.startRegistration,
  startAuthentication: webauthn.startAuthentication,
}));

const assertion = {
  id: "b2xk",
  rawId: "b2xk",
  type: "public-key",
  response: { clientDataJSON: "e30", authenticatorData: "AA", signature: "AA" },
  clientExtensionResults: {},
};
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
const signedIn = { "GET /api/interaction": apiError(404, "not_found"), "GET /api/session": session, "GET /api/account/claims": claims };

/** A BFF that wants a step-up until POST /api/passkeys/step-up succeeds. */
function bffWantingStepUp(options: { passkeyAvailable: boolean; rightPassword?: string }) {
  let proved = false;
  let passkeys: Passkey[] = [];
  const api = mockApi({
    ...signedIn,
    "GET /api/passkeys": () => json(200, passkeys),
    "POST /api/passkeys/options": () => (proved ? json(200, creationOptions) : apiError(403, "step_up_required", { passkeyAvailable: options.passkeyAvailable })),
    "POST /api/passkeys/step-up/options": json(200, { challenge: "c3R1", rpId: "localhost", allowCredentials: [{ id: "b2xk", type: "public-key" }] }),
    "POST /api/passkeys/step-up": () => {
      const body = (api.callsTo("POST /api/passkeys/step-up").at(-1)?.body ?? {}) as { password?: string };
      if (body.password !== undefined && body.password !== options.rightPassword) {
        return apiError(400, "invalid_credentials", { fields: { password: "That password is not right." } });
      }
      proved = true;
      return json(200, { factorProvedUntil: 1_764_000_300 });
    },
    "POST /api/passkeys": () => {
      passkeys = [created];
      return json(201, created);
    },
  });
  return api;
}

beforeEach(() => {
  webauthn.startRegistration.mockReset();
  webauthn.startAuthentication.mockReset();
  localStorage.clear();
  sessionStorage.clear();
});
afterEach(() => vi.unstubAllGlobals());

describe("the step-up before adding a passkey", () => {
  it("asks for the password on the account page, refuses a wrong one, and adds the passkey after the right one", async () => {
    webauthn.startRegistration.mockResolvedValue(registration);
    const api = bffWantingStepUp({ passkeyAvailable: false, rightPassword: "Correct-horse1!" });
    const { user } = renderApp("/account");

    await screen.findByText("You have no passkeys yet.");
    await user.click(screen.getByRole("button", { name: "Add a passkey" }));

    const heading = await screen.findByRole("heading", { name: "Confirm it's you" });
    await waitFor(() => expect(heading).toHaveFocus());
    // No passkey on the account: only the password can confirm it.
    expect(screen.queryByRole("button", { name: "Use a passkey you already have" })).not.toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Add a passkey" })).not.toBeInTheDocument();
    expect(webauthn.startRegistration).not.toHaveBeenCalled();

    const field = screen.getByLabelText("Password");
    expect(field).toHaveAttribute("autocomplete", "current-password");
    await user.type(field, "Wrong-horse1!");
    await user.click(screen.getByRole("button", { name: "Confirm and add the passkey" }));
    await waitFor(() => expect(screen.getByLabelText("Password")).toHaveAttribute("aria-invalid", "true"));
    expect(screen.getAllByText("That password is not right.").length).toBeGreaterThan(0);
    expect(webauthn.startRegistration).not.toHaveBeenCalled();

    await user.clear(screen.getByLabelText("Password"));
    await user.type(screen.getByLabelText("Password"), "Correct-horse1!");
    await user.click(screen.getByRole("button", { name: "Confirm and add the passkey" }));

    expect(await screen.findByText(/Passkey added/)).toBeInTheDocument();
    expect(webauthn.startRegistration).toHaveBeenCalledTimes(1);
    expect(api.callsTo("POST /api/passkeys/step-up").map((call) => call.body)).toEqual([{ password: "Wrong-horse1!" }, { password: "Correct-horse1!" }]);
    expect(screen.queryByRole("heading", { name: "Confirm it's you" })).not.toBeInTheDocument();
  });

  it("offers 'Use a passkey you already have' on the Add a passkey page, and creates the passkey after that passkey confirms it", async () => {
    webauthn.startRegistration.mockResolvedValue(registration);
    webauthn.startAuthentication.mockResolvedValue(assertion);
    const api = bffWantingStepUp({ passkeyAvailable: true });
    const { user } = renderApp("/passkeys/add", { reason: "offer", continueTo: "/account" });

    await user.click(await screen.findByRole("button", { name: "Create a passkey" }));
    await screen.findByRole("heading", { name: "Confirm it's you" });
    await user.click(screen.getByRole("button", { name: "Use a passkey you already have" }));

    expect(await screen.findByText("Passkey added: “iCloud Keychain”")).toBeInTheDocument();
    expect(webauthn.startAuthentication).toHaveBeenCalledWith({ optionsJSON: expect.objectContaining({ challenge: "c3R1" }) });
    expect(api.callsTo("POST /api/passkeys/step-up")[0]?.body).toEqual({ credential: assertion });
    expect(webauthn.startRegistration).toHaveBeenCalledTimes(1);
  });

  it("says so when the passkey prompt is closed, and leaves the password form there", async () => {
    webauthn.startAuthentication.mockRejectedValue(Object.assign(new Error("closed"), { name: "NotAllowedError" }));
    bffWantingStepUp({ passkeyAvailable: true });
    const { user } = renderApp("/passkeys/add", { reason: "offer", continueTo: "/account" });

    await user.click(await screen.findByRole("button", { name: "Create a passkey" }));
    await user.click(await screen.findByRole("button", { name: "Use a passkey you already have" }));

    expect(await screen.findByText(/The passkey prompt closed before it finished/)).toBeInTheDocument();
    expect(screen.getByLabelText("Password")).toBeInTheDocument();
    expect(webauthn.startRegistration).not.toHaveBeenCalled();
  });

  it("asks for the password before confirming a passkey a reset paused, then confirms it", async () => {
    const paused: Passkey = { ...created, id: "cGF1c2Vk", name: "Old laptop", needsConfirmation: true };
    let proved = false;
    let list: Passkey[] = [paused];
    const api = mockApi({
      ...signedIn,
      "GET /api/passkeys": () => json(200, list),
      [`POST /api/passkeys/${paused.id}/confirm`]: () => {
        if (!proved) return apiError(403, "step_up_required", { passkeyAvailable: false });
        list = [{ ...paused, needsConfirmation: false }];
        return json(200, list[0]);
      },
      "POST /api/passkeys/step-up": () => {
        proved = true;
        return json(200, { factorProvedUntil: 1_764_000_300 });
      },
    });
    const { user } = renderApp("/account");

    await user.click(await screen.findByRole("button", { name: "Confirm Old laptop is yours" }));
    const heading = await screen.findByRole("heading", { name: "Confirm it's you" });
    await waitFor(() => expect(heading).toHaveFocus());
    await user.type(screen.getByLabelText("Password"), "Correct-horse1!");
    await user.click(screen.getByRole("button", { name: "Confirm and use it again" }));

    await waitFor(() => expect(api.callsTo(`POST /api/passkeys/${paused.id}/confirm`)).toHaveLength(2));
    await waitFor(() => expect(screen.queryByText("Paused")).not.toBeInTheDocument());
    expect(api.callsTo("POST /api/passkeys/step-up")[0]?.body).toEqual({ password: "Correct-horse1!" });
  });
  it("asks for the password before deleting a passkey once the sign-in's proof is old, then deletes it", async () => {
    const old: Passkey = { ...created, id: "b2xkLWxhcHRvcA", name: "Old laptop" };
    let proved = false;
    let list: Passkey[] = [old, created];
    const api = mockApi({
      ...signedIn,
      "GET /api/passkeys": () => json(200, list),
      [`DELETE /api/passkeys/${old.id}`]: () => {
        if (!proved) return apiError(403, "step_up_required", { passkeyAvailable: false });
        list = [created];
        return new Response(null, { status: 204 });
      },
      "POST /api/passkeys/step-up": () => {
        proved = true;
        return json(200, { factorProvedUntil: 1_764_000_300 });
      },
    });
    const { user } = renderApp("/account");

    await user.click(await screen.findByRole("button", { name: "Delete Old laptop" }));
    await user.click(screen.getByRole("button", { name: "Delete passkey" }));
    const heading = await screen.findByRole("heading", { name: "Confirm it's you" });
    await waitFor(() => expect(heading).toHaveFocus());
    expect(screen.queryByRole("button", { name: "Delete passkey" })).not.toBeInTheDocument();
    await user.type(screen.getByLabelText("Password"), "Correct-horse1!");
    await user.click(screen.getByRole("button", { name: "Confirm and delete the passkey" }));

    await waitFor(() => expect(api.callsTo(`DELETE /api/passkeys/${old.id}`)).toHaveLength(2));
    await waitFor(() => expect(screen.queryByRole("listitem", { name: "Old laptop" })).not.toBeInTheDocument());
    expect(api.callsTo("POST /api/passkeys/step-up")[0]?.body).toEqual({ password: "Correct-horse1!" });
  });
});
