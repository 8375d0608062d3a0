import type { ConnectedApp } from "../../common/api-contract";
import type { OidcClientConfig } from "../../common/local-config";
import type { Store } from "../store/store";

/**
 * The relying parties holding a grant from this account, read from the OpenID Provider's grant
 * records (`oidc-Grant`, indexed by account id; bff/oidc/store-adapter.ts). "Sign out everywhere"
 * and a password change end them all (bff/session/sign-out.ts).
 */

interface GrantPayload {
  accountId?: unknown;
  clientId?: unknown;
  iat?: unknown;
  openid?: { scope?: unknown };
}

const grantKind = "oidc-Grant";

export async function connectedAppsOf(store: Store, clients: readonly OidcClientConfig[], sub: string): Promise<ConnectedApp[]> {
  const grants = await store.queryByIndex<GrantPayload>(grantKind, sub);
  const byClient = new Map<string, ConnectedApp>();
  for (const { value } of grants) {
    if (value.accountId !== sub || typeof value.clientId !== "string") continue;
    const scopes = typeof value.openid?.scope === "string" ? value.openid.scope.split(" ").filter(Boolean) : [];
    const grantedAt = typeof value.iat === "number" ? value.iat : null;
    const known = byClient.get(value.clientId);
    const name = clients.find((client) => client.clientId === value.clientId)?.name ?? value.clientId;
    byClient.set(value.clientId, {
      clientId: value.clientId,
      name,
      grantedAt: known?.grantedAt == null ? grantedAt : grantedAt === null ? known.grantedAt : Math.min(known.grantedAt, grantedAt),
      scopes: [...new Set([...(known?.scopes ?? []), ...scopes])],
    });
  }
  return [...byClient.values()].sort((a, b) => a.name.localeCompare(b.name));
}
