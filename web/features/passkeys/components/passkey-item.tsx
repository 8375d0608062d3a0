import { useEffect, useId, useMemo, useRef, useState } from "react";
import * as z from "zod/mini";
import { renamePasskeyRequestSchema, type Passkey } from "../../../../common/api-contract";
import { Button } from "../../../components/ui/button";
import { TextField } from "../../../components/ui/text-field";
import { useT } from "../../../i18n/i18n";
import { isApiError } from "../../../lib/api-client";
import { describeError } from "../../../lib/error-messages";
import { useContractForm } from "../../../lib/use-contract-form";
import { isPasskeyHere } from "../../../lib/webauthn";
import { useConfirmPasskey, useDeletePasskey, useRenamePasskey } from "../api/passkeys";
import { formatIsoDate, hereLabel, kindLabel, passkeyKind, whereText } from "../utils/passkey-text";
import { PasskeyIcon } from "./passkey-icon";
import { StepUpPrompt } from "./step-up-prompt";

type Mode = "view" | "rename" | "confirm-delete";

/**
 * One passkey: its facts, an inline rename form and a delete that asks first. Focus follows the
 * person: into the form or the question when opened, back to the button that opened it after
 * (WCAG 2.4.3 Focus Order). Once deleted, the list (PasskeysSection) places focus. A passkey
 * paused by a password reset offers "It's mine, use it again", after a step-up when the BFF asks.
 */
export function PasskeyItem({ passkey }: { passkey: Passkey }) {
  const [mode, setMode] = useState<Mode>("view");
  const previousMode = useRef<Mode>("view");
  const itemRef = useRef<HTMLLIElement>(null);
  const [name, setName] = useState(passkey.name);
  const t = useT();
  const rename = useRenamePasskey();
  const remove = useDeletePasskey();
  const confirm = useConfirmPasskey();
  // Confirming a paused passkey lets it sign in again: once the sign-in's proof is old, the password (or another passkey) first.
  const confirmStepUp = isApiError(confirm.error) && confirm.error.code === "step_up_required" ? confirm.error : undefined;
  // So does deleting one: it takes a way into the account away from its owner.
  const removeStepUp = isApiError(remove.error) && remove.error.code === "step_up_required" ? remove.error : undefined;
  const headingId = useId();
  const fieldId = `${headingId}-name`;
  const renameSchema = useMemo(
    () =>
      z.pipe(
        renamePasskeyRequestSchema,
        z.transform((body: { name: string }) => ({ id: passkey.id, name: body.name })),
      ),
    [passkey.id],
  );
  const form = useContractForm({
    fieldIds: { name: fieldId },
    schema: renameSchema,
    values: { name },
    mutation: rename,
    onSuccess: () => setMode("view"),
  });
  const kind = passkeyKind(passkey);
  const knownHere = isPasskeyHere(passkey.id);
  const here = hereLabel(kind, knownHere);
  // No error summary in this small inline form: every message, the API's too, sits on the field.
  const renameError = form.fieldErrors.name ?? (form.failure?.error !== undefined ? describeError(form.failure.error) : undefined);

  useEffect(() => {
    const focus = (target: string) => itemRef.current?.querySelector<HTMLElement>(`[data-focus="${target}"]`)?.focus();
    if (mode === "confirm-delete") focus("keep");
    if (mode === "view" && previousMode.current === "rename") focus("rename");
    if (mode === "view" && previousMode.current === "confirm-delete") focus("delete");
    previousMode.current = mode;
  }, [mode]);

  return (
    <li ref={itemRef} className="passkey-item" aria-labelledby={headingId}>
      <div className="passkey-heading">
        <PasskeyIcon kind={kind} />
        <h3 className="passkey-name" id={headingId}>
          {passkey.name}
        </h3>
        {here ? <span className="badge">{here}</span> : null}
        {passkey.needsConfirmation ? <span className="badge">Paused</span> : null}
      </div>
      {passkey.needsConfirmation ? (
        <div className="passkey-paused" role="group" aria-label={t("passkey.paused", { name: passkey.name })}>
          <p>Your password was reset, so this passkey can't sign in until you confirm it's yours. If you don't recognise it, delete it.</p>
          {confirmStepUp ? (
            <StepUpPrompt headingLevel={4} purpose="confirm" passkeyAvailable={confirmStepUp.passkeyAvailable === true} onProved={() => confirm.mutate(passkey.id)} />
          ) : (
            <>
              {confirm.isError ? (
                <p className="field-error" role="alert">
                  {describeError(confirm.error)}
                </p>
              ) : null}
              <Button
                variant="secondary"
                aria-label={t("passkey.confirmNamed", { name: passkey.name })}
                onClick={() => confirm.mutate(passkey.id)}
                loading={confirm.isPending}
                loadingText={t("passkey.confirming")}
              >
                {t("passkey.confirm")}
              </Button>
            </>
          )}
        </div>
      ) : null}
      <dl className="passkey-facts">
        <div>
          <dt>{t("passkey.type")}</dt>
          <dd>{kindLabel(kind)}</dd>
        </div>
        <div>
          <dt>{t("passkey.where")}</dt>
          <dd>{whereText(passkey, knownHere)}</dd>
        </div>
        <div>
          <dt>{t("passkey.created")}</dt>
          <dd>{formatIsoDate(passkey.createdAt)}</dd>
        </div>
        <div>
          <dt>{t("passkey.lastUsed")}</dt>
          <dd>{formatIsoDate(passkey.lastUsedAt)}</dd>
        </div>
      </dl>

      {mode === "rename" ? (
        <form className="form passkey-rename" noValidate onSubmit={form.onSubmit}>
          <TextField
            id={fieldId}
            label={t("passkey.nameLabel")}
            value={name}
            maxLength={64}
            autoComplete="off"
            onChange={(event) => setName(event.target.value)}
            error={renameError}
            autoFocus
          />
          <div className="passkey-actions">
            <Button type="submit" loading={form.pending} loadingText={t("common.saving")}>
              {t("passkey.saveName")}
            </Button>
            <Button variant="quiet" onClick={() => setMode("view")}>
              {t("common.cancel")}
            </Button>
          </div>
        </form>
      ) : null}

      {mode === "confirm-delete" ? (
        <div className="passkey-confirm" role="group" aria-label={t("passkey.deleteQuestion", { name: passkey.name })}>
          <p>{t("passkey.deleteConfirm", { name: passkey.name })}</p>
          {removeStepUp ? (
            <StepUpPrompt headingLevel={4} purpose="delete" passkeyAvailable={removeStepUp.passkeyAvailable === true} onProved={() => remove.mutate(passkey.id)} />
          ) : remove.isError ? (
            <p className="field-error" role="alert">
              {describeError(remove.error)}
            </p>
          ) : null}
          <div className="passkey-actions">
            {removeStepUp ? null : (
              <Button onClick={() => remove.mutate(passkey.id)} loading={remove.isPending} loadingText={t("passkey.deleting")}>
                {t("passkey.deleteSubmit")}
              </Button>
            )}
            <Button data-focus="keep" variant="quiet" onClick={() => setMode("view")}>
              {t("passkey.keep")}
            </Button>
          </div>
        </div>
      ) : null}

      {mode === "view" ? (
        <div className="passkey-actions">
          <Button
            data-focus="rename"
            variant="secondary"
            aria-label={t("passkey.renameNamed", { name: passkey.name })}
            onClick={() => {
              setName(passkey.name);
              form.reset();
              setMode("rename");
            }}
          >
            {t("passkey.rename")}
          </Button>
          <Button data-focus="delete" variant="secondary" aria-label={t("passkey.deleteNamed", { name: passkey.name })} onClick={() => setMode("confirm-delete")}>
            {t("passkey.delete")}
          </Button>
        </div>
      ) : null}
    </li>
  );
}
