import type { Request, Response } from "express";
import { describe, expect, it } from "vitest";
import type { CognitoGateway } from "../../../bff/cognito/cognito-gateway";
import { loadBffConfig } from "../../../bff/config";
import { ApiError } from "../../../bff/errors";
import { createLogger } from "../../../bff/logger";
import type { EndedProviderSession } from "../../../bff/oidc/back-channel-logout";
import { createSessionManager } from "../../../bff/session/session-manager";
import type { AuthenticatedSession } from "../../../bff/session/session-records";
import { createSignOut } from "../../../bff/session/sign-out";
import { memoryStore } from "../../support/memory-store";
import { signedInRecord, pendingSignInRecord } from "../../support/session-fixtures";

const signedIn = (sub: string, refreshToken: string): AuthenticatedSession => signedInRecord({ sub, tokens: { refreshToken } });

const pendingSignIn = () => pendingSignInRecord({ email: "victim@example.com", username: "internal-victim" });

function setUp(revokeToken: (token: string) => Promise<void>) {
  const store = memoryStore();
  const sessions = createSessionManager({ store, config: loadBffConfig({}) });
  const lines: string[] = [];
  const logger = createLogger("info", { write: (line: string) => void lines.push(line) });
  const cognito = { revokeToken } as unknown as CognitoGateway;
  const signOut = createSignOut({ store, sessions, cognito, logger });
  const browser = () => ({ session: {} }) as unknown as Request;
  return { sessions, signOut, lines, browser };
}

describe("ending every session of a user (after a password reset)", () => {
  it("ends each of the user's browsers and revokes each refresh token, leaving other users and pending sign-ins alone", async () => {
    const revoked: string[] = [];
    const { sessions, signOut, browser } = setUp(async (token) => void revoked.push(token));
    const [laptop, phone, bystander, signingIn] = [browser(), browser(), browser(), browser()];
    await sessions.establish(laptop, signedIn("victim", "refresh-laptop"));
    await sessions.establish(phone, signedIn("victim", "refresh-phone"));
    await sessions.establish(bystander, signedIn("other", "refresh-other"));
    await sessions.savePending(signingIn, pendingSignIn());

    expect(await sessions.subForEmail("VICTIM@example.com")).toBe("victim");
    await signOut.everySessionOf("victim");

    expect(await sessions.readAuthenticated(laptop)).toBeUndefined();
    expect(await sessions.readAuthenticated(phone)).toBeUndefined();
    expect(revoked.sort()).toEqual(["refresh-laptop", "refresh-phone"]);
    expect((await sessions.readAuthenticated(bystander))?.sub).toBe("other");
    expect(await sessions.readPending(signingIn)).toBeDefined();
  });

  it("still ends the sessions when Cognito refuses a revocation, and logs it without the token", async () => {
    const { sessions, signOut, lines, browser } = setUp(async () => {
      throw new ApiError(503, "service_unavailable", "Cognito is unavailable.");
    });
    const laptop = browser();
    await sessions.establish(laptop, signedIn("victim", "refresh-secret-value"));

    await expect(signOut.everySessionOf("victim")).resolves.toBeUndefined();

    expect(await sessions.readAuthenticated(laptop)).toBeUndefined();
    expect(lines.join("")).toContain("service_unavailable");
    expect(lines.join("")).not.toContain("refresh-secret-value");
  });
});

/** Every collaborator of the sign-out as a recording fake; the store and session manager are real (in memory). */
function scopesSetUp(options: { endProviderSession?: () => Promise<EndedProviderSession | undefined>; userSignedOutEverywhere?: (sub: string) => Promise<void> } = {}) {
  const store = memoryStore();
  const sessions = createSessionManager({ store, config: loadBffConfig({}) });
  const lines: string[] = [];
  const logger = createLogger("info", { write: (line: string) => void lines.push(line) });
  const calls = {
    revoked: [] as string[],
    globalSignOut: [] as string[],
    providerSessionsEnded: [] as EndedProviderSession[],
    toldEverywhere: [] as string[],
    devicesForgotten: [] as string[],
    providerEnds: 0,
  };
  let revokeFailure: Error | undefined;
  let globalSignOutFailure: Error | undefined;
  const cognito = {
    async revokeToken(token: string) {
      if (revokeFailure !== undefined) throw revokeFailure;
      calls.revoked.push(token);
    },
    async globalSignOut(accessToken: string) {
      calls.globalSignOut.push(accessToken);
      if (globalSignOutFailure !== undefined) throw globalSignOutFailure;
    },
  } as unknown as CognitoGateway;
  const signOut = createSignOut({
    store,
    sessions,
    cognito,
    logger,
    endProviderSession: async () => {
      calls.providerEnds += 1;
      return options.endProviderSession?.();
    },
    backChannelLogout: {
      providerSessionEnded: (ended) => void calls.providerSessionsEnded.push(ended),
      userSignedOutEverywhere: async (sub) => {
        calls.toldEverywhere.push(sub);
        await options.userSignedOutEverywhere?.(sub);
      },
    },
    forgetTrustedDevices: async (sub) => void calls.devicesForgotten.push(sub),
  });
  const browser = () => ({ session: {} }) as unknown as Request;
  const response = {} as Response;
  /** A provider grant of the account (oidc-provider's Grant model as the store adapter keeps it). */
  const grantOf = async (sub: string, grantId: string) => store.put("oidc-Grant", grantId, { accountId: sub }, { ttlSeconds: 600, index: sub });
  const grantExists = async (grantId: string) => (await store.get("oidc-Grant", grantId)) !== undefined;
  const log = () => lines.join("");
  return {
    store,
    sessions,
    signOut,
    calls,
    browser,
    response,
    grantOf,
    grantExists,
    log,
    failRevocations: (error: Error) => void (revokeFailure = error),
    failGlobalSignOut: (error: Error) => void (globalSignOutFailure = error),
  };
}

const cognitoDown = () => new ApiError(503, "service_unavailable", "Cognito is unavailable.");

describe("signing out this browser", () => {
  it("ends the provider's session here, this browser's records and cookie, and revokes its refresh token", async () => {
    const { sessions, signOut, calls, browser, response } = scopesSetUp();
    const laptop = browser();
    await sessions.establish(laptop, signedIn("alice", "refresh-laptop"));

    await signOut.thisBrowser(laptop, response);

    expect(calls.providerEnds).toBe(1);
    expect(laptop.session).toBeNull();
    expect(calls.revoked).toEqual(["refresh-laptop"]);
  });

  it("tells the relying parties of the provider session that ended here", async () => {
    const providerSession: EndedProviderSession = { accountId: "alice", sids: { "client-1": "sid-1" } };
    const { sessions, signOut, calls, browser, response } = scopesSetUp({ endProviderSession: async () => providerSession });
    const laptop = browser();
    await sessions.establish(laptop, signedIn("alice", "refresh-laptop"));

    await signOut.thisBrowser(laptop, response);

    expect(calls.providerSessionsEnded).toEqual([providerSession]);
  });

  it("tells no relying party when no provider session ended here", async () => {
    const { signOut, calls, browser, response } = scopesSetUp({ endProviderSession: async () => undefined });

    await signOut.thisBrowser(browser(), response);

    expect(calls.providerSessionsEnded).toEqual([]);
  });

  it("still ends the Tobira session when the provider's session cannot be ended, and logs it", async () => {
    const { sessions, signOut, calls, browser, response, log } = scopesSetUp({
      endProviderSession: async () => {
        throw new Error("provider store down");
      },
    });
    const laptop = browser();
    await sessions.establish(laptop, signedIn("alice", "refresh-laptop"));
    const copy = { session: { ...laptop.session } } as unknown as Request;

    await expect(signOut.thisBrowser(laptop, response)).resolves.toBeUndefined();

    expect(await sessions.readAuthenticated(copy)).toBeUndefined();
    expect(calls.revoked).toEqual(["refresh-laptop"]);
    expect(log()).toContain("could not end the OpenID Provider session");
  });

  it("revokes nothing for a browser that is not signed in", async () => {
    const { signOut, calls, browser, response } = scopesSetUp();
    const stranger = browser();

    await expect(signOut.thisBrowser(stranger, response)).resolves.toBeUndefined();

    expect(calls.revoked).toEqual([]);
    expect(stranger.session).toBeNull();
  });

  it("after the provider's own logout: ends this browser's records, revokes its refresh token, leaves the provider alone", async () => {
    const { sessions, signOut, calls, browser } = scopesSetUp();
    const laptop = browser();
    await sessions.establish(laptop, signedIn("alice", "refresh-laptop"));
    await sessions.establish(browser(), signedIn("alice", "refresh-phone"));
    const copy = { session: { ...laptop.session } } as unknown as Request;

    await signOut.thisBrowserAfterProviderLogout(laptop);

    expect(await sessions.readAuthenticated(copy)).toBeUndefined();
    expect(calls.revoked).toEqual(["refresh-laptop"]);
    expect(calls.providerEnds).toBe(0);
  });

  it("logs a refresh token it could not revoke at logout, without the token", async () => {
    const { sessions, signOut, browser, response, log, failRevocations } = scopesSetUp();
    const laptop = browser();
    await sessions.establish(laptop, signedIn("alice", "refresh-secret-value"));
    failRevocations(cognitoDown());

    await expect(signOut.thisBrowser(laptop, response)).resolves.toBeUndefined();

    expect(log()).toContain("logout: could not revoke the refresh token");
    expect(log()).toContain("service_unavailable");
    expect(log()).not.toContain("refresh-secret-value");
  });

  it("after Cognito refused the session: ends this browser's records and revokes nothing", async () => {
    const { sessions, signOut, calls, browser } = scopesSetUp();
    const laptop = browser();
    await sessions.establish(laptop, signedIn("alice", "refresh-laptop"));
    const copy = { session: { ...laptop.session } } as unknown as Request;

    await signOut.thisBrowserAfterCognitoRefusal(laptop);

    expect(await sessions.readAuthenticated(copy)).toBeUndefined();
    expect(laptop.session).toBeNull();
    expect(calls.revoked).toEqual([]);
  });

  it("passes a provider session ended elsewhere on to its relying parties", () => {
    const { signOut, calls } = scopesSetUp();
    const providerSession: EndedProviderSession = { accountId: "alice", sids: { "client-1": "sid-1" } };

    signOut.providerSessionEnded(providerSession);

    expect(calls.providerSessionsEnded).toEqual([providerSession]);
  });
});

describe("ending every session of a user: what else ends", () => {
  it("revokes the account's provider grants, forgets its trusted devices and tells every relying party", async () => {
    const { signOut, calls, grantOf, grantExists } = scopesSetUp();
    await grantOf("victim", "grant-victim");
    await grantOf("other", "grant-other");

    await signOut.everySessionOf("victim");

    expect(await grantExists("grant-victim")).toBe(false);
    expect(await grantExists("grant-other")).toBe(true);
    expect(calls.devicesForgotten).toEqual(["victim"]);
    expect(calls.toldEverywhere).toEqual(["victim"]);
  });

  it("still ends the sessions when the relying parties cannot be told, and logs it", async () => {
    const { sessions, signOut, calls, browser, log } = scopesSetUp({
      userSignedOutEverywhere: async () => {
        throw new Error("provider store down");
      },
    });
    const laptop = browser();
    await sessions.establish(laptop, signedIn("victim", "refresh-laptop"));

    await expect(signOut.everySessionOf("victim")).resolves.toBeUndefined();

    expect(await sessions.readAuthenticated(laptop)).toBeUndefined();
    expect(calls.revoked).toEqual(["refresh-laptop"]);
    expect(log()).toContain("could not start back-channel logout");
  });

  it("logs a refresh token it could not revoke, naming the scope", async () => {
    const { sessions, signOut, browser, log, failRevocations } = scopesSetUp();
    await sessions.establish(browser(), signedIn("victim", "refresh-laptop"));
    failRevocations(cognitoDown());

    await signOut.everySessionOf("victim");

    expect(log()).toContain("sign-out everywhere: could not revoke a refresh token");
  });

  it("asks Cognito to revoke no token for a session whose refresh token does not open (sealed under a retired cookie key)", async () => {
    const { store, signOut, calls } = scopesSetUp();
    const retired = createSessionManager({
      store,
      config: { ...loadBffConfig({}), cookie: { ...loadBffConfig({}).cookie, keys: ["a-retired-cookie-key-of-32-characters-0"] } },
    });
    const laptop = { session: {} } as unknown as Request;
    await retired.establish(laptop, signedIn("victim", "refresh-laptop"));

    await signOut.everySessionOf("victim");

    expect(await retired.readAuthenticated(laptop)).toBeUndefined();
    expect(calls.revoked).toEqual([]);
  });
});

describe("a sign-out without the provider's hooks (no OpenID Provider, back-channel logout or trusted devices wired)", () => {
  it("ends and revokes the Tobira sessions in every scope and logs no failure", async () => {
    const revoked: string[] = [];
    const { sessions, signOut, lines, browser } = setUp(async (token) => void revoked.push(token));
    const [here, laptop] = [browser(), browser()];
    await sessions.establish(here, signedIn("alice", "refresh-here"));
    await sessions.establish(laptop, signedIn("alice", "refresh-laptop"));

    await signOut.thisBrowser(here, {} as Response);
    signOut.providerSessionEnded({ accountId: "alice", sids: {} });
    await signOut.everySessionOf("alice");

    expect(await sessions.readAuthenticated(laptop)).toBeUndefined();
    expect(revoked.sort()).toEqual(["refresh-here", "refresh-laptop"]);
    expect(lines.filter((line) => (JSON.parse(line) as { level: number }).level >= 40)).toEqual([]);
  });
});

describe("a sign-out with the OpenID Provider but without back-channel logout wired", () => {
  it("ends the provider's session here and the Tobira session, and logs no failure", async () => {
    const store = memoryStore();
    const sessions = createSessionManager({ store, config: loadBffConfig({}) });
    const lines: string[] = [];
    const logger = createLogger("info", { write: (line: string) => void lines.push(line) });
    let providerEnds = 0;
    const endProviderSession = async () => {
      providerEnds += 1;
      return { accountId: "alice", sids: { "client-1": "sid-1" } };
    };
    const signOut = createSignOut({ store, sessions, cognito: { revokeToken: async () => undefined } as unknown as CognitoGateway, logger, endProviderSession });
    const here = { session: {} } as unknown as Request;
    await sessions.establish(here, signedIn("alice", "refresh-here"));

    await signOut.thisBrowser(here, {} as Response);

    expect(providerEnds).toBe(1);
    expect(here.session).toBeNull();
    expect(lines.filter((line) => (JSON.parse(line) as { level: number }).level >= 40)).toEqual([]);
  });
});

describe("signing out one session from the account page", () => {
  it("ends the chosen session of the user, revokes its refresh token, and leaves the others", async () => {
    const { sessions, signOut, calls, browser } = scopesSetUp();
    const [laptop, phone] = [browser(), browser()];
    await sessions.establish(laptop, signedIn("alice", "refresh-laptop"));
    await sessions.establish(phone, signedIn("alice", "refresh-phone"));

    expect(await signOut.oneSessionOf("alice", sessions.currentPublicId(phone)!)).toBe(true);

    expect(await sessions.readAuthenticated(phone)).toBeUndefined();
    expect((await sessions.readAuthenticated(laptop))?.sub).toBe("alice");
    expect(calls.revoked).toEqual(["refresh-phone"]);
  });

  it("answers false and ends nothing for an id that names none of the user's sessions", async () => {
    const { sessions, signOut, calls, browser } = scopesSetUp();
    const bobsPhone = browser();
    await sessions.establish(bobsPhone, signedIn("bob", "refresh-bob"));

    expect(await signOut.oneSessionOf("alice", sessions.currentPublicId(bobsPhone)!)).toBe(false);

    expect((await sessions.readAuthenticated(bobsPhone))?.sub).toBe("bob");
    expect(calls.revoked).toEqual([]);
  });

  it("logs a refresh token it could not revoke, naming the scope", async () => {
    const { sessions, signOut, browser, log, failRevocations } = scopesSetUp();
    const phone = browser();
    await sessions.establish(phone, signedIn("alice", "refresh-phone"));
    failRevocations(cognitoDown());

    expect(await signOut.oneSessionOf("alice", sessions.currentPublicId(phone)!)).toBe(true);

    expect(log()).toContain("sign out one session: could not revoke its refresh token");
  });
});

describe("after a password change", () => {
  it("ends and revokes every other session of the user, keeps this browser's, and answers how many ended", async () => {
    const { sessions, signOut, calls, browser } = scopesSetUp();
    const [here, laptop, phone, bystander] = [browser(), browser(), browser(), browser()];
    await sessions.establish(here, signedIn("alice", "refresh-here"));
    await sessions.establish(laptop, signedIn("alice", "refresh-laptop"));
    await sessions.establish(phone, signedIn("alice", "refresh-phone"));
    await sessions.establish(bystander, signedIn("bob", "refresh-bob"));
    const session = (await sessions.readAuthenticated(here))!;

    expect(await signOut.otherSessionsAfterPasswordChange(here, session)).toBe(2);

    expect((await sessions.readAuthenticated(here))?.sub).toBe("alice");
    expect(await sessions.readAuthenticated(laptop)).toBeUndefined();
    expect(await sessions.readAuthenticated(phone)).toBeUndefined();
    expect((await sessions.readAuthenticated(bystander))?.sub).toBe("bob");
    expect(calls.revoked.sort()).toEqual(["refresh-laptop", "refresh-phone"]);
  });

  it("revokes the account's provider grants, forgets its trusted devices and tells every relying party", async () => {
    const { sessions, signOut, calls, browser, grantOf, grantExists } = scopesSetUp();
    const here = browser();
    await sessions.establish(here, signedIn("alice", "refresh-here"));
    await grantOf("alice", "grant-alice");

    await signOut.otherSessionsAfterPasswordChange(here, (await sessions.readAuthenticated(here))!);

    expect(await grantExists("grant-alice")).toBe(false);
    expect(calls.devicesForgotten).toEqual(["alice"]);
    expect(calls.toldEverywhere).toEqual(["alice"]);
  });

  it("logs a refresh token it could not revoke, naming the scope", async () => {
    const { sessions, signOut, browser, log, failRevocations } = scopesSetUp();
    const [here, laptop] = [browser(), browser()];
    await sessions.establish(here, signedIn("alice", "refresh-here"));
    await sessions.establish(laptop, signedIn("alice", "refresh-laptop"));
    failRevocations(cognitoDown());

    expect(await signOut.otherSessionsAfterPasswordChange(here, (await sessions.readAuthenticated(here))!)).toBe(1);

    expect(log()).toContain("password change: could not revoke another session's refresh token");
  });
});

describe("signing out everywhere", () => {
  it("signs the user out globally at Cognito, ends every session including this one, and revokes each refresh token", async () => {
    const { sessions, signOut, calls, browser, response } = scopesSetUp();
    const [here, phone, bystander] = [browser(), browser(), browser()];
    await sessions.establish(here, signedIn("alice", "refresh-here"));
    await sessions.establish(phone, signedIn("alice", "refresh-phone"));
    await sessions.establish(bystander, signedIn("bob", "refresh-bob"));
    const copyOfHere = { session: { ...here.session } } as unknown as Request;
    const session = (await sessions.readAuthenticated(here))!;

    await signOut.everywhere(here, response, session);

    expect(calls.globalSignOut).toEqual(["access"]);
    expect(calls.providerEnds).toBe(1);
    expect(here.session).toBeNull();
    expect(await sessions.readAuthenticated(copyOfHere)).toBeUndefined();
    expect(await sessions.readAuthenticated(phone)).toBeUndefined();
    expect((await sessions.readAuthenticated(bystander))?.sub).toBe("bob");
    expect(calls.revoked.sort()).toEqual(["refresh-here", "refresh-phone"]);
  });

  it("revokes the account's provider grants, forgets its trusted devices and tells every relying party", async () => {
    const { sessions, signOut, calls, browser, response, grantOf, grantExists } = scopesSetUp();
    const here = browser();
    await sessions.establish(here, signedIn("alice", "refresh-here"));
    await grantOf("alice", "grant-alice");

    await signOut.everywhere(here, response, (await sessions.readAuthenticated(here))!);

    expect(await grantExists("grant-alice")).toBe(false);
    expect(calls.devicesForgotten).toEqual(["alice"]);
    expect(calls.toldEverywhere).toEqual(["alice"]);
  });

  it("still ends and revokes every known session when Cognito's GlobalSignOut fails, and logs it", async () => {
    const { sessions, signOut, calls, browser, response, log, failGlobalSignOut } = scopesSetUp();
    const [here, phone] = [browser(), browser()];
    await sessions.establish(here, signedIn("alice", "refresh-here"));
    await sessions.establish(phone, signedIn("alice", "refresh-phone"));
    failGlobalSignOut(cognitoDown());

    await expect(signOut.everywhere(here, response, (await sessions.readAuthenticated(here))!)).resolves.toBeUndefined();

    expect(await sessions.readAuthenticated(phone)).toBeUndefined();
    expect(calls.revoked.sort()).toEqual(["refresh-here", "refresh-phone"]);
    expect(log()).toContain("GlobalSignOut failed");
    expect(log()).toContain("service_unavailable");
  });

  it("logs a refresh token it could not revoke, naming the scope", async () => {
    const { sessions, signOut, browser, response, log, failRevocations } = scopesSetUp();
    const here = browser();
    await sessions.establish(here, signedIn("alice", "refresh-here"));
    failRevocations(cognitoDown());

    await signOut.everywhere(here, response, (await sessions.readAuthenticated(here))!);

    expect(log()).toContain("sign-out everywhere: could not revoke a refresh token");
  });
});

describe("after the account was deleted", () => {
  it("ends the provider's session here, every session of the user and its grants and trusted devices, and revokes nothing", async () => {
    const { sessions, signOut, calls, browser, response, grantOf, grantExists } = scopesSetUp();
    const [here, phone, bystander] = [browser(), browser(), browser()];
    await sessions.establish(here, signedIn("alice", "refresh-here"));
    await sessions.establish(phone, signedIn("alice", "refresh-phone"));
    await sessions.establish(bystander, signedIn("bob", "refresh-bob"));
    const copyOfHere = { session: { ...here.session } } as unknown as Request;
    await grantOf("alice", "grant-alice");

    await signOut.afterAccountDeletion(here, response, "alice");

    expect(calls.providerEnds).toBe(1);
    expect(calls.toldEverywhere).toEqual(["alice"]);
    expect(here.session).toBeNull();
    expect(await sessions.readAuthenticated(copyOfHere)).toBeUndefined();
    expect(await sessions.readAuthenticated(phone)).toBeUndefined();
    expect((await sessions.readAuthenticated(bystander))?.sub).toBe("bob");
    expect(await grantExists("grant-alice")).toBe(false);
    expect(calls.devicesForgotten).toEqual(["alice"]);
    expect(calls.revoked).toEqual([]);
    expect(calls.globalSignOut).toEqual([]);
  });
});
