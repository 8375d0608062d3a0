import { screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { apiError, deferred, json, mockApi, renderApp } from "./helpers";

const authTime = 1_764_000_000;
const session = json(200, {
  authenticated: true,
  user: { sub: "5f1c-sub", email: "ada@example.com", username: "5f1c-sub" },
  amr: ["pwd", "otp", "mfa"],
  authTime,
});
const claims = json(200, {
  idToken: {
    sub: "5f1c-sub",
    email: "ada@example.com",
    email_verified: true,
    iss: "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_TobiraLcl",
    aud: "tobirabfflocalclient00000",
    token_use: "id",
    auth_time: authTime,
    exp: authTime + 3600,
    "cognito:groups": ["admins", "staff"],
  },
  accessToken: { client_id: "tobirabfflocalclient00000", scope: "aws.cognito.signin.user.admin", token_use: "access", iat: authTime },
  userInfo: { sub: "5f1c-sub", email: "ada@example.com", email_verified: true, address: { country: "JP" } },
});

afterEach(() => {
  vi.unstubAllGlobals();
});

function panel(name: string): HTMLElement {
  return screen.getByRole("region", { name: new RegExp(`^${name}`) });
}

/** The <dd> that belongs to the claim named `claim` in a panel. */
function claimValue(region: HTMLElement, claim: string): HTMLElement {
  const term = within(region).getByText(claim, { selector: "code" }).closest("dt");
  const value = term?.nextElementSibling;
  if (!(value instanceof HTMLElement) || value.tagName !== "DD") throw new Error(`no value for ${claim}`);
  return value;
}

describe("account page", () => {
  it("renders the three claim panels as definition lists with times as dates", async () => {
    mockApi({ "GET /api/session": session, "GET /api/account/claims": claims });
    renderApp("/account");

    await screen.findByRole("region", { name: /^ID token claims/ });
    const id = panel("ID token claims");
    const access = panel("Access token claims");
    const info = panel("User info");

    expect(within(id).getByText("Verified")).toBeInTheDocument();
    expect(claimValue(id, "email")).toHaveTextContent("ada@example.com");
    expect(claimValue(id, "email_verified")).toHaveTextContent("true");
    expect(within(claimValue(id, "exp")).getByText((_, element) => element?.tagName === "TIME")).toHaveAttribute(
      "datetime",
      new Date((authTime + 3600) * 1000).toISOString(),
    );
    expect(
      within(claimValue(id, "cognito:groups"))
        .getAllByRole("listitem")
        .map((item) => item.textContent),
    ).toEqual(["admins", "staff"]);
    expect(claimValue(access, "scope")).toHaveTextContent("aws.cognito.signin.user.admin");
    expect(claimValue(access, "iat").querySelector("time")).toHaveAttribute("datetime", new Date(authTime * 1000).toISOString());
    expect(claimValue(info, "address")).toHaveTextContent('"country": "JP"');
  });

  it("shows who is signed in, how and when", async () => {
    mockApi({ "GET /api/session": session, "GET /api/account/claims": claims });
    renderApp("/account");

    const summary = await screen.findByRole("heading", { name: "Your sign-in" });
    const card = summary.closest(".card");
    if (!(card instanceof HTMLElement)) throw new Error("no summary card");
    expect(within(card).getByText("ada@example.com")).toBeInTheDocument();
    expect(within(card).getByText(/Password and one-time code/)).toBeInTheDocument();
    expect(card.querySelector("time")).toHaveAttribute("datetime", new Date(authTime * 1000).toISOString());
    expect(document.title).toBe("Your account · Tobira");
  });

  it("signs out with POST /api/logout and follows redirectTo", async () => {
    const answer = deferred<Response>();
    const api = mockApi({
      "GET /api/session": session,
      "GET /api/account/claims": claims,
      "POST /api/logout": () => answer.promise,
      "GET /api/interaction": apiError(404, "not_found"),
    });
    const { user, router } = renderApp("/account");

    await user.click(await screen.findByRole("button", { name: "Sign out" }));
    const busy = screen.getByRole("button", { name: /Signing out/ });
    expect(busy).toBeDisabled();
    expect(busy).toHaveAttribute("aria-busy", "true");
    answer.resolve(json(200, { redirectTo: "/signin" }));

    expect(await screen.findByRole("heading", { level: 1, name: "Sign in" })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe("/signin");
    expect(screen.getByText("You have signed out.")).toBeInTheDocument();
    expect(api.callsTo("POST /api/logout")[0]?.body).toEqual({});
    expect(api.callsTo("GET /api/session")).toHaveLength(1);
  });

  it("sends a visitor without a session to sign in", async () => {
    const api = mockApi({ "GET /api/session": json(200, { authenticated: false }), "GET /api/interaction": apiError(404, "not_found") });
    const { router } = renderApp("/account");

    expect(await screen.findByRole("heading", { level: 1, name: "Sign in" })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe("/signin");
    expect(api.callsTo("GET /api/account/claims")).toHaveLength(0);
  });

  it("offers to try again when the claims cannot be loaded, and loads them on request", async () => {
    let claimsCalls = 0;
    mockApi({
      "GET /api/session": session,
      "GET /api/account/claims": () => (++claimsCalls === 1 ? apiError(503, "service_unavailable") : claims.clone()),
      "GET /api/passkeys": json(200, []),
    });
    const { user } = renderApp("/account");

    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("We couldn't load your claims.");
    await user.click(within(alert).getByRole("button", { name: "Try again" }));

    expect(await screen.findByRole("region", { name: /^User info/ })).toBeInTheDocument();
    expect(claimsCalls).toBe(2);
  });
});
