import type { CustomMessageTriggerEvent } from "aws-lambda";
import { InvalidLambdaResponseException, InvalidParameterException } from "./errors";
import type { PoolContext } from "./pool";
import type { NewOutboxMessage } from "./state/outbox";
import type { StoredUser } from "./state/user-store";
import { CODE_PARAMETER, USERNAME_PARAMETER } from "./triggers";

/**
 * The messages Cognito itself sends (sign-up, resent and reset codes, attribute verification),
 * through the pool's CustomMessage trigger when it has one (docs/cognito-behaviour.md,
 * "CustomMessage trigger"):
 *
 * - the trigger's fields replace Cognito's default message one by one; a field left null keeps
 *   the default;
 * - the message must carry the code placeholder `{####}`, which Cognito then replaces with the
 *   code; one without it is refused with InvalidParameterException, and the call fails;
 * - a pool sending with Cognito's default account (not DEVELOPER) refuses any emailMessage or
 *   emailSubject with InvalidLambdaResponseException;
 * - at most 20,000 characters of mail and 140 of SMS, code included.
 *
 * Cognito sends one mail body, the trigger's HTML; the outbox also keeps that HTML's text so the
 * local mailbox and the tests can read it.
 */

type MessageSource = CustomMessageTriggerEvent["triggerSource"];

export interface DefaultMessage {
  subject: string;
  /** With `{####}` where the code goes. */
  text: string;
}

/** Cognito's default messages (AWS DG, "Customizing email verification messages"). */
export const DEFAULT_MESSAGES = {
  confirmation: { subject: "Your verification code", text: `Your confirmation code is ${CODE_PARAMETER}` },
  reset: { subject: "Your password reset code", text: `Your password reset code is ${CODE_PARAMETER}` },
  attribute: { subject: "Your verification code", text: `Your verification code is ${CODE_PARAMETER}.` },
} as const satisfies Record<string, DefaultMessage>;

const MAX_EMAIL = 20_000;
const MAX_SMS = 140;

/** The regular expression Cognito's validation names for a message body that lacks the code. */
const CODE_PATTERN = String.raw`[\p{L}\p{M}\p{S}\p{N}\p{P}\s*]*\{####\}[\p{L}\p{M}\p{S}\p{N}\p{P}\s*]*`;

export interface CognitoMessageRequest {
  source: MessageSource;
  user: StoredUser;
  clientId: string;
  clientMetadata?: Record<string, string> | undefined;
  /** An email address or an E.164 phone number. */
  destination: string;
  code: string;
  defaults: DefaultMessage;
}

function fill(template: string, code: string, username: string): string {
  return template.split(CODE_PARAMETER).join(code).split(USERNAME_PARAMETER).join(username);
}

/** The text of an HTML mail body, for the outbox's `text`: tags dropped, entities decoded, blank runs folded. */
export function htmlText(html: string): string {
  return html
    .replace(/<(head|style|script)\b[\s\S]*?<\/\1>/gi, "")
    .replace(/<br\s*\/?>|<\/(p|h[1-6]|tr|div|li|table)>/gi, "\n")
    .replace(/<[^>]*>/g, "")
    .replace(/&#(\d+);/g, (_, digits: string) => String.fromCodePoint(Number(digits)))
    .replace(/&(amp|lt|gt|quot|nbsp);/g, (_, name: string) => ({ amp: "&", lt: "<", gt: ">", quot: '"', nbsp: " " })[name] ?? "")
    .split("\n")
    .map((line) => line.replace(/\s+/g, " ").trim())
    .filter((line, index, lines) => line !== "" || (index > 0 && lines[index - 1] !== ""))
    .join("\n")
    .trim();
}

/** The outbox message for one of Cognito's sends, worded by the pool's CustomMessage trigger when it has one. */
export async function composeCognitoMessage(ctx: PoolContext, request: CognitoMessageRequest): Promise<NewOutboxMessage> {
  const { code, destination, defaults, user } = request;
  const email = destination.includes("@");
  const custom = await ctx.triggers.customMessage(request.source, {
    userName: user.username,
    user,
    clientId: request.clientId,
    ...(request.clientMetadata === undefined ? {} : { clientMetadata: request.clientMetadata }),
  });
  if (custom === undefined) return { to: destination, subject: defaults.subject, text: fill(defaults.text, code, user.username), code };

  if (ctx.pool.emailSendingAccount !== "DEVELOPER" && (custom.emailMessage !== undefined || custom.emailSubject !== undefined)) {
    throw new InvalidLambdaResponseException(
      "Invalid lambda function output : emailMessage and emailSubject need a user pool that sends email with Amazon SES (DEVELOPER)",
    );
  }
  const body = email ? custom.emailMessage : custom.smsMessage;
  if (body !== undefined) {
    const field = email ? "emailBody" : "smsBody";
    if (!body.includes(CODE_PARAMETER)) {
      throw new InvalidParameterException(
        `1 validation error detected: Value at '${field}' failed to satisfy constraint: Member must satisfy regular expression pattern: ${CODE_PATTERN}`,
      );
    }
    const filled = fill(body, code, user.username);
    const max = email ? MAX_EMAIL : MAX_SMS;
    if ([...filled].length > max) {
      throw new InvalidParameterException(
        `1 validation error detected: Value at '${field}' failed to satisfy constraint: Member must have length less than or equal to ${max}`,
      );
    }
    if (!email) return { to: destination, subject: defaults.subject, text: filled, code };
    return { to: destination, subject: custom.emailSubject ?? defaults.subject, text: htmlText(filled), html: filled, code };
  }
  return { to: destination, subject: email ? (custom.emailSubject ?? defaults.subject) : defaults.subject, text: fill(defaults.text, code, user.username), code };
}
