import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { generateSigningKeys, type PrivateJwks } from "../bff/oidc/signing-keys";

/**
 * `npm run keys`: prints a fresh private JWKS (one RS256 and one ES256 key) for OIDC_JWKS, as one
 * line of JSON on stdout, ready for a secret.
 *
 * `npm run keys -- --rotate <file>`: the new keys followed by those of <file> (the JWKS in use).
 * The provider signs with the first key of each algorithm and publishes every key, so tokens
 * signed before the rotation stay verifiable; drop the old keys once those tokens have expired
 * (OpenID Connect Core 1.0 §10.1.1).
 *
 * The output holds private keys: redirect it into a secret store, never into a log or a commit.
 */

export function rotatedKeys(current: unknown, fresh: PrivateJwks = generateSigningKeys()): PrivateJwks {
  const keys = (current as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys) || keys.length === 0 || !keys.every((key) => typeof key === "object" && key !== null && typeof (key as { d?: unknown }).d === "string")) {
    throw new Error('the file to rotate must hold a private JWKS: {"keys": [...]} with private keys');
  }
  return { keys: [...fresh.keys, ...(keys as PrivateJwks["keys"])] };
}

function main(args: string[]): void {
  const rotate = args.indexOf("--rotate");
  if (rotate === -1 && args.length > 0) throw new Error("usage: npm run keys [-- --rotate <current-jwks.json>]");
  const file = rotate === -1 ? undefined : args[rotate + 1];
  if (rotate !== -1 && file === undefined) throw new Error("--rotate needs the file that holds the current OIDC_JWKS");
  const jwks = file === undefined ? generateSigningKeys() : rotatedKeys(JSON.parse(readFileSync(file, "utf8")));
  process.stdout.write(`${JSON.stringify(jwks)}\n`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    main(process.argv.slice(2));
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
