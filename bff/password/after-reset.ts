import type { CognitoGateway } from "../cognito/cognito-gateway";
import { ApiError } from "../errors";
import type { Logger } from "../logger";
import { createAccountStore } from "../oidc/accounts";
import type { SessionManager } from "../session/session-manager";
import type { EndedSession } from "../session/session-records";
import type { SignOut } from "../session/sign-out";
import type { Store } from "../store/store";
import { createPasswordResets, type PasswordResets } from "./password-resets";

export interface AfterResetDeps {
  store: Store;
  sessions: SessionManager;
  signOut: Pick<SignOut, "everySessionOf">;
  cognito?: Pick<CognitoGateway, "globalSignOut" | "refreshTokens" | "revokeToken" | "adminUserGlobalSignOut">;
  logger?: Pick<Logger, "warn" | "info">;
  resets?: PasswordResets;
}

/**
 * AdminUserGlobalSignOut names the user by the email the reset was for: it ends every refresh
 * token of the user for every app client, also when no Tobira session of theirs is left to lend
 * a token. True when Cognito confirmed it; a failure (e.g. a deployment without the IAM
 * permission) falls back to GlobalSignOut below.
 */
async function adminGlobalSignOut(cognito: NonNullable<AfterResetDeps["cognito"]>, email: string, logger: AfterResetDeps["logger"]): Promise<boolean> {
  if (cognito.adminUserGlobalSignOut === undefined) return false;
  try {
    return await cognito.adminUserGlobalSignOut(email);
  } catch (error) {
    logger?.warn({ errorCode: error instanceof ApiError ? error.code : "unknown" }, "AdminUserGlobalSignOut after a password reset failed; trying GlobalSignOut");
    return false;
  }
}

/**
 * Without the admin call, Cognito's GlobalSignOut needs one of the user's access tokens: one refreshed with any ended
 * session's refresh token (the only token readable without that session's browser:
 * bff/session/token-sealing.ts). It ends every refresh token of the user, for every app client, also ones
 * the BFF never saw. True when Cognito confirmed it.
 */
async function globalSignOut(cognito: NonNullable<AfterResetDeps["cognito"]>, ended: readonly EndedSession[]): Promise<boolean> {
  for (const session of ended) {
    if (session.refreshToken === undefined) continue;
    try {
      const { accessToken } = await cognito.refreshTokens({ refreshToken: session.refreshToken, username: session.username });
      await cognito.globalSignOut(accessToken);
      return true;
    } catch {
      // This session's tokens no longer work: try the next one.
    }
  }
  return false;
}

/**
 * After a password reset, whoever held the account loses it (OWASP Forgot Password and Session
 * Management Cheat Sheets; docs/architecture.md, "After a password reset"):
 *  - the reset is recorded first (password-resets.ts): the account's passkeys stop signing in
 *    until the owner confirms each again, and pending sign-ins begun before it die;
 *  - Cognito's AdminUserGlobalSignOut (else GlobalSignOut with a live session's tokens) ends the
 *    user's refresh tokens for every app client (failing both, the BFF revokes those it knows);
 *  - every session of the user ends, everywhere (sign-out.ts says what that ends).
 * The reset names the user by email only; the sub comes from the last sign-in (session pointer)
 * and the provider's account snapshot. A user who never signed in has neither.
 */
export async function endAccessAfterReset(deps: AfterResetDeps, email: string): Promise<void> {
  const at = Date.now();
  const [sessionSub, snapshotSubs] = await Promise.all([deps.sessions.subForEmail(email), createAccountStore(deps.store).subsForEmail(email)]);
  const subs = [...new Set(sessionSub === undefined ? snapshotSubs : [sessionSub, ...snapshotSubs])];
  await (deps.resets ?? createPasswordResets(deps.store)).record({ subs, email, at });

  const { cognito } = deps;
  if (cognito !== undefined) {
    const ended = (await Promise.all(subs.map((sub) => deps.sessions.endAllSessionsFor(sub)))).flat();
    const signedOut = (await adminGlobalSignOut(cognito, email, deps.logger)) || (await globalSignOut(cognito, ended));
    if (!signedOut) {
      if (ended.length > 0) deps.logger?.warn({ sessions: ended.length }, "GlobalSignOut after a password reset failed; revoking the refresh tokens the BFF knows");
      await Promise.all(
        ended.map(async (session) => {
          if (session.refreshToken === undefined) return;
          await cognito.revokeToken(session.refreshToken).catch((error: unknown) => {
            deps.logger?.warn({ errorCode: error instanceof ApiError ? error.code : "unknown" }, "could not revoke a refresh token after a password reset");
          });
        }),
      );
    }
  }
  await Promise.all(subs.map((sub) => deps.signOut.everySessionOf(sub)));
}
