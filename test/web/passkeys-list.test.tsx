import { screen, waitFor, within } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Passkey } from "../../common/api-contract";
import { apiError, json, mockApi, renderApp } from "./helpers";

const webauthn = vi.hoisted(() => ({ startRegistration: vi.fn() }));
vi.mock("@simplewebauthn/browser", async (importOriginal) => ({
  ...(await importOriginal<typeof import("@simplewebauthn/browser")>()),
  browserSupportsWebAuthn: () => true,
  browserSupportsWebAuthnAutofill: async () => false,
  startRegistration: webauthn.startRegistration,
}));

const session = json(200, {
  authenticated: true,
  user: { sub: "5f1c-sub", email: "ada@example.com", username: "5f1c-sub" },
  amr: ["pwd", "otp", "mfa"],
  authTime: 1_764_000_000,
});
const claims = json(200, { idToken: {}, accessToken: {}, userInfo: {} });
const laptop: Passkey = {
  needsConfirmation: false,
  id: "bGFwdG9w",
  name: "Work laptop",
  createdAt: "2026-11-20T09:00:00.000Z",
  lastUsedAt: null,
  deviceType: "singleDevice",
  backedUp: false,
  transports: ["internal"],
  provider: null,
  attachment: "platform",
};
const phone: Passkey = { ...laptop, id: "cGhvbmU", name: "Phone", deviceType: "multiDevice", backedUp: true, lastUsedAt: "2026-11-23T10:00:00.000Z" };

/** An account page whose passkey list the test can change between reads. */
function accountWith(initial: Passkey[], extra: Record<string, Response | (() => Response)> = {}) {
  let list = initial;
  const api = mockApi({
    "GET /api/session": session,
    "GET /api/account/claims": claims,
    "GET /api/passkeys": () => json(200, list),
    ...extra,
  });
  return { api, setList: (next: Passkey[]) => void (list = next) };
}

async function item(name: string): Promise<HTMLElement> {
  return screen.findByRole("listitem", { name });
}

beforeEach(() => {
  webauthn.startRegistration.mockReset();
  localStorage.clear();
});
afterEach(() => vi.unstubAllGlobals());

describe("the account page's passkeys", () => {
  it("leaves the section out where the BFF offers no passkeys (404, as in ALB mode)", async () => {
    mockApi({
      "GET /api/session": session,
      "GET /api/account/claims": claims,
      "GET /api/passkeys": apiError(404, "not_found"),
    });
    renderApp("/account");

    await screen.findByRole("heading", { name: "User info" });
    await waitFor(() => expect(screen.queryByRole("heading", { name: "Passkeys" })).not.toBeInTheDocument());
    expect(screen.queryByText("We couldn't load your passkeys.")).not.toBeInTheDocument();
  });

  it("lists each passkey with its name, kind, where it lives, creation and last use", async () => {
    accountWith([laptop, { ...phone, provider: "iCloud Keychain" }]);
    renderApp("/account");

    const first = await item("Work laptop");
    expect(within(first).getByText("Device-bound passkey")).toBeInTheDocument();
    expect(within(first).getByText(/Stays on the device that created it/)).toBeInTheDocument();
    expect(within(first).getByText("Never")).toBeInTheDocument();
    const second = await item("Phone");
    expect(within(second).getByText("Synced passkey")).toBeInTheDocument();
    expect(within(second).getByText("Saved in iCloud Keychain, so it works on every device signed in to it.")).toBeInTheDocument();
    expect(screen.getByRole("heading", { level: 2, name: "Passkeys" })).toBeInTheDocument();
  });

  it("says 'This device' only of a passkey made or used in this browser", async () => {
    localStorage.setItem("tobira.passkeys-here", JSON.stringify([phone.id]));
    accountWith([laptop, phone]);
    renderApp("/account");

    expect(within(await item("Work laptop")).queryByText("This device")).not.toBeInTheDocument();
    expect(within(await item("Phone")).getByText("This device")).toBeInTheDocument();
  });

  it("never calls a built-in authenticator a security key, and says so of a roaming USB key", async () => {
    const touchId: Passkey = { ...laptop, id: "dG91Y2g", name: "Chrome on Mac", transports: ["internal", "usb"], attachment: "platform" };
    const yubiKey: Passkey = {
      ...laptop,
      id: "eXViaQ",
      name: "YubiKey 5 Series with NFC",
      provider: "YubiKey 5 Series with NFC",
      transports: ["usb", "nfc"],
      attachment: "cross-platform",
    };
    accountWith([touchId, yubiKey]);
    renderApp("/account");

    const builtIn = await item("Chrome on Mac");
    expect(within(builtIn).getByText("Device-bound passkey")).toBeInTheDocument();
    expect(builtIn).not.toHaveTextContent(/security key|hardware key/i);
    expect(within(await item("YubiKey 5 Series with NFC")).getByText("Security key")).toBeInTheDocument();
  });

  it("shows a passkey paused by a password reset and confirms it (POST /api/passkeys/:id/confirm)", async () => {
    const account = accountWith([{ ...laptop, needsConfirmation: true }], {
      [`POST /api/passkeys/${laptop.id}/confirm`]: () => {
        account.setList([laptop]);
        return json(200, laptop);
      },
    });
    const { user } = renderApp("/account");

    const paused = await item("Work laptop");
    expect(within(paused).getByText("Paused")).toBeInTheDocument();
    expect(within(paused).getByText(/Your password was reset/)).toBeInTheDocument();
    await user.click(within(paused).getByRole("button", { name: "Confirm Work laptop is yours" }));

    await waitFor(() => expect(screen.queryByText("Paused")).not.toBeInTheDocument());
    expect(account.api.callsTo(`POST /api/passkeys/${laptop.id}/confirm`)).toHaveLength(1);
  });

  it("offers no confirmation for a passkey that is not paused", async () => {
    accountWith([laptop]);
    renderApp("/account");
    const listed = await item("Work laptop");
    expect(within(listed).queryByRole("button", { name: "Confirm Work laptop is yours" })).not.toBeInTheDocument();
    expect(within(listed).queryByText("Paused")).not.toBeInTheDocument();
  });

  it("renames a passkey through the inline form (PATCH /api/passkeys/:id)", async () => {
    const account = accountWith([laptop], {
      [`PATCH /api/passkeys/${laptop.id}`]: () => {
        account.setList([{ ...laptop, name: "Home laptop" }]);
        return json(200, { ...laptop, name: "Home laptop" });
      },
    });
    const { user } = renderApp("/account");

    await user.click(within(await item("Work laptop")).getByRole("button", { name: "Rename Work laptop" }));
    const field = screen.getByLabelText("Passkey name");
    expect(field).toHaveFocus();
    await user.clear(field);
    await user.type(field, "Home laptop");
    await user.click(screen.getByRole("button", { name: "Save name" }));

    expect(await item("Home laptop")).toBeInTheDocument();
    expect(account.api.callsTo(`PATCH /api/passkeys/${laptop.id}`)[0]?.body).toEqual({ name: "Home laptop" });
    expect(screen.queryByLabelText("Passkey name")).not.toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Rename Home laptop" })).toHaveFocus();
  });

  it("does not send an empty name", async () => {
    const account = accountWith([laptop]);
    const { user } = renderApp("/account");

    await user.click(within(await item("Work laptop")).getByRole("button", { name: "Rename Work laptop" }));
    await user.clear(screen.getByLabelText("Passkey name"));
    await user.click(screen.getByRole("button", { name: "Save name" }));

    expect(await screen.findByText("Give the passkey a name.")).toBeInTheDocument();
    expect(account.api.calls.filter((call) => call.method === "PATCH")).toHaveLength(0);
  });

  it("shows a failed rename on the name field", async () => {
    accountWith([laptop], { [`PATCH /api/passkeys/${laptop.id}`]: apiError(429, "rate_limited") });
    const { user } = renderApp("/account");

    await user.click(within(await item("Work laptop")).getByRole("button", { name: "Rename Work laptop" }));
    await user.click(screen.getByRole("button", { name: "Save name" }));

    await waitFor(() => expect(screen.getByLabelText("Passkey name")).toHaveAttribute("aria-invalid", "true"));
    expect(screen.getByLabelText("Passkey name")).toHaveAccessibleDescription(expect.stringContaining("Too many attempts."));
  });

  it("forgets an earlier message when the rename form is opened again", async () => {
    accountWith([laptop]);
    const { user } = renderApp("/account");

    await user.click(within(await item("Work laptop")).getByRole("button", { name: "Rename Work laptop" }));
    await user.clear(screen.getByLabelText("Passkey name"));
    await user.click(screen.getByRole("button", { name: "Save name" }));
    expect(await screen.findByText("Give the passkey a name.")).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Cancel" }));
    await user.click(screen.getByRole("button", { name: "Rename Work laptop" }));

    expect(screen.getByLabelText("Passkey name")).toHaveValue("Work laptop");
    expect(screen.getByLabelText("Passkey name")).not.toHaveAttribute("aria-invalid");
    expect(screen.queryByText("Give the passkey a name.")).not.toBeInTheDocument();
  });

  it("deletes a passkey only after confirmation (DELETE /api/passkeys/:id)", async () => {
    const account = accountWith([laptop, phone], {
      [`DELETE /api/passkeys/${laptop.id}`]: () => {
        account.setList([phone]);
        return new Response(null, { status: 204 });
      },
    });
    const { user } = renderApp("/account");

    await user.click(within(await item("Work laptop")).getByRole("button", { name: "Delete Work laptop" }));
    expect(screen.getByRole("button", { name: "Keep it" })).toHaveFocus();
    await user.click(screen.getByRole("button", { name: "Keep it" }));
    expect(account.api.callsTo(`DELETE /api/passkeys/${laptop.id}`)).toHaveLength(0);
    expect(screen.getByRole("button", { name: "Delete Work laptop" })).toHaveFocus();

    await user.click(within(await item("Work laptop")).getByRole("button", { name: "Delete Work laptop" }));
    expect(screen.getByText(/won't be able to sign in with it/)).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Delete passkey" }));

    await waitFor(() => expect(screen.queryByRole("listitem", { name: "Work laptop" })).not.toBeInTheDocument());
    expect(account.api.callsTo(`DELETE /api/passkeys/${laptop.id}`)).toHaveLength(1);
    expect(await item("Phone")).toBeInTheDocument();
    expect(screen.getByRole("heading", { level: 2, name: "Passkeys" })).toHaveFocus();
  });

  it("adds a passkey: creation options, the browser ceremony, POST /api/passkeys", async () => {
    const options = {
      challenge: "Y2g",
      rp: { name: "Tobira", id: "localhost" },
      user: { id: "dQ", name: "ada@example.com", displayName: "ada@example.com" },
      pubKeyCredParams: [{ alg: -7, type: "public-key" }],
    };
    const credential = { id: "bmV3", rawId: "bmV3", type: "public-key", response: { clientDataJSON: "e30", attestationObject: "oA" }, clientExtensionResults: {} };
    webauthn.startRegistration.mockResolvedValue(credential);
    const account = accountWith([], {
      "POST /api/passkeys/options": json(200, options),
      "POST /api/passkeys": () => {
        account.setList([laptop]);
        return json(201, laptop);
      },
    });
    const { user } = renderApp("/account");

    await screen.findByText("You have no passkeys yet.");
    await user.click(screen.getByRole("button", { name: "Add a passkey" }));

    expect(await screen.findByText(/Passkey added/)).toBeInTheDocument();
    expect(await item("Work laptop")).toBeInTheDocument();
    expect(webauthn.startRegistration).toHaveBeenCalledWith({ optionsJSON: options, useAutoRegister: false });
    // Made here, so it is "This device" from now on.
    expect(within(await item("Work laptop")).getByText("This device")).toBeInTheDocument();
    expect(account.api.callsTo("POST /api/passkeys")[0]?.body).toEqual({ credential });
  });

  it("asks the person to sign in again when the BFF answers reauthentication_required", async () => {
    accountWith([], { "POST /api/passkeys/options": apiError(403, "reauthentication_required") });
    const { user } = renderApp("/account");

    await screen.findByText("You have no passkeys yet.");
    await user.click(screen.getByRole("button", { name: "Add a passkey" }));

    const link = await screen.findByRole("link", { name: "Sign in again" });
    expect(link).toHaveAttribute("href", "/signin");
    expect(webauthn.startRegistration).not.toHaveBeenCalled();
  });

  it("tells the person plainly how they will sign in once they delete their last passkey", async () => {
    const account = accountWith([laptop], {
      [`DELETE /api/passkeys/${laptop.id}`]: () => {
        account.setList([]);
        return new Response(null, { status: 204 });
      },
    });
    const { user } = renderApp("/account");

    await user.click(within(await item("Work laptop")).getByRole("button", { name: "Delete Work laptop" }));
    await user.click(screen.getByRole("button", { name: "Delete passkey" }));

    const notice = await screen.findByRole("status", { name: "You have no passkeys now" });
    expect(notice).toHaveTextContent("From now on you'll sign in with your password and a code we email to ada@example.com.");
  });

  it("does not say it to someone who simply has no passkeys yet", async () => {
    accountWith([]);
    renderApp("/account");
    await screen.findByText("You have no passkeys yet.");
    expect(screen.queryByText(/From now on you'll sign in/)).not.toBeInTheDocument();
  });
});

describe("the Signal API on the account page", () => {
  const signals = { rpId: "localhost", userId: "NWYxYy1zdWI", allAcceptedCredentialIds: [phone.id], name: "ada@example.com", displayName: "ada@example.com" };

  function stubSignalApi() {
    const api = {
      signalAllAcceptedCredentials: vi.fn(async () => undefined),
      signalCurrentUserDetails: vi.fn(async () => undefined),
    };
    vi.stubGlobal(
      "PublicKeyCredential",
      Object.assign(function PublicKeyCredential() {}, api),
    );
    return api;
  }

  it("sends the accepted credentials after a delete, so the provider stops offering the deleted passkey", async () => {
    const browser = stubSignalApi();
    const account = accountWith([laptop, phone], {
      "GET /api/passkeys/signals": json(200, signals),
      [`DELETE /api/passkeys/${laptop.id}`]: () => {
        account.setList([phone]);
        return new Response(null, { status: 204 });
      },
    });
    const { user } = renderApp("/account");
    await user.click(within(await item("Work laptop")).getByRole("button", { name: "Delete Work laptop" }));
    browser.signalAllAcceptedCredentials.mockClear();
    await user.click(screen.getByRole("button", { name: "Delete passkey" }));

    await waitFor(() =>
      expect(browser.signalAllAcceptedCredentials).toHaveBeenCalledWith({ rpId: "localhost", userId: signals.userId, allAcceptedCredentialIds: [phone.id] }),
    );
  });

  it("sends the user's current details after a rename", async () => {
    const browser = stubSignalApi();
    accountWith([laptop], { "GET /api/passkeys/signals": json(200, signals), [`PATCH /api/passkeys/${laptop.id}`]: json(200, { ...laptop, name: "Home" }) });
    const { user } = renderApp("/account");
    await user.click(within(await item("Work laptop")).getByRole("button", { name: "Rename Work laptop" }));
    browser.signalCurrentUserDetails.mockClear();
    await user.click(screen.getByRole("button", { name: "Save name" }));

    await waitFor(() =>
      expect(browser.signalCurrentUserDetails).toHaveBeenCalledWith({
        rpId: "localhost",
        userId: signals.userId,
        name: "ada@example.com",
        displayName: "ada@example.com",
      }),
    );
  });

  it("asks for nothing and signals nothing where the browser has no Signal API", async () => {
    const account = accountWith([laptop, phone], {
      [`DELETE /api/passkeys/${laptop.id}`]: () => {
        account.setList([phone]);
        return new Response(null, { status: 204 });
      },
    });
    const { user } = renderApp("/account");
    await user.click(within(await item("Work laptop")).getByRole("button", { name: "Delete Work laptop" }));
    await user.click(screen.getByRole("button", { name: "Delete passkey" }));

    await waitFor(() => expect(screen.queryByRole("listitem", { name: "Work laptop" })).not.toBeInTheDocument());
    expect(account.api.callsTo("GET /api/passkeys/signals")).toHaveLength(0);
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
  });
});
