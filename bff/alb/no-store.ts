import type { Store } from "../store/store";

/**
 * The store of a BFF in ALB mode, which has nothing to keep: the ALB holds the session (in its
 * AWSELBAuthSessionCookie-N cookies) and every request carries its own signed claims. Any use is
 * a programming error and fails loudly; `ping` succeeds, as there is nothing to be unavailable.
 */
export function createAlbModeNoStore(): Store {
  const refuse = async (): Promise<never> => {
    throw new Error("ALB mode keeps no server-side state: nothing may use the store");
  };
  return {
    get: refuse,
    put: refuse,
    consume: refuse,
    delete: refuse,
    queryByIndex: refuse,
    increment: refuse,
    ping: async () => undefined,
  };
}
