import { screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { json, mockApi, renderApp } from "./helpers";

/**
 * ALB mode (docs/architecture.md, "ALB mode"): the load balancer signs people in, so the SPA
 * has no sign-in, sign-up or password pages, and the account page's first panel is the load
 * balancer's signed user claims, not an ID token.
 */

const session = json(200, {
  authenticated: true,
  user: { sub: "sub-1", email: "ada@example.com", username: "ada" },
  amr: ["pwd"],
  authTime: 1_764_000_000,
});
const claims = json(200, {
  idToken: { sub: "sub-1", email: "ada@example.com", exp: 1_764_003_600, iss: "https://cognito-idp.example" },
  accessToken: { sub: "sub-1", token_use: "access" },
  userInfo: { sub: "sub-1", email: "ada@example.com" },
});
const signedInBehindTheAlb = { "GET /api/session": session, "GET /api/account/claims": claims };

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("ALB mode", () => {
  it.each(["/signin", "/signup", "/password/forgot", "/signin/code", "/signup/confirm", "/password/reset"])(
    "does not serve %s: it leads to the account page, with no form to fail",
    async (path) => {
      const api = mockApi(signedInBehindTheAlb);
      const { router } = renderApp(path, undefined, { mode: "alb" });

      expect(await screen.findByRole("heading", { level: 1, name: "Your account" })).toBeInTheDocument();
      expect(router.state.location.pathname).toBe("/account");
      expect(screen.queryByRole("button", { name: /Continue|Create account|Send reset code/ })).not.toBeInTheDocument();
      expect(api.calls.filter((call) => call.method !== "GET")).toEqual([]);
    },
  );

  it("asks the BFF for its mode (GET /api/config) before showing a sign-in page", async () => {
    const api = mockApi({ ...signedInBehindTheAlb, "GET /api/config": json(200, { mode: "alb" }) });
    const { router } = renderApp("/signin", undefined, { mode: "ask" });

    await screen.findByRole("heading", { level: 1, name: "Your account" });
    expect(router.state.location.pathname).toBe("/account");
    expect(api.callsTo("GET /api/config")).toHaveLength(1);
    // The sign-in page never ran: no autofill options, no end of a pending sign-in.
    expect(api.callsTo("POST /api/signin/passkey/options")).toHaveLength(0);
    expect(api.callsTo("DELETE /api/signin")).toHaveLength(0);
  });

  it("shows the sign-in page when the BFF says sign-in mode", async () => {
    mockApi({ "GET /api/config": json(200, { mode: "sign-in" }), "GET /api/interaction": json(404, { error: { code: "not_found", message: "x" } }) });
    renderApp("/signin", undefined, { mode: "ask" });
    expect(await screen.findByRole("heading", { level: 1, name: "Sign in" })).toBeInTheDocument();
  });

  it("titles the first panel for the load balancer's signed user claims, checked against the load balancer's key", async () => {
    const api = mockApi(signedInBehindTheAlb);
    renderApp("/account", undefined, { mode: "alb" });

    const panel = await screen.findByRole("region", { name: /^Load balancer's signed user claims/ });
    expect(panel).toHaveTextContent("x-amzn-oidc-data");
    expect(panel).toHaveTextContent("checked against the load balancer's public key");
    expect(panel).not.toHaveTextContent("user pool");
    expect(screen.queryByRole("region", { name: /^ID token claims/ })).not.toBeInTheDocument();
    // No passkeys behind the load balancer: the section is not there and nothing asks for it.
    expect(screen.queryByRole("heading", { name: "Passkeys" })).not.toBeInTheDocument();
    await waitFor(() => expect(api.callsTo("GET /api/account/claims")).toHaveLength(1));
    expect(api.callsTo("GET /api/passkeys")).toHaveLength(0);
  });

  it("keeps 'ID token claims', checked against the user pool's keys, in sign-in mode", async () => {
    mockApi({ ...signedInBehindTheAlb, "GET /api/passkeys": json(200, []) });
    renderApp("/account");

    const panel = await screen.findByRole("region", { name: /^ID token claims/ });
    expect(panel).toHaveTextContent("user pool's published keys");
  });
});
