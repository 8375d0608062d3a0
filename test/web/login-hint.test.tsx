import { screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { deferred, json, mockApi, renderApp } from "./helpers";

/**
 * An app's `login_hint` (GET /api/interaction's loginHint, OpenID Connect Core §3.1.2.1) fills the
 * email field of the sign-in page, and of the sign-up page that prompt=create opens, while the
 * person has typed nothing there.
 */

const hinted = (loginHint: string) => json(200, { client: { id: "demo-rp", name: "Demo app" }, prompt: "login", loginHint });

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("login_hint", () => {
  it("fills the sign-in page's email field", async () => {
    mockApi({ "GET /api/interaction": hinted("ada@example.com") });
    renderApp("/signin");
    await waitFor(() => expect(screen.getByLabelText("Email address")).toHaveValue("ada@example.com"));
  });

  it("fills the sign-up page's email field (prompt=create)", async () => {
    mockApi({ "GET /api/interaction": json(200, { client: { id: "demo-rp", name: "Demo app" }, prompt: "create", loginHint: "new@example.com" }) });
    renderApp("/signup");
    await waitFor(() => expect(screen.getByLabelText("Email address")).toHaveValue("new@example.com"));
  });

  it("never overwrites what the person typed before it arrived", async () => {
    const answer = deferred<Response>();
    mockApi({ "GET /api/interaction": () => answer.promise });
    const { user } = renderApp("/signin");
    await user.type(screen.getByLabelText("Email address"), "me@example.com");
    answer.resolve(hinted("ada@example.com"));
    await screen.findByText("Demo app");
    expect(screen.getByLabelText("Email address")).toHaveValue("me@example.com");
  });

  it("leaves the field empty when the app sent none", async () => {
    mockApi({ "GET /api/interaction": json(200, { client: { id: "demo-rp", name: "Demo app" }, prompt: "login" }) });
    renderApp("/signin");
    await screen.findByText("Demo app");
    expect(screen.getByLabelText("Email address")).toHaveValue("");
  });
});
