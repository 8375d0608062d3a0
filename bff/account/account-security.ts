import type { Request, Response } from "express";
import type {
  AccountOverviewResponse,
  AccountSessionsResponse,
  ChangeEmailRequest,
  ChangePasswordRequest,
  Delivery,
  SecurityHistoryResponse,
} from "../../common/api-contract";
import type { CognitoGateway } from "../cognito/cognito-gateway";
import type { BffConfig } from "../config";
import { ApiError } from "../errors";
import type { Logger } from "../logger";
import { summariseUserAgent } from "../security/device-summary";
import { clientOf, type SecurityEvents } from "../security/security-events";
import { toSecurityEventView } from "../security/security-history";
import { securityAccountKind, securitySubjectKind } from "../security/sign-in-events";
import { localeOfIdToken, signInMethodOf } from "../security/sign-in-method";
import { normalisedEmail, nowSeconds, sessionUserKind, type SessionManager } from "../session/session-manager";
import type { AuthenticatedSession } from "../session/session-records";
import type { SignOut } from "../session/sign-out";
import type { Store } from "../store/store";
import type { AccountService } from "./account-service";
import type { AccountStepGuard } from "./account-step-guard";
import { connectedAppsOf } from "./connected-apps";
import { recentSignInUntil, requireRecentSignIn } from "./reauth";
import type { TrustedDevices } from "./trusted-devices";

/**
 * The account security centre (docs/architecture.md, "The account security centre"; README,
 * "Your account"): change the password or the email address, see and end sessions, the sign-in
 * history, and delete the account. What each action ends is decided by bff/session/sign-out.ts;
 * what is told to the user (history, mail, metrics) by bff/security/security-events.ts.
 */

/** An email change waiting for its code: the new address, kept until verified (Cognito keeps it hidden). */
export const emailChangeKind = "email-change";
/** Cognito's attribute verification codes live 24 hours. */
const emailChangeTtlSeconds = 24 * 60 * 60;

interface PendingEmailChange {
  sub: string;
  email: string;
  requestedAt: number;
}

/** The mail's language: the `locale` claim of the session's ID token. */
export function localeOf(session: AuthenticatedSession): string | undefined {
  return localeOfIdToken(session.tokens.idToken);
}

export interface AccountSecurity {
  overview(req: Request): Promise<AccountOverviewResponse>;
  changePassword(req: Request, body: ChangePasswordRequest): Promise<{ otherSessionsEnded: number }>;
  sessions(req: Request): Promise<AccountSessionsResponse>;
  signOutSession(req: Request, publicId: string): Promise<void>;
  signOutEverywhere(req: Request, res: Response): Promise<void>;
  history(req: Request): Promise<SecurityHistoryResponse>;
  changeEmail(req: Request, body: ChangeEmailRequest): Promise<Delivery>;
  resendEmailCode(req: Request): Promise<Delivery>;
  verifyEmail(req: Request, code: string): Promise<{ email: string }>;
  deleteAccount(req: Request, res: Response, confirmation: string): Promise<void>;
  forgetTrustedDevice(req: Request, publicId: string): Promise<void>;
}

export type TrustedDeviceListing = Pick<TrustedDevices, "listFor" | "forget">;

export interface AccountSecurityDeps {
  config: BffConfig;
  store: Store;
  cognito: CognitoGateway;
  account: AccountService;
  sessions: SessionManager;
  signOut: SignOut;
  events: SecurityEvents;
  guard: AccountStepGuard;
  logger: Logger;
  trustedDevices?: TrustedDeviceListing;
}

const notPending = () => new ApiError(400, "bad_request", "There is no email change waiting for a code. Start again.");

export function createAccountSecurity(deps: AccountSecurityDeps): AccountSecurity {
  const { config, store, cognito, account, sessions, signOut, events, guard, logger } = deps;
  const reauthWindow = config.account.reauthWindowSeconds;

  const baseEvent = (req: Request, session: AuthenticatedSession) => ({ sub: session.sub, email: session.email, client: clientOf(req), locale: localeOf(session) });

  async function pendingEmailOf(sub: string): Promise<PendingEmailChange | undefined> {
    const pending = await store.get<PendingEmailChange>(emailChangeKind, sub);
    return pending?.sub === sub ? pending : undefined;
  }

  /** Erases what Tobira keeps about the account besides sessions and grants (those are sign-out.ts's). */
  async function eraseAccountRecords(session: AuthenticatedSession): Promise<void> {
    const passkeys = await store.queryByIndex<unknown>("passkey", session.username);
    await Promise.all([
      ...passkeys.map((record) => store.delete("passkey", record.id)),
      events.history.eraseAll(session.sub),
      store.delete(emailChangeKind, session.sub),
      store.delete(sessionUserKind, normalisedEmail(session.email)),
      store.delete(securitySubjectKind, normalisedEmail(session.email)),
      store.delete(securityAccountKind, session.username),
      store.delete("oidc-account", session.sub),
    ]);
  }

  return {
    async overview(req) {
      const session = await account.requireSession(req);
      const pending = await pendingEmailOf(session.sub);
      return {
        email: session.email,
        pendingEmail: pending?.email ?? null,
        authTime: session.authTime,
        recentSignInUntil: recentSignInUntil(session, reauthWindow),
        trustedDevicesEnabled: config.account.trustedDevices.enabled,
        historyDays: Math.round(config.account.historyTtlSeconds / 86_400),
      };
    },

    async changePassword(req, { currentPassword, newPassword }) {
      const session = await account.freshSession(req);
      const attempt = await guard.reserve("current_password", session.sub);
      try {
        await account.withCognitoSession(req, () =>
          cognito.changePassword({ accessToken: session.tokens.accessToken, previousPassword: currentPassword, proposedPassword: newPassword }),
        );
      } catch (error) {
        // Only a wrong current password is a guess; a weak new one or an outage is not.
        if (!(error instanceof ApiError && error.code === "invalid_credentials")) await attempt.refund();
        throw error;
      }
      await attempt.refund();
      const otherSessionsEnded = await signOut.otherSessionsAfterPasswordChange(req, session);
      await events.record({ ...baseEvent(req, session), type: "password_changed" });
      logger.info({ sub: session.sub, otherSessionsEnded }, "password changed");
      return { otherSessionsEnded };
    },

    async sessions(req) {
      const session = await account.requireSession(req);
      const current = sessions.currentPublicId(req);
      const [listed, apps, trustedDevices] = await Promise.all([
        sessions.listFor(session.sub),
        connectedAppsOf(store, config.oidc.clients, session.sub),
        deps.trustedDevices?.listFor(req, session.sub) ?? [],
      ]);
      // The index may lag a fresh sign-in: this browser's session is always listed.
      const all = listed.some((entry) => entry.id === current) || current === undefined ? listed : [{ id: current, session, lastActiveAt: nowSeconds() }, ...listed];
      return {
        sessions: all
          .map((entry) => ({
            id: entry.id,
            current: entry.id === current,
            createdAt: entry.session.createdAt,
            lastActiveAt: entry.id === current ? nowSeconds() : entry.lastActiveAt,
            device: summariseUserAgent(entry.session.client?.userAgent),
            ip: entry.session.client?.ip ?? "",
            method: signInMethodOf(entry.session.amr),
          }))
          .sort((a, b) => Number(b.current) - Number(a.current) || b.lastActiveAt - a.lastActiveAt),
        trustedDevices,
        apps,
      };
    },

    async signOutSession(req, publicId) {
      const session = await account.requireSession(req);
      // This browser signs out with POST /api/logout, which also ends the provider's session here.
      if (publicId === sessions.currentPublicId(req)) throw new ApiError(400, "bad_request", "To sign out of this browser, use Sign out.");
      if (!(await signOut.oneSessionOf(session.sub, publicId))) throw new ApiError(404, "not_found", "There is no such session on your account.");
      await events.record({ ...baseEvent(req, session), type: "session_revoked" });
    },

    async signOutEverywhere(req, res) {
      const session = await account.freshSession(req);
      await signOut.everywhere(req, res, session);
      await events.record({ ...baseEvent(req, session), type: "signed_out_everywhere" });
      logger.info({ sub: session.sub }, "signed out everywhere");
    },

    async history(req) {
      const session = await account.requireSession(req);
      const listed = await events.history.list(session.sub);
      return { events: listed.map(toSecurityEventView), days: Math.round(config.account.historyTtlSeconds / 86_400) };
    },

    async changeEmail(req, { email }) {
      const session = await account.freshSession(req);
      requireRecentSignIn(session, reauthWindow, "change_email");
      if (normalisedEmail(email) === normalisedEmail(session.email)) {
        throw new ApiError(400, "bad_request", "That is already your email address.", { extra: { fields: { email: "That is already your email address." } } });
      }
      const sent = await guard.reserve("email_code_sent", session.sub);
      let delivery: Delivery;
      try {
        delivery = await account.withCognitoSession(req, () => cognito.updateEmail({ accessToken: session.tokens.accessToken, email }));
      } catch (error) {
        await sent.refund();
        throw error;
      }
      const pending: PendingEmailChange = { sub: session.sub, email, requestedAt: nowSeconds() };
      await store.put(emailChangeKind, session.sub, pending, { ttlSeconds: emailChangeTtlSeconds });
      await events.record({ ...baseEvent(req, session), type: "email_change_requested" });
      return delivery;
    },

    async resendEmailCode(req) {
      const session = await account.freshSession(req);
      requireRecentSignIn(session, reauthWindow, "change_email");
      if ((await pendingEmailOf(session.sub)) === undefined) throw notPending();
      const sent = await guard.reserve("email_code_sent", session.sub);
      try {
        return await account.withCognitoSession(req, () => cognito.resendEmailCode(session.tokens.accessToken));
      } catch (error) {
        await sent.refund();
        throw error;
      }
    },

    async verifyEmail(req, code) {
      const session = await account.freshSession(req);
      const pending = await pendingEmailOf(session.sub);
      if (pending === undefined) throw notPending();
      const attempt = await guard.reserve("email_code", session.sub);
      try {
        await account.withCognitoSession(req, () => cognito.verifyEmail({ accessToken: session.tokens.accessToken, code }));
      } catch (error) {
        if (!(error instanceof ApiError && (error.code === "code_mismatch" || error.code === "expired_code"))) await attempt.refund();
        throw error;
      }
      await attempt.refund();
      await store.delete(emailChangeKind, session.sub);
      // The ID token still names the old address: refresh it, so this session shows the new one.
      let updated: AuthenticatedSession = { ...session, email: pending.email };
      try {
        const tokens = await cognito.refreshTokens({ refreshToken: session.tokens.refreshToken, username: session.username });
        updated = {
          ...updated,
          tokens: { ...session.tokens, idToken: tokens.idToken, accessToken: tokens.accessToken, accessTokenExpiresAt: nowSeconds() + tokens.expiresIn },
        };
      } catch (error) {
        logger.warn({ errorCode: error instanceof ApiError ? error.code : "unknown" }, "email change: could not refresh the session's tokens");
      }
      await sessions.updateAuthenticated(req, updated);
      // A password reset names the account by its new address from now on (bff/password/after-reset.ts).
      await Promise.all([
        store.put(sessionUserKind, normalisedEmail(pending.email), { sub: session.sub }, { ttlSeconds: Math.max(1, session.expiresAt - nowSeconds()) }),
        store.delete(sessionUserKind, normalisedEmail(session.email)),
        store.put(securitySubjectKind, normalisedEmail(pending.email), { sub: session.sub }, { ttlSeconds: config.account.historyTtlSeconds }),
        store.delete(securitySubjectKind, normalisedEmail(session.email)),
      ]);
      // The notice goes to the old address: its owner must learn the account moved (OWASP, "Notify users of account changes").
      await events.record({ ...baseEvent(req, session), type: "email_changed", detail: pending.email });
      logger.info({ sub: session.sub }, "email address changed");
      return { email: pending.email };
    },

    async forgetTrustedDevice(req, publicId) {
      const session = await account.requireSession(req);
      if (deps.trustedDevices === undefined || !(await deps.trustedDevices.forget(session.sub, publicId))) {
        throw new ApiError(404, "not_found", "There is no such trusted device on your account.");
      }
      await events.record({ ...baseEvent(req, session), type: "trusted_device_removed" });
    },

    async deleteAccount(req, res, confirmation) {
      const session = await account.freshSession(req);
      requireRecentSignIn(session, reauthWindow, "delete_account");
      if (normalisedEmail(confirmation) !== normalisedEmail(session.email)) {
        const message = "Type your email address exactly as shown to confirm.";
        throw new ApiError(400, "bad_request", message, { extra: { fields: { confirmation: message } } });
      }
      // Cognito first: if it refuses, nothing else has changed.
      await account.withCognitoSession(req, () => cognito.deleteUser(session.tokens.accessToken));
      await Promise.all([signOut.afterAccountDeletion(req, res, session.sub), eraseAccountRecords(session)]);
      await events.record({ ...baseEvent(req, session), type: "account_deleted" }, { history: false });
      logger.info({ sub: session.sub }, "account deleted");
    },
  };
}
