import type { OidcClientConfig } from "../common/local-config";

/** What bench/run.ts and the servers it forks (bench/servers.ts) say to each other over IPC. */

export type ServerKind = "infra" | "tobira" | "express-hello" | "express-session" | "oidc-bare";

/** The relying party every provider in the bench knows: confidential, first party, PKCE. */
export const benchClient: OidcClientConfig = {
  clientId: "bench-rp",
  clientSecret: "bench-rp-secret-0000000000000000000000",
  name: "Bench RP",
  redirectUris: ["https://rp.example.com/callback"],
  postLogoutRedirectUris: [],
  firstParty: true,
  requirePkce: true,
};

export interface ServerStats {
  cpuMicros: number;
  rssBytes: number;
  heapUsedBytes: number;
  requests: number;
  storeCalls: Record<string, number>;
  /** Server-side time of each request to these paths, and the part of it spent waiting for Cognito. */
  steps: Record<string, { totalMs: number[]; cognitoMs: number[] }>;
}

export type BenchRequest = { id: number } & ({ type: "stats"; gc?: boolean; resetSteps?: boolean } | { type: "mint"; codes: number; refreshTokens: number });

export interface Minted {
  codes: { code: string; verifier: string }[];
  refreshTokens: string[];
}
