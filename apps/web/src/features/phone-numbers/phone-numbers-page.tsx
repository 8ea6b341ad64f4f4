import { WhyCantI } from "../access/why-cant-i.tsx";
import { useMutation, useQuery } from "@apollo/client/react";
import { PHONE_MESSAGES, phoneNumberForm } from "@atrium/validation";
import { useState } from "react";
import { Link } from "react-router";
import * as z from "zod/mini";
import { type PhoneConfigsQuery, type PhoneProvider } from "../../gql/graphql.ts";
import { useAbility } from "../../platform/ability.tsx";
import { ConfirmDialog, DataTable, Dialog, FormActions, RowActions, SkeletonList, TruncatedText, toast } from "../../platform/ui/index.ts";
import { describeError } from "../../platform/errors.ts";
import { ErrorBanner, Field } from "../../platform/form-controls.tsx";
import { trimmed, useSchemaForm } from "../../platform/forms.ts";
import { LoadError } from "../../platform/load-error.tsx";
import { type CurrentWorkspace } from "../workspaces/workspace-shell.tsx";
import { CreatePhoneConfigDocument, DeletePhoneConfigDocument, PhoneConfigsDocument, UpdatePhoneConfigDocument } from "./operations.ts";

type PhoneConfig = PhoneConfigsQuery["phoneConfigs"][number];
type Open = { kind: "create" } | { kind: "edit"; config: PhoneConfig } | { kind: "delete"; config: PhoneConfig };

const PROVIDER_LABELS: Record<PhoneProvider, string> = { TWILIO: "Twilio (WhatsApp sender)", VAPI: "Vapi (voice calls)" };

/** /w/:slug/phone-numbers (R6): the numbers a workspace sends and calls from; a provider's default replaces the card's single field. */
export function PhoneNumbersPage({ workspace }: { workspace: CurrentWorkspace }) {
  const ability = useAbility();
  const workspaceId = workspace.id;
  const [open, setOpen] = useState<Open>();
  const { data, error, refetch } = useQuery(PhoneConfigsDocument, { variables: { workspaceId }, fetchPolicy: "cache-and-network" });
  const [remove] = useMutation(DeletePhoneConfigDocument);
  const canManage = ability.can("create", "PhoneConfig");
  const done = (message: string) => {
    setOpen(undefined);
    toast(message);
    void refetch();
  };

  return (
    <>
      <p className="muted">
        The default Twilio number is the WhatsApp sender and the default Vapi number places calls, instead of the number on the integration card (
        {ability.can("read", "Integration") ? <Link to={`/w/${workspace.slug}/settings#settings-integrations-title`}>Settings → Integrations</Link> : "Settings → Integrations"}).
      </p>
      {!canManage && <WhyCantI workspaceId={workspaceId} action="create" subject="PhoneConfig" label="Why can't I add numbers?" />}
      {canManage && (
        <div className="toolbar">
          <button type="button" className="button button--primary" onClick={() => setOpen({ kind: "create" })}>
            Add phone number
          </button>
        </div>
      )}
      {data === undefined ? (
        error !== undefined ? (
          <LoadError error={error} onRetry={refetch} />
        ) : (
          <SkeletonList label="Loading phone numbers…" />
        )
      ) : data.phoneConfigs.length === 0 ? (
        <p className="empty-state">{canManage ? "No phone numbers yet: sends use the integration card's number. Add one to choose the sender." : "No phone numbers yet."}</p>
      ) : (
        <DataTable
          label="Phone numbers"
          storageKey="phone-numbers"
          rows={data.phoneConfigs}
          rowKey={(p) => p.id}
          rowProps={() => ({ "data-testid": "phone-row" })}
          columns={[
            { id: "number", header: "Number", className: "data-table__nowrap", sortValue: (p) => p.number, cell: (p) => <code>{p.number}</code> },
            { id: "label", header: "Label", sortValue: (p) => p.label, cell: (p) => p.label },
            {
              id: "provider",
              header: "Provider",
              sortValue: (p) => PROVIDER_LABELS[p.provider],
              cell: (p) => (
                <>
                  {PROVIDER_LABELS[p.provider]}
                  {p.providerRef && <TruncatedText className="muted small" text={p.providerRef} />}
                </>
              ),
            },
            { id: "default", header: "Default", sortValue: (p) => (p.isDefault ? 0 : 1), cell: (p) => (p.isDefault ? <span className="badge badge--ok">Default</span> : <span className="muted">—</span>) },
            ...(canManage
              ? [
                  {
                    id: "actions",
                    header: "Actions",
                    headerHidden: true,
                    cell: (p: (typeof data.phoneConfigs)[number]) => (
                      <RowActions
                        name={p.number}
                        actions={[
                          { label: "Edit", onSelect: () => setOpen({ kind: "edit", config: p }) },
                          { label: "Delete", danger: true, onSelect: () => setOpen({ kind: "delete", config: p }) },
                        ]}
                      />
                    ),
                  },
                ]
              : []),
          ]}
        />
      )}
      {(open?.kind === "create" || open?.kind === "edit") && (
        <PhoneDialog workspaceId={workspaceId} config={open.kind === "edit" ? open.config : undefined} onClose={() => setOpen(undefined)} onSaved={done} />
      )}
      {open?.kind === "delete" && (
        <ConfirmDialog
          title={`Delete ${open.config.number}?`}
          confirmLabel="Delete number"
          danger
          onClose={() => setOpen(undefined)}
          onConfirm={async () => {
            await remove({ variables: { workspaceId, id: open.config.id } });
            done(`Deleted ${open.config.number}.`);
          }}
        >
          <p>{open.config.isDefault ? "It is a default: sends go back to the integration card's number." : "Nothing sends from it."}</p>
        </ConfirmDialog>
      )}
    </>
  );
}

/** The shared number and label, and what the API types itself: the provider, its reference, the default flag. */
const phoneSchema = z
  .object({
    ...phoneNumberForm.shape,
    provider: z.enum(["TWILIO", "VAPI"]),
    providerRef: z.string(),
    isDefault: z.boolean(),
  })
  .check(
    z.superRefine(({ provider, providerRef }, ctx) => {
      if (provider === "VAPI" && providerRef.trim() === "") ctx.issues.push({ code: "custom", message: PHONE_MESSAGES.vapiIdRequired, input: providerRef, path: ["providerRef"] });
    }),
  );
type PhoneValues = z.output<typeof phoneSchema>;
const PHONE_FIELDS = ["number", "label", "providerRef"] as const;

function PhoneDialog({ workspaceId, config, onClose, onSaved }: { workspaceId: string; config: PhoneConfig | undefined; onClose: () => void; onSaved: (message: string) => void }) {
  const form = useSchemaForm(phoneSchema, {
    number: config?.number ?? "",
    label: config?.label ?? "",
    provider: config?.provider ?? "TWILIO",
    providerRef: config?.providerRef ?? "",
    isDefault: config?.isDefault ?? false,
  });
  const { errors } = form.formState;
  const error = form.serverError;
  const provider: PhoneProvider = form.watch("provider");
  const [create, created] = useMutation(CreatePhoneConfigDocument);
  const [update, updated] = useMutation(UpdatePhoneConfigDocument);
  const onSubmit = async ({ number, label, provider, providerRef, isDefault }: PhoneValues) => {
    form.clearServerError();
    const input = { number, label, provider, providerRef: providerRef || null, isDefault };
    try {
      if (config) await update({ variables: { workspaceId, id: config.id, input } });
      else await create({ variables: { workspaceId, input } });
      onSaved(config ? `Saved ${label}.` : `Added ${label}.`);
    } catch (caught) {
      form.failed(describeError(caught), PHONE_FIELDS);
    }
  };
  return (
    <Dialog title={config ? `Edit ${config.number}` : "Add a phone number"} onClose={onClose}>
      <form className="form" onSubmit={(e) => void form.handleSubmit(onSubmit)(e)} noValidate>
        <ErrorBanner error={error} fieldsShown={PHONE_FIELDS} />
        <Field label="Number" hint="With the country code, e.g. +1 555 000 9999." error={errors.number?.message}>
          {(c) => <input {...c} type="tel" autoComplete="off" {...form.register("number")} />}
        </Field>
        <Field label="Label" hint="E.g. “Sales line”." error={errors.label?.message}>
          {(c) => <input {...c} type="text" autoComplete="off" {...form.register("label", { setValueAs: trimmed })} />}
        </Field>
        <Field label="Provider">
          {(c) => (
            <select {...c} {...form.register("provider")}>
              {(["TWILIO", "VAPI"] as const).map((p) => (
                <option key={p} value={p}>
                  {PROVIDER_LABELS[p]}
                </option>
              ))}
            </select>
          )}
        </Field>
        {provider === "VAPI" && (
          <Field label="Vapi phone number id" hint="Vapi dashboard → Phone Numbers." error={errors.providerRef?.message}>
            {(c) => <input {...c} type="text" autoComplete="off" {...form.register("providerRef", { setValueAs: trimmed })} />}
          </Field>
        )}
        <label className="choice">
          <input type="checkbox" {...form.register("isDefault")} /> Default for {provider === "VAPI" ? "calls" : "WhatsApp sends"}
        </label>
        <FormActions submitLabel={config ? "Save" : "Add number"} pending={created.loading || updated.loading} onCancel={onClose} />
      </form>
    </Dialog>
  );
}
