/**
 * /w/:slug/settings/whatsapp-templates (issue 56): the workspace's approved WhatsApp templates.
 * WhatsApp lets a business send free text only within 24 hours of the contact's last message;
 * everything else — the agent's opening message to a new lead, campaigns to people who have not
 * written, a reply after the window closed — must be a template approved in Twilio.
 */
import { useMutation, useQuery } from "@apollo/client/react";
import { useState } from "react";
import { Trans, useTranslation } from "react-i18next";
import { Link } from "react-router";

import { useAbility } from "../../platform/ability.tsx";
import { LoadError } from "../../platform/load-error.tsx";
import {
  Button,
  ConfirmDialog,
  DataTable,
  RowActions,
  SkeletonList,
  toast,
  type Column,
} from "../../platform/ui/index.ts";
import { WhyCantI } from "../access/why-cant-i.tsx";
import { type CurrentWorkspace } from "../workspaces/workspace-shell.tsx";
import { WorkspaceSettingsDocument } from "./operations.ts";
import { SettingsSection } from "./section.tsx";
import { TemplateEditorDialog } from "./template-editor-dialog.tsx";
import { variablesSummary, type MessageTemplate } from "./template-form.ts";
import { DeleteMessageTemplateDocument, MessageTemplatesDocument } from "./template-operations.ts";

import "./whatsapp-templates.css";

type Open =
  | { kind: "create" }
  | { kind: "edit"; template: MessageTemplate }
  | { kind: "delete"; template: MessageTemplate };

/** The CASL subject the templates need, and each row's test attributes: names, not words. */
const WORKSPACE = "Workspace";
const rowProps = (t: MessageTemplate) => ({ "data-testid": "message-template", "data-template-name": t.name });

/** Why templates exist, said once at the top of the page (and in its empty state). */
export function TemplatesExplainer() {
  const { t } = useTranslation("settings");
  return (
    <p className="muted" data-testid="templates-explainer">
      {t("templates.explainer")}
    </p>
  );
}

export function WhatsAppTemplatesPage({ workspace }: { workspace: CurrentWorkspace }) {
  const { t } = useTranslation("settings");
  const ability = useAbility();
  const workspaceId = workspace.id;
  const canUpdate = ability.can("update", "Workspace");
  const templates = useQuery(MessageTemplatesDocument, {
    variables: { workspaceId },
    fetchPolicy: "cache-and-network",
  });
  const settings = useQuery(WorkspaceSettingsDocument, { variables: { slug: workspace.slug } });
  const [remove] = useMutation(DeleteMessageTemplateDocument);
  const [open, setOpen] = useState<Open>();
  const back = (
    <p>
      <Link to={`/w/${workspace.slug}/settings`}>{t("templates.back")}</Link>
    </p>
  );

  if (workspace.channel !== "WHATSAPP") {
    return (
      <>
        {back}
        <p className="empty-state">{t("templates.voiceWorkspace")}</p>
      </>
    );
  }

  const list = templates.data?.messageTemplates;
  const opening = list?.find((t) => t.useForOpening);
  const add = () => setOpen({ kind: "create" });
  const columns: Column<MessageTemplate>[] = [
    {
      id: "name",
      header: t("templates.columns.template"),
      cell: (template) => (
        <>
          <strong>{template.name}</strong>
          {template.useForOpening && <span className="badge badge--ok">{t("templates.openingBadge")}</span>}
          <div className="muted small">
            <code>{template.contentSid}</code>
          </div>
        </>
      ),
    },
    {
      id: "body",
      header: t("templates.columns.text"),
      cell: (template) => <span className="template-list__body">{template.body}</span>,
    },
    {
      id: "variables",
      header: t("templates.columns.variables"),
      cell: (template) =>
        template.variables.length === 0 ? (
          <span className="muted">{t("templates.noVariables")}</span>
        ) : (
          variablesSummary(template.variables)
        ),
    },
    ...(canUpdate
      ? [
          {
            id: "actions",
            header: t("templates.columns.actions"),
            headerHidden: true,
            cell: (template: MessageTemplate) => (
              <RowActions
                name={template.name}
                actions={[
                  { label: t("templates.edit"), onSelect: () => setOpen({ kind: "edit", template }) },
                  { label: t("templates.delete"), danger: true, onSelect: () => setOpen({ kind: "delete", template }) },
                ]}
              />
            ),
          },
        ]
      : []),
  ];
  return (
    <>
      {back}
      <TemplatesExplainer />
      {list !== undefined && list.length > 0 && opening === undefined && (
        <p className="banner banner--warning" role="status" data-testid="no-opening-template">
          {t("templates.noOpening")}
        </p>
      )}
      {canUpdate ? (
        list !== undefined &&
        list.length > 0 && (
          <div className="toolbar">
            <Button variant="primary" onClick={add}>
              {t("templates.add")}
            </Button>
          </div>
        )
      ) : (
        <WhyCantI workspaceId={workspaceId} action="update" subject={WORKSPACE} label={t("templates.whyCantChange")} />
      )}
      {list === undefined ? (
        templates.error !== undefined ? (
          <LoadError error={templates.error} onRetry={templates.refetch} />
        ) : (
          <SkeletonList label={t("templates.loading")} rows={2} />
        )
      ) : list.length === 0 ? (
        <div className="empty-state" data-testid="templates-empty">
          <p>
            <Trans ns="settings" i18nKey="templates.empty" components={{ strong: <strong /> }} />
          </p>
          {canUpdate && (
            <Button variant="primary" onClick={add}>
              {t("templates.addFirst")}
            </Button>
          )}
        </div>
      ) : (
        <DataTable
          label={t("templates.tableLabel")}
          stack
          rows={list}
          rowKey={(template) => template.id}
          rowProps={rowProps}
          columns={columns}
        />
      )}
      {(open?.kind === "create" || open?.kind === "edit") && (
        <TemplateEditorDialog
          workspaceId={workspaceId}
          business={workspace.name}
          agentName={settings.data?.workspace.agentName ?? null}
          {...(open.kind === "edit" ? { template: open.template } : {})}
          {...(opening !== undefined && (open.kind === "create" || opening.id !== open.template.id)
            ? { openingTemplateName: opening.name }
            : {})}
          onClose={() => setOpen(undefined)}
          onSaved={(saved, created) => {
            setOpen(undefined);
            toast(created ? t("templates.added", { name: saved.name }) : t("templates.saved", { name: saved.name }));
            // The opening message moves between templates: read the list again for the badges.
            void templates.refetch().catch(() => undefined);
          }}
        />
      )}
      {open?.kind === "delete" && (
        <ConfirmDialog
          title={t("templates.deleteTitle", { name: open.template.name })}
          confirmLabel={t("templates.deleteConfirm")}
          danger
          onClose={() => setOpen(undefined)}
          onConfirm={async () => {
            await remove({ variables: { workspaceId, id: open.template.id } });
            setOpen(undefined);
            toast(t("templates.deleted", { name: open.template.name }));
            void templates.refetch().catch(() => undefined);
          }}
        >
          <p>{open.template.useForOpening ? t("templates.deleteBodyOpening") : t("templates.deleteBody")}</p>
        </ConfirmDialog>
      )}
    </>
  );
}

/** The settings page's entry for this page (WhatsApp workspaces only). */
export function WhatsAppTemplatesLink({ slug }: { slug: string }) {
  const { t } = useTranslation("settings");
  return (
    <SettingsSection id="whatsapp-templates" title={t("templates.title")}>
      <p className="muted">{t("templates.linkDescription")}</p>
      <Link to={`/w/${slug}/settings/whatsapp-templates`}>{t("templates.manage")}</Link>
    </SettingsSection>
  );
}
