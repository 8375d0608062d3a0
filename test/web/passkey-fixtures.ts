import { json } from "./helpers";

/** What the BFF answers a signed-in browser in the passkey component tests (one user, Ada). */
export const sub = "5f1c-sub";
export const session = json(200, { authenticated: true, user: { sub, email: "ada@example.com", username: sub }, amr: ["pwd", "otp", "mfa"], authTime: 1_764_000_000 });
export const claims = json(200, { idToken: { sub }, accessToken: {}, userInfo: {} });

/** Registration options as the BFF sends them, and the browser's answer (base64url stand-ins). */
export const creationOptions = {
  challenge: "Y2g",
  rp: { name: "Tobira", id: "localhost" },
  user: { id: "dQ", name: "ada@example.com", displayName: "ada@example.com" },
  pubKeyCredParams: [{ alg: -7, type: "public-key" }],
};
export const registration = { id: "bmV3", rawId: "bmV3", type: "public-key", response: { clientDataJSON: "e30", attestationObject: "oA" }, clientExtensionResults: {} };
