import { useMutation, useQuery } from "@apollo/client/react";
import { useState } from "react";
import { Trans, useTranslation } from "react-i18next";
import { Link } from "react-router";
import * as z from "zod/mini";

import { PHONE_MESSAGES, phoneNumberForm } from "@atrium/validation";

import { type PhoneConfigsQuery, type PhoneProvider } from "../../gql/graphql.ts";
import { useAbility } from "../../platform/ability.tsx";
import { describeError } from "../../platform/errors.ts";
import { ErrorBanner } from "../../platform/form-controls.tsx";
import { trimmed, useSchemaForm } from "../../platform/forms.ts";
import { LoadError } from "../../platform/load-error.tsx";
import {
  Button,
  Checkbox,
  ConfirmDialog,
  DataTable,
  Dialog,
  FormActions,
  RowActions,
  Select,
  SkeletonList,
  TextField,
  toast,
  TruncatedText,
  type Column,
} from "../../platform/ui/index.ts";
import { WhyCantI } from "../access/why-cant-i.tsx";
import { type CurrentWorkspace } from "../workspaces/workspace-shell.tsx";
import {
  CreatePhoneConfigDocument,
  DeletePhoneConfigDocument,
  PhoneConfigsDocument,
  UpdatePhoneConfigDocument,
} from "./operations.ts";

type PhoneConfig = PhoneConfigsQuery["phoneConfigs"][number];
type Open = { kind: "create" } | { kind: "edit"; config: PhoneConfig } | { kind: "delete"; config: PhoneConfig };

/** The CASL subject, the table's saved-layout key and each row's test attributes: names, not words. */
const SUBJECT = "PhoneConfig";
const TABLE_KEY = "phone-numbers";
const rowProps = () => ({ "data-testid": "phone-row" });

/** The translation key (namespace "phone-numbers") of each provider's label. */
const PROVIDER_LABELS = { TWILIO: "providers.twilio", VAPI: "providers.vapi" } as const satisfies Record<
  PhoneProvider,
  string
>;

/** /w/:slug/phone-numbers (R6): the numbers a workspace sends and calls from; a provider's default replaces the card's single field. */
export function PhoneNumbersPage({ workspace }: { workspace: CurrentWorkspace }) {
  const { t } = useTranslation("phone-numbers");
  const ability = useAbility();
  const workspaceId = workspace.id;
  const [open, setOpen] = useState<Open>();
  const { data, error, refetch } = useQuery(PhoneConfigsDocument, {
    variables: { workspaceId },
    fetchPolicy: "cache-and-network",
  });
  const [remove] = useMutation(DeletePhoneConfigDocument);
  const canManage = ability.can("create", "PhoneConfig");
  const done = (message: string) => {
    setOpen(undefined);
    toast(message);
    void refetch();
  };

  const columns: Column<PhoneConfig>[] = [
    {
      id: "number",
      header: t("page.columns.number"),
      className: "data-table__nowrap",
      sortValue: (p) => p.number,
      cell: (p) => <code>{p.number}</code>,
    },
    { id: "label", header: t("page.columns.label"), sortValue: (p) => p.label, cell: (p) => p.label },
    {
      id: "provider",
      header: t("page.columns.provider"),
      sortValue: (p) => t(PROVIDER_LABELS[p.provider]),
      cell: (p) => (
        <>
          {t(PROVIDER_LABELS[p.provider])}
          {p.providerRef && <TruncatedText className="muted small" text={p.providerRef} />}
        </>
      ),
    },
    {
      id: "default",
      header: t("page.columns.default"),
      sortValue: (p) => (p.isDefault ? 0 : 1),
      cell: (p) =>
        p.isDefault ? (
          <span className="badge badge--ok">{t("page.defaultBadge")}</span>
        ) : (
          <span className="muted">—</span>
        ),
    },
    ...(canManage
      ? [
          {
            id: "actions",
            header: t("page.columns.actions"),
            headerHidden: true,
            cell: (p: PhoneConfig) => (
              <RowActions
                name={p.number}
                actions={[
                  { label: t("page.edit"), onSelect: () => setOpen({ kind: "edit", config: p }) },
                  { label: t("page.delete"), danger: true, onSelect: () => setOpen({ kind: "delete", config: p }) },
                ]}
              />
            ),
          },
        ]
      : []),
  ];

  return (
    <>
      <p className="muted">
        <Trans
          ns="phone-numbers"
          i18nKey="page.intro"
          components={{
            settings: ability.can("read", "Integration") ? (
              <Link to={`/w/${workspace.slug}/settings#settings-integrations-title`} />
            ) : (
              <span />
            ),
          }}
        />
      </p>
      {!canManage && (
        <WhyCantI workspaceId={workspaceId} action="create" subject={SUBJECT} label={t("page.whyCantAdd")} />
      )}
      {canManage && (
        <div className="toolbar">
          <Button variant="primary" onClick={() => setOpen({ kind: "create" })}>
            {t("page.add")}
          </Button>
        </div>
      )}
      {data === undefined ? (
        error !== undefined ? (
          <LoadError error={error} onRetry={refetch} />
        ) : (
          <SkeletonList label={t("page.loading")} />
        )
      ) : data.phoneConfigs.length === 0 ? (
        <p className="empty-state">{canManage ? t("page.emptyCanManage") : t("page.empty")}</p>
      ) : (
        <DataTable
          label={t("page.tableLabel")}
          storageKey={TABLE_KEY}
          rows={data.phoneConfigs}
          rowKey={(p) => p.id}
          rowProps={rowProps}
          columns={columns}
        />
      )}
      {(open?.kind === "create" || open?.kind === "edit") && (
        <PhoneDialog
          workspaceId={workspaceId}
          config={open.kind === "edit" ? open.config : undefined}
          onClose={() => setOpen(undefined)}
          onSaved={done}
        />
      )}
      {open?.kind === "delete" && (
        <ConfirmDialog
          title={t("page.deleteTitle", { number: open.config.number })}
          confirmLabel={t("page.deleteConfirm")}
          danger
          onClose={() => setOpen(undefined)}
          onConfirm={async () => {
            await remove({ variables: { workspaceId, id: open.config.id } });
            done(t("page.deleted", { number: open.config.number }));
          }}
        >
          <p>{open.config.isDefault ? t("page.deleteBodyDefault") : t("page.deleteBody")}</p>
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
      if (provider === "VAPI" && providerRef.trim() === "")
        ctx.issues.push({
          code: "custom",
          message: PHONE_MESSAGES.vapiIdRequired,
          input: providerRef,
          path: ["providerRef"],
        });
    }),
  );
type PhoneValues = z.output<typeof phoneSchema>;
const PHONE_FIELDS = ["number", "label", "providerRef"] as const;

function PhoneDialog({
  workspaceId,
  config,
  onClose,
  onSaved,
}: {
  workspaceId: string;
  config: PhoneConfig | undefined;
  onClose: () => void;
  onSaved: (message: string) => void;
}) {
  const { t } = useTranslation("phone-numbers");
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
      onSaved(config ? t("dialog.saved", { label }) : t("dialog.added", { label }));
    } catch (caught) {
      form.failed(describeError(caught), PHONE_FIELDS);
    }
  };
  return (
    <Dialog title={config ? t("dialog.editTitle", { number: config.number }) : t("dialog.addTitle")} onClose={onClose}>
      <form className="form" onSubmit={(e) => void form.handleSubmit(onSubmit)(e)} noValidate>
        <ErrorBanner error={error} fieldsShown={PHONE_FIELDS} />
        <TextField
          label={t("dialog.number")}
          hint={t("dialog.numberHint")}
          error={errors.number?.message}
          type="tel"
          autoComplete="off"
          {...form.register("number")}
        />
        <TextField
          label={t("dialog.label")}
          hint={t("dialog.labelHint")}
          error={errors.label?.message}
          type="text"
          autoComplete="off"
          {...form.register("label", { setValueAs: trimmed })}
        />
        <Select label={t("dialog.provider")} {...form.register("provider")}>
          {(["TWILIO", "VAPI"] as const).map((p) => (
            <option key={p} value={p}>
              {t(PROVIDER_LABELS[p])}
            </option>
          ))}
        </Select>
        {provider === "VAPI" && (
          <TextField
            label={t("dialog.vapiId")}
            hint={t("dialog.vapiIdHint")}
            error={errors.providerRef?.message}
            type="text"
            autoComplete="off"
            {...form.register("providerRef", { setValueAs: trimmed })}
          />
        )}
        <label className="choice">
          <Checkbox {...form.register("isDefault")} />{" "}
          {provider === "VAPI" ? t("dialog.defaultForCalls") : t("dialog.defaultForWhatsApp")}
        </label>
        <FormActions
          submitLabel={config ? t("dialog.save") : t("dialog.add")}
          pending={created.loading || updated.loading}
          onCancel={onClose}
        />
      </form>
    </Dialog>
  );
}
