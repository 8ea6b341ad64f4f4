/**
 * "Send a test" (issue 56): the campaign's message, as a recipient gets it, to one phone number —
 * through the same pipeline as every send, so WhatsApp's rules (window, template, STOP) apply.
 */
import { useMutation } from "@apollo/client/react";
import { type TFunction } from "i18next";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";

import { type CampaignFieldsFragment } from "../../gql/graphql.ts";
import { describeError, type UserFacingError } from "../../platform/errors.ts";
import { ErrorBanner } from "../../platform/form-controls.tsx";
import { serverFieldMessage } from "../../platform/forms.ts";
import { Dialog, FormActions, TextField, toast } from "../../platform/ui/index.ts";
import { SendCampaignTestDocument } from "./operations.ts";

/** The toast after a test: what happened to the message the API queued. */
export function testOutcome(
  phone: string,
  m: { status: string; errorMessage?: string | null },
  t: TFunction<"campaigns">,
): { text: string; error: boolean } {
  switch (m.status) {
    case "FAILED":
      return {
        text: t("testSend.failed", { phone, reason: m.errorMessage ?? t("testSend.failedReason") }),
        error: true,
      };
    case "SUPPRESSED":
      return {
        text: t("testSend.suppressed", { phone, reason: m.errorMessage ?? t("testSend.suppressedReason") }),
        error: true,
      };
    case "HELD_QUOTA":
      return { text: t("testSend.heldQuota", { phone }), error: true };
    default:
      return { text: t("testSend.sent", { phone }), error: false };
  }
}

const PHONE_FIELD = ["phone"];

export function TestSendDialog({
  workspaceId,
  campaign,
  whatsapp,
  onClose,
}: {
  workspaceId: string;
  campaign: CampaignFieldsFragment;
  whatsapp: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation("campaigns");
  const [phone, setPhone] = useState("");
  const [error, setError] = useState<UserFacingError>();
  const [send, { loading }] = useMutation(SendCampaignTestDocument);
  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setError(undefined);
    const number = phone.trim();
    try {
      const result = await send({ variables: { workspaceId, id: campaign.id, phone: number } });
      const message = result.data?.sendCampaignTest;
      if (message == null) return;
      const outcome = testOutcome(number, message, t);
      toast(outcome.text, { variant: outcome.error ? "error" : "success", testId: "campaign-test-outcome" });
      onClose();
    } catch (caught) {
      setError(describeError(caught));
    }
  };
  const phoneError = serverFieldMessage(error, "phone");
  return (
    <Dialog title={t("testSend.title", { name: campaign.name })} onClose={onClose}>
      <form className="form" onSubmit={(event) => void onSubmit(event)} noValidate>
        <ErrorBanner error={error} fieldsShown={PHONE_FIELD} />
        <TextField
          label={t("testSend.phone")}
          hint={whatsapp && campaign.templateId == null ? t("testSend.hintWhatsApp") : t("testSend.hint")}
          error={phoneError}
          type="tel"
          autoComplete="tel"
          inputMode="tel"
          value={phone}
          onChange={(event) => setPhone(event.target.value)}
        />
        <FormActions
          submitLabel={t("testSend.submit")}
          pending={loading}
          pendingLabel={t("testSend.pending")}
          disabled={phone.trim() === ""}
          onCancel={onClose}
        />
      </form>
    </Dialog>
  );
}
