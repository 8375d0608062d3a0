import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from "node:crypto";
import type {
  AuthenticationResponseJSON,
  AuthenticatorTransport,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from "@simplewebauthn/server";
import { isoCBOR } from "@simplewebauthn/server/helpers";

/**
 * A small software authenticator for tests: real WebAuthn responses made in Node, so the BFF's
 * verification runs exactly as it does for a browser. ES256 keys from node:crypto; the
 * authenticator data (WebAuthn L3 §6.1) and a "none" attestation object (§8.7) are built by
 * hand, CBOR through SimpleWebAuthn's own encoder. Each knob exists to produce one rejection.
 */

export const authenticatorFlags = { UP: 0x01, UV: 0x04, BE: 0x08, BS: 0x10, AT: 0x40 } as const;

export interface SoftwareCredential {
  id: string;
  privateKey: KeyObject;
  cosePublicKey: Uint8Array;
  rpId: string;
  /** base64url user handle given at registration. */
  userHandle: string;
  counter: number;
}

export interface CeremonyOverrides {
  /** The origin written into clientDataJSON (default: the authenticator's origin). */
  origin?: string;
  /** The RP ID whose hash goes into authenticatorData (default: the options' RP ID). */
  rpId?: string;
  /** User verification done (default true). */
  userVerified?: boolean;
  /** User presence tested (default true). */
  userPresent?: boolean;
  /** A synced (backed-up) credential: BE and BS set (default false: single-device). */
  synced?: boolean;
  /** The signature counter to report instead of counter + 1. */
  counter?: number;
  /** Sign a different challenge than the options gave. */
  challenge?: string;
  /** Leave the user handle out of the assertion. */
  omitUserHandle?: boolean;
  /** The AAGUID written into a new credential's attested data (default: zeros). */
  aaguid?: string;
  /** The attachment the "browser" reports (default "platform"). */
  attachment?: "platform" | "cross-platform";
  /** The transports a registration reports (default ["internal"]). */
  transports?: AuthenticatorTransport[];
}

const base64url = (bytes: Uint8Array | Buffer) => Buffer.from(bytes).toString("base64url");
const sha256 = (data: Uint8Array | string) => createHash("sha256").update(data).digest();

function uint32(value: number): Buffer {
  const buffer = Buffer.alloc(4);
  buffer.writeUInt32BE(value >>> 0);
  return buffer;
}

function flagsFor(overrides: CeremonyOverrides, attested: boolean): number {
  let flags = overrides.userPresent === false ? 0 : authenticatorFlags.UP;
  if (overrides.userVerified !== false) flags |= authenticatorFlags.UV;
  if (overrides.synced) flags |= authenticatorFlags.BE | authenticatorFlags.BS;
  if (attested) flags |= authenticatorFlags.AT;
  return flags;
}

function clientData(type: "webauthn.create" | "webauthn.get", challenge: string, origin: string): Buffer {
  return Buffer.from(JSON.stringify({ type, challenge, origin, crossOrigin: false }));
}

export class SoftwareAuthenticator {
  readonly credentials: SoftwareCredential[] = [];

  constructor(readonly origin: string) {}

  /** navigator.credentials.create(): a new ES256 credential and its RegistrationResponseJSON. */
  register(options: PublicKeyCredentialCreationOptionsJSON, overrides: CeremonyOverrides = {}): RegistrationResponseJSON {
    const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const jwk = publicKey.export({ format: "jwk" });
    // COSE_Key (RFC 9052 §7, RFC 9053 §7.1.1): kty EC2, alg ES256, crv P-256, x, y.
    const cosePublicKey = isoCBOR.encode(
      new Map<number, number | Uint8Array>([
        [1, 2],
        [3, -7],
        [-1, 1],
        [-2, Buffer.from(jwk.x!, "base64url")],
        [-3, Buffer.from(jwk.y!, "base64url")],
      ]),
    );
    const credentialId = randomBytes(32);
    const rpId = options.rp.id ?? new URL(this.origin).hostname;
    const authData = Buffer.concat([
      sha256(overrides.rpId ?? rpId),
      Buffer.from([flagsFor(overrides, true)]),
      uint32(overrides.counter ?? 0),
      // AAGUID: zeros, as "none" attestation allows, unless a test names one.
      overrides.aaguid === undefined ? Buffer.alloc(16) : Buffer.from(overrides.aaguid.replaceAll("-", ""), "hex"),
      Buffer.from([credentialId.length >> 8, credentialId.length & 0xff]),
      credentialId,
      Buffer.from(cosePublicKey),
    ]);
    const attestationObject = isoCBOR.encode(
      new Map<string, string | Uint8Array | Map<string, string>>([
        ["fmt", "none"],
        ["attStmt", new Map<string, string>()],
        ["authData", new Uint8Array(authData)],
      ]),
    );
    const id = base64url(credentialId);
    this.credentials.push({ id, privateKey, cosePublicKey, rpId, userHandle: options.user.id, counter: overrides.counter ?? 0 });
    return {
      id,
      rawId: id,
      type: "public-key",
      response: {
        clientDataJSON: base64url(clientData("webauthn.create", overrides.challenge ?? options.challenge, overrides.origin ?? this.origin)),
        attestationObject: base64url(attestationObject),
        transports: overrides.transports ?? ["internal"],
      },
      clientExtensionResults: {},
      authenticatorAttachment: overrides.attachment ?? "platform",
    };
  }

  /**
   * navigator.credentials.get(): an assertion by `credential` (default: the first allowed one, or
   * the newest for usernameless options). The counter goes up by one unless overridden.
   */
  authenticate(
    options: PublicKeyCredentialRequestOptionsJSON,
    overrides: CeremonyOverrides = {},
    credential: SoftwareCredential | undefined = this.pick(options),
  ): AuthenticationResponseJSON {
    if (credential === undefined) throw new Error("the software authenticator holds no credential for these options");
    const counter = overrides.counter ?? credential.counter + 1;
    credential.counter = counter;
    const authData = Buffer.concat([sha256(overrides.rpId ?? options.rpId ?? credential.rpId), Buffer.from([flagsFor(overrides, false)]), uint32(counter)]);
    const clientDataJSON = clientData("webauthn.get", overrides.challenge ?? options.challenge, overrides.origin ?? this.origin);
    // ECDSA P-256 / SHA-256 over authenticatorData ‖ SHA-256(clientDataJSON), DER-encoded (WebAuthn L3 §6.3.3).
    const signature = sign("sha256", Buffer.concat([authData, sha256(clientDataJSON)]), credential.privateKey);
    return {
      id: credential.id,
      rawId: credential.id,
      type: "public-key",
      response: {
        clientDataJSON: base64url(clientDataJSON),
        authenticatorData: base64url(authData),
        signature: base64url(signature),
        ...(overrides.omitUserHandle ? {} : { userHandle: credential.userHandle }),
      },
      clientExtensionResults: {},
      authenticatorAttachment: "platform",
    };
  }

  private pick(options: PublicKeyCredentialRequestOptionsJSON): SoftwareCredential | undefined {
    const allowed = options.allowCredentials ?? [];
    if (allowed.length === 0) return this.credentials.at(-1);
    return this.credentials.find((credential) => allowed.some((allow) => allow.id === credential.id));
  }
}
