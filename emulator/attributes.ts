import { InvalidParameterException, NotAuthorizedException } from "./errors";

/** OpenID Connect standard attributes that every user pool has (AWS DG, "Working with user attributes"). */
const STANDARD_ATTRIBUTES = new Set([
  "address",
  "birthdate",
  "email",
  "family_name",
  "gender",
  "given_name",
  "locale",
  "middle_name",
  "name",
  "nickname",
  "phone_number",
  "picture",
  "preferred_username",
  "profile",
  "updated_at",
  "website",
  "zoneinfo",
]);

/** Set by Cognito only; an app client cannot write them by default. */
const READ_ONLY_ATTRIBUTES = new Set(["sub", "email_verified", "phone_number_verified"]);

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** E.164, as Cognito requires for phone_number. */
const PHONE = /^\+[1-9]\d{1,14}$/;

export function isEmail(value: string): boolean {
  return EMAIL.test(value);
}

export function isPhoneNumber(value: string): boolean {
  return PHONE.test(value);
}

/**
 * The attributes an app may set at sign-up, checked against the pool's schema. The pool defines
 * no custom attributes, so `custom:*` names do not exist in it either.
 */
export function writableAttributes(list: { Name: string; Value?: string | undefined }[] | undefined): Record<string, string> {
  const attributes: Record<string, string> = {};
  const unknown: string[] = [];
  for (const { Name, Value } of list ?? []) {
    if (READ_ONLY_ATTRIBUTES.has(Name) || Name.startsWith("cognito:")) {
      throw new NotAuthorizedException("A client attempted to write unauthorized attribute");
    }
    if (!STANDARD_ATTRIBUTES.has(Name)) unknown.push(Name);
    else attributes[Name] = Value ?? "";
  }
  if (unknown.length > 0) {
    throw new InvalidParameterException(
      `Attributes did not conform to the schema: ${unknown.map((name) => `${name}: Attribute does not exist in the schema.`).join(" ")}`,
    );
  }
  if (attributes.email !== undefined && !isEmail(attributes.email)) throw new InvalidParameterException("Invalid email address format.");
  if (attributes.phone_number !== undefined && !isPhoneNumber(attributes.phone_number)) {
    throw new InvalidParameterException("Invalid phone number format.");
  }
  return attributes;
}
