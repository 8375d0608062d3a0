import type { BffConfig } from "../config";

/**
 * The WebAuthn relying party as configured (WebAuthn L3 §5.1.3 "RP ID", §13.4.9 "Validating the
 * origin of a credential"): the RP ID defaults to the host name of the BFF's public URL and the
 * accepted origins to that URL's origin, so that local mode is `localhost` and
 * `http://localhost:3000` without any setting.
 */
export interface RelyingParty {
  id: string;
  name: string;
  origins: string[];
  /** Ceremony timeout handed to the browser: never longer than the challenge lives. */
  timeoutMs: number;
  challengeTtlSeconds: number;
  /** Adding a passkey needs a factor proved this recently (PASSKEY_STEP_UP_SECONDS). */
  stepUpWindowSeconds: number;
}

/** ES256 (-7) and RS256 (-257): the pair every platform authenticator supports (WebAuthn L3 §5.4.2 note). */
export const supportedAlgorithmIDs = [-7, -257];

export function relyingPartyFor(config: BffConfig): RelyingParty {
  const publicUrl = new URL(config.publicUrl);
  const { passkeys } = config;
  return {
    id: passkeys.rpId ?? publicUrl.hostname,
    name: passkeys.rpName,
    origins: passkeys.origins.length > 0 ? passkeys.origins : [publicUrl.origin],
    timeoutMs: passkeys.challengeTtlSeconds * 1000,
    challengeTtlSeconds: passkeys.challengeTtlSeconds,
    stepUpWindowSeconds: passkeys.stepUpWindowSeconds,
  };
}
