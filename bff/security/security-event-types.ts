import type { SecurityEventType, SignInMethodLabel } from "../../common/api-contract";

/** What happened to an account, as the security-events module records it (one shape for every consumer). */
export interface SecurityEventInput {
  type: SecurityEventType;
  /** The account's Cognito `sub`. */
  sub: string;
  /** The address security mails go to (for an email change: the old address). */
  email: string;
  /** The browser the request came from. */
  client: { userAgent: string; ip: string };
  method?: SignInMethodLabel;
  /** A relying party's name, when the sign-in was for one. */
  app?: string;
  /** Whether the browser had signed in to this account before (sign-ins and failures). */
  knownDevice?: boolean;
  /** A sign-in from a browser this account had not used, on an account that had signed in before: mailed. */
  newDevice?: boolean;
  /** A few words for the mail and the history (a passkey's name, the new address). */
  detail?: string;
  /** The user's `locale` attribute, when known: chooses the mail's language. */
  locale?: string;
}

export interface SecurityEvent extends SecurityEventInput {
  id: string;
  /** Epoch seconds. */
  at: number;
}
