import { startRegistration, type PublicKeyCredentialCreationOptionsJSON } from "@simplewebauthn/browser";
import { queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { z } from "zod";
import { passkeyListResponseSchema, passkeySchema, type Passkey } from "../../../../common/api-contract";
import { apiClient, type RequestOptions } from "../../../lib/api-client";

/** The signed-in user's passkeys: `GET/POST /api/passkeys`, `POST /api/passkeys/options`, `PATCH/DELETE /api/passkeys/:id`. */
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
  challenge: z.string().min(1),
  rp: z.looseObject({ name: z.string() }),
  user: z.looseObject({ id: z.string(), name: z.string(), displayName: z.string() }),
  pubKeyCredParams: z.array(z.looseObject({ alg: z.number(), type: z.literal("public-key") })),
});

/** Creation options, the browser's ceremony, then the BFF's verification and storage. */
export async function addPasskey(): Promise<Passkey> {
  const optionsJSON = (await apiClient.post("/api/passkeys/options", {}, creationOptionsSchema)) as PublicKeyCredentialCreationOptionsJSON;
  const credential = await startRegistration({ optionsJSON });
  return apiClient.post("/api/passkeys", { credential }, passkeySchema);
}

export function renamePasskey(input: { id: string; name: string }): Promise<Passkey> {
  return apiClient.patch(`/api/passkeys/${encodeURIComponent(input.id)}`, { name: input.name }, passkeySchema);
}

export function deletePasskey(id: string): Promise<undefined> {
  return apiClient.delete(`/api/passkeys/${encodeURIComponent(id)}`, z.undefined());
}

function useRefreshingMutation<TInput, TOutput>(mutationFn: (input: TInput) => Promise<TOutput>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: passkeysQueryKey }),
  });
}

export const useAddPasskey = () => useRefreshingMutation<void, Passkey>(addPasskey);
export const useRenamePasskey = () => useRefreshingMutation(renamePasskey);
export const useDeletePasskey = () => useRefreshingMutation(deletePasskey);
