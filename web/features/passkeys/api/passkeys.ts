import { startRegistration, type PublicKeyCredentialCreationOptionsJSON } from "@simplewebauthn/browser";
import { queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import * as z from "zod/mini";
import { passkeyListResponseSchema, passkeySchema, passkeySignalsResponseSchema, type Passkey, type PasskeySignalsResponse } from "../../../../common/api-contract";
import { apiClient, type RequestOptions } from "../../../lib/api-client";
import { forgetPasskeyHere, rememberPasskeyHere, supportsSignal, webauthnSignals } from "../../../lib/webauthn";

/**
 * The signed-in user's passkeys: `GET/POST /api/passkeys`, `POST /api/passkeys/options`,
 * `PATCH/DELETE /api/passkeys/:id`, `POST /api/passkeys/:id/confirm` (a passkey paused by a
 * password reset), and `GET /api/passkeys/signals` for the Signal API.
 */
export const passkeysQueryKey = ["passkeys"] as const;

export function getPasskeys(options: RequestOptions = {}): Promise<Passkey[]> {
  return apiClient.get("/api/passkeys", passkeyListResponseSchema, options);
}

export function passkeysQueryOptions() {
  return queryOptions({ queryKey: passkeysQueryKey, queryFn: ({ signal }) => getPasskeys({ signal }) });
}

export function usePasskeys(options: { enabled?: boolean } = {}) {
  return useQuery({ ...passkeysQueryOptions(), enabled: options.enabled ?? true });
}

const creationOptionsSchema = z.looseObject({
  challenge: z.string().check(z.minLength(1)),
  rp: z.looseObject({ name: z.string() }),
  user: z.looseObject({ id: z.string(), name: z.string(), displayName: z.string() }),
  pubKeyCredParams: z.array(z.looseObject({ alg: z.number(), type: z.literal("public-key") })),
});

async function register(mode: "prompt" | "automatic"): Promise<Passkey> {
  const optionsJSON = (await apiClient.post("/api/passkeys/options", {}, creationOptionsSchema)) as PublicKeyCredentialCreationOptionsJSON;
  // "automatic": mediation "conditional" (SimpleWebAuthn's useAutoRegister), no prompt of its own.
  const credential = await startRegistration({ optionsJSON, useAutoRegister: mode === "automatic" });
  const passkey = await apiClient.post("/api/passkeys", { credential }, passkeySchema);
  // Made here, so it is on this device (or in this browser's passkey provider).
  rememberPasskeyHere(passkey.id);
  return passkey;
}

/** Creation options, the browser's ceremony, then the BFF's verification and storage. */
export function addPasskey(): Promise<Passkey> {
  return register("prompt");
}

/** Conditional create: only where supported (see passkey-upgrade.ts), and rejected when the password manager declines. */
export function addPasskeyAutomatically(): Promise<Passkey> {
  return register("automatic");
}

export function renamePasskey(input: { id: string; name: string }): Promise<Passkey> {
  return apiClient.patch(`/api/passkeys/${encodeURIComponent(input.id)}`, { name: input.name }, passkeySchema);
}

/** Confirms a passkey a password reset paused, so that it signs in again. */
export function confirmPasskey(id: string): Promise<Passkey> {
  return apiClient.post(`/api/passkeys/${encodeURIComponent(id)}/confirm`, {}, passkeySchema);
}

export async function deletePasskey(id: string): Promise<undefined> {
  await apiClient.delete(`/api/passkeys/${encodeURIComponent(id)}`, z.undefined());
  forgetPasskeyHere(id);
  return undefined;
}

export function getPasskeySignals(options: RequestOptions = {}): Promise<PasskeySignalsResponse> {
  return apiClient.get("/api/passkeys/signals", passkeySignalsResponseSchema, options);
}

/**
 * Tells the browser's passkey provider what the account now accepts and who the user is
 * (Signal API), where the browser has it. Quiet: a failure changes nothing for the person.
 */
export async function syncPasskeySignals(which: { accepted?: boolean; userDetails?: boolean }): Promise<void> {
  // Only where the browser would listen: otherwise not even the request is made.
  const wanted =
    (which.accepted === true && supportsSignal("signalAllAcceptedCredentials")) || (which.userDetails === true && supportsSignal("signalCurrentUserDetails"));
  if (!wanted) return;
  try {
    const { rpId, userId, allAcceptedCredentialIds, name, displayName } = await getPasskeySignals({ timeoutMs: 5_000 });
    if (which.accepted) webauthnSignals.allAcceptedCredentials({ rpId, userId, allAcceptedCredentialIds });
    if (which.userDetails) webauthnSignals.currentUserDetails({ rpId, userId, name, displayName });
  } catch {
    // Nothing to tell, or no way to find out: the provider keeps what it has.
  }
}

function useRefreshingMutation<TInput, TOutput>(mutationFn: (input: TInput) => Promise<TOutput>, afterSuccess?: () => void) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn,
    onSuccess: async () => {
      afterSuccess?.();
      await queryClient.invalidateQueries({ queryKey: passkeysQueryKey });
    },
  });
}

export const useAddPasskey = () => useRefreshingMutation<void, Passkey>(addPasskey);
// A rename changes nothing the provider shows (it keeps the account's name, not ours), but the
// user's details are re-sent so a provider still showing an old email learns the current one.
export const useRenamePasskey = () => useRefreshingMutation(renamePasskey, () => void syncPasskeySignals({ userDetails: true }));
export const useConfirmPasskey = () => useRefreshingMutation(confirmPasskey);
// After a delete the provider learns the complete list, so it stops offering the deleted passkey.
export const useDeletePasskey = () => useRefreshingMutation(deletePasskey, () => void syncPasskeySignals({ accepted: true }));
