/** Small value rules the BFF's configuration builders share. */

export function splitList(value: string | undefined): string[] {
  return (value ?? "")
    .split(",")
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}

export function stripTrailingSlash(url: string): string {
  return url.replace(/\/+$/, "");
}

/** Express "trust proxy": false, true, a hop count, or an address list / preset such as "loopback, uniquelocal". */
export function parseTrustProxy(value: string | undefined): boolean | number | string {
  if (value === undefined || value === "false") return false;
  if (value === "true") return true;
  if (/^\d+$/.test(value)) return Number(value);
  return value;
}

/** AWS's own issuer of a user pool's tokens. */
export function awsIssuerFor(region: string, userPoolId: string): string {
  return `https://cognito-idp.${region}.amazonaws.com/${userPoolId}`;
}

/**
 * The required values when every one is given; otherwise undefined, with one problem per missing
 * name (in the order of `names`) appended to `problems`.
 */
export function requireValues<Given extends Record<string, unknown>>(
  given: Given,
  names: readonly (keyof Given & string)[],
  missing: (name: string) => string,
  problems: string[],
): { [Name in keyof Given]: NonNullable<Given[Name]> } | undefined {
  const absent = names.filter((name) => given[name] === undefined);
  problems.push(...absent.map(missing));
  return absent.length === 0 ? (given as { [Name in keyof Given]: NonNullable<Given[Name]> }) : undefined;
}
