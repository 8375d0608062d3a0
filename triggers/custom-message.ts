import type { CustomMessageTriggerEvent, CustomMessageTriggerHandler } from "aws-lambda";
import { loadCustomMessageConfig, type CustomMessageConfig } from "./config";
import { customMessageFor, isCustomMessageSource, languageOf } from "./user-messages";

/**
 * Cognito's own messages — sign-up and resent confirmation codes, password-reset codes, attribute
 * verification, invitations, MFA codes — branded and in the user's language (Cognito CustomMessage
 * trigger; docs/cognito-behaviour.md, "CustomMessage trigger"). The language is the user's `locale`
 * attribute, set at sign-up from the page's language; without one, English.
 *
 * The answer keeps Cognito's placeholders (`request.codeParameter`, and `request.usernameParameter`
 * for an invitation): Cognito puts the code in, and refuses a message without its placeholder.
 * A source this project does not word, or an invitation without the user-name placeholder, is
 * returned untouched, so Cognito sends its default message.
 */
export function createCustomMessageHandler(config: CustomMessageConfig) {
  return async (event: CustomMessageTriggerEvent): Promise<CustomMessageTriggerEvent> => {
    const source: string = event.triggerSource;
    if (!isCustomMessageSource(source)) return event;
    const username = event.request.usernameParameter ?? undefined;
    if (source === "CustomMessage_AdminCreateUser" && username === undefined) return event;
    const message = customMessageFor(source, languageOf(event.request.userAttributes.locale), {
      code: event.request.codeParameter,
      ...(username === undefined ? {} : { username }),
    });
    event.response.smsMessage = message.smsMessage;
    // Cognito's default sender takes no mail text from the trigger (an answer with one is refused).
    if (config.emailSendingAccount === "DEVELOPER") {
      event.response.emailSubject = message.emailSubject;
      event.response.emailMessage = message.emailMessage;
    }
    return event;
  };
}

let coldStartHandler: ReturnType<typeof createCustomMessageHandler> | undefined;

/** Lambda entry point; the configuration is read on the first invocation so importing never throws. */
export const handler: CustomMessageTriggerHandler = async (event) => {
  coldStartHandler ??= createCustomMessageHandler(loadCustomMessageConfig());
  return coldStartHandler(event);
};
