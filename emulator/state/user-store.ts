import type { UserPoolConfig } from "../../common/local-config";
import type { SrpVerifier } from "../srp";
import { JsonFile } from "./json-file";

export type UserStatus = "UNCONFIRMED" | "CONFIRMED" | "RESET_REQUIRED";

/** A confirmation or reset code: only its digest is kept, with its expiry (epoch ms). */
export interface PendingCode {
  digest: string;
  expiresAt: number;
}

/** The failed-password counter behind Cognito's lockout (see emulator/lockout.ts). */
export interface FailedSignIns {
  count: number;
  lastFailureAt: number;
  lockedUntil: number;
}

export interface StoredUser {
  /** Cognito's internal username; a UUID (= sub) in pools where the email is the username. */
  username: string;
  sub: string;
  /** Attribute values as Cognito returns them: strings, `email_verified` as "true"/"false". `sub` is kept apart. */
  attributes: Record<string, string>;
  /** scrypt, see emulator/passwords.ts. */
  passwordHash: string;
  /** Salt and verifier for SRP (emulator/srp.ts), set with every password; absent for users stored before SRP. */
  srp?: SrpVerifier;
  status: UserStatus;
  enabled: boolean;
  /** Epoch milliseconds. */
  createdAt: number;
  updatedAt: number;
  confirmationCode?: PendingCode;
  resetCode?: PendingCode;
  failedSignIns?: FailedSignIns;
  /**
   * New values of attributes that need verification before they replace the old ones (the pool's
   * "keep original attribute value active" setting): the old value signs in until the code is verified.
   */
  pendingAttributes?: Record<string, string>;
  /** The code of the last GetUserAttributeVerificationCode / UpdateUserAttributes, for one attribute. */
  attributeCode?: PendingCode & { attribute: string };
}

interface UsersDocument {
  version: 1;
  users: StoredUser[];
}

/**
 * The pool's users, persisted as one JSON document. Usernames are case-insensitive (Cognito's
 * default for new pools); in pools whose username attributes include email or phone_number,
 * those attributes also find the user, case-insensitively for email.
 */
export class UserStore {
  private readonly byUsername = new Map<string, StoredUser>();
  private readonly file: JsonFile<UsersDocument>;

  constructor(
    path: string,
    private readonly pool: UserPoolConfig,
  ) {
    this.file = new JsonFile<UsersDocument>(path);
    for (const user of this.file.read()?.users ?? []) this.byUsername.set(user.username.toLowerCase(), user);
  }

  /** By internal username, or by an email / phone number the pool signs in with. */
  find(name: string): StoredUser | undefined {
    const direct = this.byUsername.get(name.toLowerCase());
    if (direct) return direct;
    const key = name.toLowerCase();
    for (const user of this.byUsername.values()) {
      if (this.pool.usernameAttributes.includes("email") && user.attributes.email?.toLowerCase() === key) return user;
      if (this.pool.usernameAttributes.includes("phone_number") && user.attributes.phone_number === name) return user;
    }
    return undefined;
  }

  /** Adds a user; the caller has checked that no user holds its username, email or phone number. */
  async add(user: StoredUser): Promise<void> {
    this.byUsername.set(user.username.toLowerCase(), user);
    await this.save();
  }

  /** Removes a user returned by `find` (AdminDeleteUser). */
  async remove(user: StoredUser): Promise<void> {
    this.byUsername.delete(user.username.toLowerCase());
    await this.save();
  }

  /** Persists changes made to users returned by `find`. */
  save(): Promise<void> {
    return this.file.write({ version: 1, users: [...this.byUsername.values()] });
  }

  flush(): Promise<void> {
    return this.file.flush();
  }
}
