import { useState } from "react";
import * as z from "zod/mini";
import { otpCodeSchema, type SignInDoneResponse } from "../../../../common/api-contract";
import { FormErrorSummary } from "../../../components/form-error-summary";
import { Button } from "../../../components/ui/button";
import { TextField } from "../../../components/ui/text-field";
import { t, useT } from "../../../i18n/i18n";
import { digitsOnly } from "../../../lib/form";
import { useContractForm } from "../../../lib/use-contract-form";
import { useVerifyOtp } from "../api/verify-otp";
import { endedSignInMessage, otpErrorMessage } from "../utils/error-messages";

const codeLength = 6;
const fieldIds = { code: "signin-code", rememberDevice: "signin-remember-device" };

// The contract's rule, with a message for an empty field and one for a short code.
const otpFormSchema = z.pipe(
  z.object({
    code: z.pipe(
      z.string().check(
        z.minLength(1, { error: () => t("form.enterOtp") }),
        z.refine((code) => otpCodeSchema.safeParse(code).success, { error: () => t("form.otpLength") }),
      ),
      otpCodeSchema,
    ),
    rememberDevice: z.boolean(),
  }),
  // The box is sent only when ticked: `{code}` alone keeps meaning "ask again next time".
  z.transform(({ code, rememberDevice }: { code: string; rememberDevice: boolean }) => (rememberDevice ? { code, rememberDevice } : { code })),
);

export interface OtpFormProps {
  onDone: (answer: SignInDoneResponse) => void;
  /** The pending sign-in is over (too many wrong codes, expired): `message` says why. */
  onSignInEnded: (message: string) => void;
}

export function OtpForm({ onDone, onSignInEnded }: OtpFormProps) {
  useT();
  const verify = useVerifyOtp();
  const [code, setCode] = useState("");
  const [rememberDevice, setRememberDevice] = useState(false);
  const form = useContractForm({
    fieldIds,
    schema: otpFormSchema,
    values: { code, rememberDevice },
    mutation: verify,
    onSuccess: onDone,
    onError: (error) => {
      const ended = endedSignInMessage(error);
      if (ended !== null) {
        onSignInEnded(ended);
        return "handled";
      }
      // A wrong code is spent: clear it so the next one is typed fresh.
      setCode("");
    },
  });

  return (
    <form className="form" noValidate onSubmit={form.onSubmit}>
      <FormErrorSummary failure={form.failure} describe={otpErrorMessage} fieldErrors={form.summaryLinks} />
      <TextField
        id={fieldIds.code}
        label={t("code.label")}
        hint={t("code.hint")}
        name="code"
        type="text"
        // WHATWG autofill "one-time-code": lets the browser/OS offer the code from the message.
        autoComplete="one-time-code"
        inputMode="numeric"
        // No maxLength: the browser would cut a pasted "123 456" to "123 45" before the spaces
        // and dashes are removed; digitsOnly keeps the six digits instead.
        required
        className="input--code"
        value={code}
        onChange={(event) => setCode(digitsOnly(event.target.value, codeLength))}
        error={form.fieldErrors.code}
      />
      <div className="field field--checkbox">
        <input
          id={fieldIds.rememberDevice}
          type="checkbox"
          className="checkbox"
          checked={rememberDevice}
          onChange={(event) => setRememberDevice(event.target.checked)}
          aria-describedby={`${fieldIds.rememberDevice}-hint`}
        />
        <label className="field-label" htmlFor={fieldIds.rememberDevice}>
          {t("code.rememberDevice")}
        </label>
        <p className="field-hint" id={`${fieldIds.rememberDevice}-hint`}>
          {t("code.rememberDeviceHint")}
        </p>
      </div>
      <Button type="submit" block loading={form.pending} loadingText={t("code.checking")}>
        {t("code.submit")}
      </Button>
    </form>
  );
}
