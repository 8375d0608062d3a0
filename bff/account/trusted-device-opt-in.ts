import { otpRequestSchema } from "../../common/api-contract";
import { clientOf, type SecurityEvents } from "../security/security-events";
import { localeOfIdToken } from "../security/sign-in-method";
import type { SessionManager } from "../session/session-manager";
import type { SignInService } from "../signin/sign-in-service";
import type { TrustedDevices } from "./trusted-devices";

/**
 * The code step's "don't ask for a code on this device" box (`rememberDevice` in
 * POST /api/signin/otp): once the code has completed the sign-in, this browser becomes a trusted
 * device of the user. Only a sign-in that passed both factors can make one.
 */
export function withTrustedDeviceOptIn(signIn: SignInService, deps: { trustedDevices: TrustedDevices; sessions: SessionManager; events: SecurityEvents }): SignInService {
  const { trustedDevices, sessions, events } = deps;
  return {
    ...signIn,
    async submitCode(req, code, ...rest) {
      const done = await signIn.submitCode(req, code, ...rest);
      const wanted = otpRequestSchema.safeParse(req.body).data?.rememberDevice === true;
      if (!wanted || !trustedDevices.enabled) return done;
      const session = await sessions.readAuthenticated(req);
      if (session === undefined) return done;
      await trustedDevices.remember(req, session);
      await events.record({
        type: "trusted_device_added",
        sub: session.sub,
        email: session.email,
        client: clientOf(req),
        locale: localeOfIdToken(session.tokens.idToken),
      });
      return done;
    },
  };
}
