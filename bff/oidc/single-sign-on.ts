import { decodeJwt } from "jose";

/**
 * When a browser already signed in to Tobira may reach a relying party without signing in again
 * (docs/architecture.md, "Single sign-on"). Pure functions of the interaction and the BFF session.
 */

export interface PendingPrompt {
  name: string;
  reasons: readonly string[];
}

export interface PromptParams {
  max_age?: unknown;
  id_token_hint?: unknown;
}

export interface SignedInSession {
  sub: string;
  /** Epoch seconds of the authentication (the ID token's auth_time). */
  authTime: number;
  /** RFC 8176 methods of the sign-in. */
  amr: readonly string[];
}

/** Login-prompt reasons that an existing Tobira sign-in can answer (others need a new sign-in). */
const reusableReasons: ReadonlySet<string> = new Set(["no_session", "max_age", "id_token_hint", "tobira_session_ended"]);

/** A request for a passkey sign-in (acr_values) is answered by a Tobira sign-in that used one. */
const passkeyReason = "tobira_passkey_required";

function signedInWithPasskey(session: SignedInSession): boolean {
  return session.amr.includes("hwk") || session.amr.includes("swk");
}

function subjectOf(idTokenHint: unknown): string | undefined {
  if (typeof idTokenHint !== "string") return undefined;
  try {
    // The provider verified the hint's signature and issuer before starting the interaction.
    const { sub } = decodeJwt(idTokenHint);
    return typeof sub === "string" ? sub : undefined;
  } catch {
    return undefined;
  }
}

/**
 * True when the BFF session may finish this login prompt at once: never for `prompt=login`
 * (reason login_prompt) or an essential ACR; a passkey sign-in asked for with acr_values only
 * when this one used a passkey; only if `max_age` has not passed (OpenID Connect Core
 * §3.1.2.1: `max_age=0` always forces a sign-in) and an `id_token_hint` names this user.
 */
export function maySkipSignIn(prompt: PendingPrompt, params: PromptParams, session: SignedInSession, now: number): boolean {
  if (prompt.name !== "login") return false;
  if (!prompt.reasons.every((reason) => reusableReasons.has(reason) || (reason === passkeyReason && signedInWithPasskey(session)))) return false;
  if (params.max_age !== undefined && params.max_age !== null) {
    const maxAge = Number(params.max_age);
    if (!Number.isFinite(maxAge) || now - session.authTime >= maxAge) return false;
  }
  if (params.id_token_hint !== undefined && subjectOf(params.id_token_hint) !== session.sub) return false;
  return true;
}
