import { useState, type FormEvent } from "react";
import { otpCodeSchema, type SignInDoneResponse } from "../../../../common/api-contract";
import { Button } from "../../../components/ui/button";
import { FormErrorSummary } from "../../../components/form-error-summary";
import { TextField } from "../../../components/ui/text-field";
import { digitsOnly, useFormFailure } from "../../../lib/form";
import { useVerifyOtp } from "../api/verify-otp";
import { endedSignInMessage, otpErrorMessage } from "../utils/error-messages";

const codeLength = 6;
const codeFieldId = "signin-code";

export interface OtpFormProps {
  onDone: (answer: SignInDoneResponse) => void;
  /** The pending sign-in is over (too many wrong codes, expired): `message` says why. */
  onSignInEnded: (message: string) => void;
}

export function OtpForm({ onDone, onSignInEnded }: OtpFormProps) {
  const verify = useVerifyOtp();
  const [code, setCode] = useState("");
  const [fieldError, setFieldError] = useState<string | undefined>();
  const { failure, fail, clearFailure } = useFormFailure();

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (verify.isPending) return;
    const parsed = otpCodeSchema.safeParse(code);
    if (!parsed.success) {
      setFieldError(code === "" ? "Enter the 6-digit code." : "The code has 6 digits.");
      fail();
      return;
    }
    setFieldError(undefined);
    clearFailure();
    verify.mutate(
      { code: parsed.data },
      {
        onSuccess: onDone,
        onError: (error) => {
          const ended = endedSignInMessage(error);
          if (ended !== null) {
            onSignInEnded(ended);
            return;
          }
          // A wrong code is spent: clear it so the next one is typed fresh.
          setCode("");
          fail(error);
        },
      },
    );
  };

  return (
    <form className="form" noValidate onSubmit={onSubmit}>
      <FormErrorSummary
        failure={failure}
        describe={otpErrorMessage}
        fieldErrors={fieldError ? [{ fieldId: codeFieldId, message: fieldError }] : []}
      />
      <TextField
        id={codeFieldId}
        label="Verification code"
        hint="The 6-digit code from the message."
        name="code"
        type="text"
        // WHATWG autofill "one-time-code": lets the browser/OS offer the code from the message.
        autoComplete="one-time-code"
        inputMode="numeric"
        pattern="[0-9]{6}"
        maxLength={codeLength}
        required
        className="input--code"
        value={code}
        onChange={(event) => setCode(digitsOnly(event.target.value, codeLength))}
        error={fieldError}
      />
      <Button type="submit" block loading={verify.isPending} loadingText="Checking…">
        Verify and sign in
      </Button>
    </form>
  );
}
