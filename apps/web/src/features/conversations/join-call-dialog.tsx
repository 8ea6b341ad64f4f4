/**
 * "Join call": the call in progress is transferred to the operator's phone (Vapi Live Call
 * Control) and the conversation goes to a person. The number is checked with the same rule as
 * every phone number of the app and sent in E.164; the last one used is offered again.
 */
import { useMutation } from "@apollo/client/react";
import { useTranslation } from "react-i18next";
import * as z from "zod/mini";

import { phoneNumber, toE164 } from "@atrium/validation";

import { describeError } from "../../platform/errors.ts";
import { ErrorBanner } from "../../platform/form-controls.tsx";
import { trimmed, useSchemaForm } from "../../platform/forms.ts";
import { Dialog, FormActions, TextField, toast } from "../../platform/ui/index.ts";
import { JoinCallDocument } from "./console-operations.ts";
import { refusalOverrides } from "./refusals.ts";

const joinCallForm = z.object({ phone: phoneNumber });
type JoinCallForm = z.output<typeof joinCallForm>;
/** The API's field name for the number (BAD_USER_INPUT `extensions.fields`). */
const FIELDS = ["phone"] as const;
const LAST_PHONE_KEY = "atrium.join-call-phone";

function lastPhone(): string {
  try {
    return localStorage.getItem(LAST_PHONE_KEY) ?? "";
  } catch {
    return "";
  }
}

export function JoinCallDialog({
  workspaceId,
  conversationId,
  onClose,
  onJoined,
}: {
  workspaceId: string;
  conversationId: string;
  onClose: () => void;
  onJoined: () => void;
}) {
  const { t } = useTranslation("conversations");
  const form = useSchemaForm(joinCallForm, { phone: lastPhone() });
  const [join, { loading }] = useMutation(JoinCallDocument);
  const onSubmit = async ({ phone }: JoinCallForm) => {
    form.clearServerError();
    const e164 = toE164(phone) ?? phone;
    try {
      await join({ variables: { workspaceId, conversationId, phone: e164 } });
      try {
        localStorage.setItem(LAST_PHONE_KEY, e164);
      } catch {
        // Private mode: nothing to remember.
      }
      toast(t("joinCall.calling", { phone: e164 }));
      onJoined();
      onClose();
    } catch (caught) {
      form.failed(describeError(caught, refusalOverrides("joinCall")), FIELDS);
    }
  };
  return (
    <Dialog title={t("joinCall.title")} onClose={onClose} description={t("joinCall.description")}>
      <form className="form" noValidate onSubmit={(event) => void form.handleSubmit(onSubmit)(event)}>
        <ErrorBanner error={form.serverError} fieldsShown={FIELDS} />
        <TextField
          label={t("joinCall.phoneLabel")}
          hint={t("joinCall.phoneHint")}
          error={form.formState.errors.phone?.message}
          type="tel"
          autoComplete="tel"
          inputMode="tel"
          {...form.register("phone", { setValueAs: trimmed })}
        />
        <FormActions
          submitLabel={t("joinCall.submit")}
          pending={loading}
          pendingLabel={t("joinCall.pending")}
          onCancel={onClose}
        />
      </form>
    </Dialog>
  );
}
