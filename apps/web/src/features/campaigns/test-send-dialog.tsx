/**
 * "Send a test" (issue 56): the campaign's message, as a recipient gets it, to one phone number —
 * through the same pipeline as every send, so WhatsApp's rules (window, template, STOP) apply.
 */
import { useMutation } from "@apollo/client/react";
import { type FormEvent, useState } from "react";
import { type CampaignFieldsFragment } from "../../gql/graphql.ts";
import { type UserFacingError, describeError } from "../../platform/errors.ts";
import { ErrorBanner, Field } from "../../platform/form-controls.tsx";
import { serverFieldMessage } from "../../platform/forms.ts";
import { Dialog, FormActions, toast } from "../../platform/ui/index.ts";
import { SendCampaignTestDocument } from "./operations.ts";

/** The toast after a test: what happened to the message the API queued. */
export function testOutcome(phone: string, m: { status: string; errorMessage?: string | null }): { text: string; error: boolean } {
  switch (m.status) {
    case "FAILED":
      return { text: `The test to ${phone} failed: ${m.errorMessage ?? "the provider refused it."}`, error: true };
    case "SUPPRESSED":
      return { text: `The test to ${phone} was not sent: ${m.errorMessage ?? "sending is paused in this workspace."}`, error: true };
    case "HELD_QUOTA":
      return { text: `The test to ${phone} waits for the monthly message quota.`, error: true };
    default:
      return { text: `Test sent to ${phone}. Its delivery shows in the Inbox.`, error: false };
  }
}

export function TestSendDialog({ workspaceId, campaign, whatsapp, onClose }: { workspaceId: string; campaign: CampaignFieldsFragment; whatsapp: boolean; onClose: () => void }) {
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
      const outcome = testOutcome(number, message);
      toast(outcome.text, { variant: outcome.error ? "error" : "success", testId: "campaign-test-outcome" });
      onClose();
    } catch (caught) {
      setError(describeError(caught));
    }
  };
  const phoneError = serverFieldMessage(error, "phone");
  return (
    <Dialog title={`Send a test of “${campaign.name}”`} onClose={onClose}>
      <form className="form" onSubmit={(event) => void onSubmit(event)} noValidate>
        <ErrorBanner error={error} fieldsShown={["phone"]} />
        <Field
          label="Phone number"
          hint={
            whatsapp && campaign.templateId == null
              ? "International format, e.g. +44 20 7946 0958. Without a template, WhatsApp delivers it only if this number wrote to you in the last 24 hours."
              : "International format, e.g. +44 20 7946 0958."
          }
          error={phoneError}
        >
          {(control) => <input {...control} type="tel" autoComplete="tel" inputMode="tel" value={phone} onChange={(event) => setPhone(event.target.value)} />}
        </Field>
        <FormActions submitLabel="Send test" pending={loading} pendingLabel="Sending…" disabled={phone.trim() === ""} onCancel={onClose} />
      </form>
    </Dialog>
  );
}
