import type { CreateAuthChallengeTriggerEvent, CustomMessageTriggerEvent, DefineAuthChallengeTriggerEvent, VerifyAuthChallengeResponseTriggerEvent } from "aws-lambda";
import { z } from "zod";
import type { LocalConfig } from "../common/local-config";
import { createCreateAuthChallengeHandler } from "../triggers/create-auth-challenge";
import { createCustomMessageHandler } from "../triggers/custom-message";
import { createDefineAuthChallengeHandler } from "../triggers/define-auth-challenge";
import type { DeliveryPort } from "../triggers/delivery/delivery-port";
import { createVerifyAuthChallengeResponseHandler } from "../triggers/verify-auth-challenge-response";
import { InvalidLambdaResponseException, UnexpectedLambdaException, UserLambdaValidationException } from "./errors";
import type { StoredUser } from "./state/user-store";

type TriggerHandler<E> = (event: E) => Promise<E>;

export type StringMap = Record<string, string>;

/** One completed round in `request.session`. */
export type SessionEntry = DefineAuthChallengeTriggerEvent["request"]["session"][number];

/** The pool's Lambda triggers, run in-process: the custom-auth three and, when the pool has it, CustomMessage. */
export interface ChallengeTriggers {
  defineAuthChallenge: TriggerHandler<DefineAuthChallengeTriggerEvent>;
  createAuthChallenge: TriggerHandler<CreateAuthChallengeTriggerEvent>;
  verifyAuthChallengeResponse: TriggerHandler<VerifyAuthChallengeResponseTriggerEvent>;
  /** Absent: Cognito sends its default messages. */
  customMessage?: TriggerHandler<CustomMessageTriggerEvent>;
}

/**
 * The project's own handlers from triggers/, wired to the emulator's outbox and clock; the
 * CustomMessage trigger when the local configuration attaches it (`triggers.customMessage`), told
 * who sends the pool's mails as the deployment tells the Lambda.
 */
export function createProjectTriggers(config: LocalConfig, delivery: DeliveryPort, now: () => number): ChallengeTriggers {
  const triggersConfig = {
    passkeyProofSecret: config.triggers.passkeyProofSecret,
    otpTtlSeconds: config.triggers.otpTtlSeconds,
    otpMaxAttempts: config.triggers.otpMaxAttempts,
  };
  return {
    defineAuthChallenge: createDefineAuthChallengeHandler({ otpMaxAttempts: triggersConfig.otpMaxAttempts }),
    createAuthChallenge: createCreateAuthChallengeHandler({ config: triggersConfig, delivery, now }),
    verifyAuthChallengeResponse: createVerifyAuthChallengeResponseHandler({ config: triggersConfig, now }),
    ...(config.triggers.customMessage ? { customMessage: createCustomMessageHandler({ emailSendingAccount: config.userPool.emailSendingAccount }) } : {}),
  };
}

/** Who the round is about, and this call's ClientMetadata (only RespondToAuthChallenge passes it on). */
export interface TriggerSubject {
  userName: string;
  user: StoredUser | undefined;
  clientId: string;
  clientMetadata?: StringMap;
}

export interface DefineDecision {
  challengeName?: string;
  issueTokens: boolean;
  failAuthentication: boolean;
}

export interface CreatedChallenge {
  publicChallengeParameters: StringMap;
  privateChallengeParameters: StringMap;
  challengeMetadata: string | null;
}

const stringMap = z.record(z.string(), z.string());
const defineResponse = z.object({
  challengeName: z.string().nullish(),
  issueTokens: z.boolean().nullish(),
  failAuthentication: z.boolean().nullish(),
});
const createResponse = z.object({
  publicChallengeParameters: stringMap.nullish(),
  privateChallengeParameters: stringMap.nullish(),
  challengeMetadata: z.string().nullish(),
});
const verifyResponse = z.object({ answerCorrect: z.boolean().nullish() });
const customMessageResponse = z.object({
  smsMessage: z.string().nullish(),
  emailMessage: z.string().nullish(),
  emailSubject: z.string().nullish(),
});
const returnedEvent = z.object({ response: z.unknown() });

/**
 * Cognito waits 5 seconds for a trigger; one that has not answered by then is invoked again while
 * the first invocation keeps running, and after three unanswered invocations the call fails
 * (AWS DG, "Customizing user pool workflows with Lambda triggers").
 */
export const TRIGGER_TIMEOUT_MS = 5000;
export const TRIGGER_INVOCATIONS = 3;

export interface TriggerTiming {
  /** Default 5000 ms; tests shorten it. */
  timeoutMs?: number;
  /** Invocations before Cognito gives up; default 3. */
  invocations?: number;
}

/** `request.userAttributes` as Cognito sends it: a flat string map with sub, status and alias markers. */
export function eventUserAttributes(user: StoredUser | undefined, usernameAttributes: readonly string[]): StringMap {
  if (user === undefined) return {};
  const attributes: StringMap = { sub: user.sub, ...user.attributes, "cognito:user_status": user.status };
  if (usernameAttributes.includes("email") && user.attributes.email && user.attributes.email_verified === "true") {
    attributes["cognito:email_alias"] = user.attributes.email;
  }
  if (usernameAttributes.includes("phone_number") && user.attributes.phone_number && user.attributes.phone_number_verified === "true") {
    attributes["cognito:phone_number_alias"] = user.attributes.phone_number;
  }
  return attributes;
}

/**
 * Builds Cognito-shaped trigger events, runs the handlers and maps failures as Cognito does
 * (docs/cognito-behaviour.md, "Custom authentication (CUSTOM_AUTH)"). Handlers get a copy of the event:
 * only the returned `response` is read.
 */
export class TriggerRunner {
  private readonly timeoutMs: number;
  private readonly invocations: number;

  constructor(
    private readonly triggers: ChallengeTriggers,
    private readonly pool: { region: string; userPoolId: string; usernameAttributes: readonly string[] },
    timing: TriggerTiming = {},
  ) {
    this.timeoutMs = timing.timeoutMs ?? TRIGGER_TIMEOUT_MS;
    this.invocations = timing.invocations ?? TRIGGER_INVOCATIONS;
  }

  private envelope<S extends string>(triggerSource: S, subject: TriggerSubject) {
    return {
      version: "1",
      triggerSource,
      region: this.pool.region,
      userPoolId: this.pool.userPoolId,
      userName: subject.userName,
      callerContext: { awsSdkVersion: "aws-sdk-unknown-unknown", clientId: subject.clientId },
    };
  }

  private commonRequest(subject: TriggerSubject) {
    return {
      userAttributes: eventUserAttributes(subject.user, this.pool.usernameAttributes),
      // Left out when they do not apply, as in real events.
      ...(subject.clientMetadata === undefined ? {} : { clientMetadata: { ...subject.clientMetadata } }),
      ...(subject.user === undefined ? { userNotFound: true } : {}),
    };
  }

  /**
   * Runs the handler as Cognito does: each invocation gets a copy of the event and `timeoutMs`; a
   * slow invocation is left running (its late answer is ignored) and the handler is invoked again,
   * up to `invocations` times. A thrown error is not retried.
   */
  private async invoke<E, R extends z.ZodType>(name: string, handler: TriggerHandler<E>, event: E, schema: R): Promise<z.infer<R>> {
    let result: unknown;
    for (let invocation = 1; ; invocation += 1) {
      let timer: NodeJS.Timeout | undefined;
      try {
        const timeout = new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new TriggerTimeout()), this.timeoutMs);
        });
        const running = Promise.resolve().then(() => handler(structuredClone(event)));
        // An abandoned invocation that fails later must not surface as an unhandled rejection.
        running.catch(() => undefined);
        result = await Promise.race([running, timeout]);
        break;
      } catch (error) {
        if (error instanceof TriggerTimeout) {
          if (invocation < this.invocations) continue;
          throw new UnexpectedLambdaException(`${name} failed due to a timeout.`);
        }
        const message = error instanceof Error ? error.message : String(error);
        throw new UserLambdaValidationException(`${name} failed with error ${message}.`);
      } finally {
        clearTimeout(timer);
      }
    }
    const envelope = returnedEvent.safeParse(result);
    const response = envelope.success ? schema.safeParse(envelope.data.response ?? {}) : undefined;
    if (!response?.success) throw new InvalidLambdaResponseException("Invalid lambda function output : Invalid JSON");
    return response.data;
  }

  async define(subject: TriggerSubject, session: SessionEntry[]): Promise<DefineDecision> {
    const event = {
      ...this.envelope("DefineAuthChallenge_Authentication", subject),
      request: { ...this.commonRequest(subject), session: structuredClone(session) },
      response: {},
    } as DefineAuthChallengeTriggerEvent;
    const response = await this.invoke("DefineAuthChallenge", this.triggers.defineAuthChallenge, event, defineResponse);
    return {
      ...(response.challengeName ? { challengeName: response.challengeName } : {}),
      issueTokens: response.issueTokens === true,
      failAuthentication: response.failAuthentication === true,
    };
  }

  async create(subject: TriggerSubject, challengeName: string, session: SessionEntry[]): Promise<CreatedChallenge> {
    const event = {
      ...this.envelope("CreateAuthChallenge_Authentication", subject),
      request: { ...this.commonRequest(subject), challengeName, session: structuredClone(session) },
      response: {},
    } as CreateAuthChallengeTriggerEvent;
    const response = await this.invoke("CreateAuthChallenge", this.triggers.createAuthChallenge, event, createResponse);
    return {
      publicChallengeParameters: response.publicChallengeParameters ?? {},
      privateChallengeParameters: response.privateChallengeParameters ?? {},
      challengeMetadata: response.challengeMetadata ?? null,
    };
  }

  async verify(subject: TriggerSubject, privateChallengeParameters: StringMap, challengeAnswer: string): Promise<boolean> {
    const event = {
      ...this.envelope("VerifyAuthChallengeResponse_Authentication", subject),
      request: { ...this.commonRequest(subject), privateChallengeParameters: { ...privateChallengeParameters }, challengeAnswer },
      response: {},
    } as VerifyAuthChallengeResponseTriggerEvent;
    const response = await this.invoke("VerifyAuthChallengeResponse", this.triggers.verifyAuthChallengeResponse, event, verifyResponse);
    return response.answerCorrect === true;
  }

  /** Whether the pool has a CustomMessage trigger. */
  get hasCustomMessage(): boolean {
    return this.triggers.customMessage !== undefined;
  }

  /**
   * CustomMessage (AWS DG, "Custom message Lambda trigger"): the placeholders Cognito puts in the
   * request — `{####}` for the code, `{##Click Here##}` for a verification link, `{username}` only
   * for AdminCreateUser (null otherwise) — and the three response fields, null until the trigger
   * sets them. Undefined when the pool has no such trigger; a field left null keeps the default.
   */
  async customMessage(
    triggerSource: CustomMessageTriggerEvent["triggerSource"],
    subject: TriggerSubject,
  ): Promise<{ smsMessage?: string; emailMessage?: string; emailSubject?: string } | undefined> {
    const handler = this.triggers.customMessage;
    if (handler === undefined) return undefined;
    const common = this.commonRequest(subject);
    const event = {
      ...this.envelope(triggerSource, subject),
      request: {
        userAttributes: common.userAttributes,
        codeParameter: CODE_PARAMETER,
        linkParameter: LINK_PARAMETER,
        usernameParameter: triggerSource === "CustomMessage_AdminCreateUser" ? USERNAME_PARAMETER : null,
        ...(subject.clientMetadata === undefined ? {} : { clientMetadata: { ...subject.clientMetadata } }),
      },
      response: { smsMessage: null, emailMessage: null, emailSubject: null },
    } as CustomMessageTriggerEvent;
    const response = await this.invoke("CustomMessage", handler, event, customMessageResponse);
    return {
      ...(typeof response.smsMessage === "string" ? { smsMessage: response.smsMessage } : {}),
      ...(typeof response.emailMessage === "string" ? { emailMessage: response.emailMessage } : {}),
      ...(typeof response.emailSubject === "string" ? { emailSubject: response.emailSubject } : {}),
    };
  }
}

/** Cognito's placeholders in a CustomMessage request. */
export const CODE_PARAMETER = "{####}";
export const LINK_PARAMETER = "{##Click Here##}";
export const USERNAME_PARAMETER = "{username}";

class TriggerTimeout extends Error {}
