import { signUpResponseSchema, type SignUpRequest } from "../../../../common/api-contract";
import { i18n } from "../../../i18n/i18n";
import { isLocale } from "../../../i18n/locales";
import { apiClient } from "../../../lib/api-client";
import { useSubmit } from "../../../lib/use-submit";

/** `POST /api/signup`: creates the account; a confirmation code goes to the email address. */
export function signUp(body: SignUpRequest) {
  return apiClient.post("/api/signup", body, signUpResponseSchema);
}

/**
 * Sign-up in the language the person is using: it becomes their Cognito `locale` attribute, which
 * picks the language of the mails they get from then on (the confirmation code first).
 */
export function useSignUp() {
  return useSubmit((body: Omit<SignUpRequest, "locale">) => signUp(isLocale(i18n.locale) ? { ...body, locale: i18n.locale } : body));
}
