/**
 * /w/:slug/settings/whatsapp-templates (issue 56): the workspace's approved WhatsApp templates.
 * WhatsApp lets a business send free text only within 24 hours of the contact's last message;
 * everything else — the agent's opening message to a new lead, campaigns to people who have not
 * written, a reply after the window closed — must be a template approved in Twilio.
 */
import { useMutation, useQuery } from "@apollo/client/react";
import { useState } from "react";
import { Link } from "react-router";
import { useAbility } from "../../platform/ability.tsx";
import { LoadError } from "../../platform/load-error.tsx";
import { ConfirmDialog, DataTable, RowActions, SkeletonList, toast } from "../../platform/ui/index.ts";
import { WhyCantI } from "../access/why-cant-i.tsx";
import { type CurrentWorkspace } from "../workspaces/workspace-shell.tsx";
import { WorkspaceSettingsDocument } from "./operations.ts";
import { SettingsSection } from "./section.tsx";
import { TemplateEditorDialog } from "./template-editor-dialog.tsx";
import { type MessageTemplate, variablesSummary } from "./template-form.ts";
import { DeleteMessageTemplateDocument, MessageTemplatesDocument } from "./template-operations.ts";
import "./whatsapp-templates.css";

type Open = { kind: "create" } | { kind: "edit"; template: MessageTemplate } | { kind: "delete"; template: MessageTemplate };

/** Why templates exist, said once at the top of the page (and in its empty state). */
export function TemplatesExplainer() {
  return (
    <p className="muted" data-testid="templates-explainer">
      WhatsApp allows free text only within 24 hours of the contact&apos;s last message. The agent&apos;s opening message, campaigns to people who have not written, and
      replies after the 24 hours must be a template WhatsApp approved: create it in Twilio&apos;s Content Template Builder, then add it here with its Content SID.
    </p>
  );
}

export function WhatsAppTemplatesPage({ workspace }: { workspace: CurrentWorkspace }) {
  const ability = useAbility();
  const workspaceId = workspace.id;
  const canUpdate = ability.can("update", "Workspace");
  const templates = useQuery(MessageTemplatesDocument, { variables: { workspaceId }, fetchPolicy: "cache-and-network" });
  const settings = useQuery(WorkspaceSettingsDocument, { variables: { slug: workspace.slug } });
  const [remove] = useMutation(DeleteMessageTemplateDocument);
  const [open, setOpen] = useState<Open>();
  const back = (
    <p>
      <Link to={`/w/${workspace.slug}/settings`}>← Settings</Link>
    </p>
  );

  if (workspace.channel !== "WHATSAPP") {
    return (
      <>
        {back}
        <p className="empty-state">This workspace answers by phone: WhatsApp templates are for WhatsApp workspaces only.</p>
      </>
    );
  }

  const list = templates.data?.messageTemplates;
  const opening = list?.find((t) => t.useForOpening);
  const add = () => setOpen({ kind: "create" });
  return (
    <>
      {back}
      <TemplatesExplainer />
      {list !== undefined && list.length > 0 && opening === undefined && (
        <p className="banner banner--warning" role="status" data-testid="no-opening-template">
          No template is chosen for the agent&apos;s opening message: new leads from your form get no first message until one is. Edit a template and switch on “Use for the agent&apos;s opening message”.
        </p>
      )}
      {canUpdate
        ? list !== undefined &&
          list.length > 0 && (
            <div className="toolbar">
              <button type="button" className="button button--primary" onClick={add}>
                Add template
              </button>
            </div>
          )
        : <WhyCantI workspaceId={workspaceId} action="update" subject="Workspace" label="Why can't I change templates?" />}
      {list === undefined ? (
        templates.error !== undefined ? (
          <LoadError error={templates.error} onRetry={templates.refetch} />
        ) : (
          <SkeletonList label="Loading templates…" rows={2} />
        )
      ) : list.length === 0 ? (
        <div className="empty-state" data-testid="templates-empty">
          <p>
            <strong>No templates yet.</strong> Until there is one for the opening message, the agent cannot write first to new leads, and campaigns reach only contacts who wrote in the last 24 hours.
          </p>
          {canUpdate && (
            <button type="button" className="button button--primary" onClick={add}>
              Add the first template
            </button>
          )}
        </div>
      ) : (
        <DataTable
          label="WhatsApp templates"
          stack
          rows={list}
          rowKey={(t) => t.id}
          rowProps={(t) => ({ "data-testid": "message-template", "data-template-name": t.name })}
          columns={[
            {
              id: "name",
              header: "Template",
              cell: (t) => (
                <>
                  <strong>{t.name}</strong>
                  {t.useForOpening && <span className="badge badge--ok">Opening message</span>}
                  <div className="muted small">
                    <code>{t.contentSid}</code>
                  </div>
                </>
              ),
            },
            { id: "body", header: "Text", cell: (t) => <span className="template-list__body">{t.body}</span> },
            { id: "variables", header: "Variables", cell: (t) => (t.variables.length === 0 ? <span className="muted">None</span> : variablesSummary(t.variables)) },
            ...(canUpdate
              ? [
                  {
                    id: "actions",
                    header: "Actions",
                    headerHidden: true,
                    cell: (t: MessageTemplate) => (
                      <RowActions
                        name={t.name}
                        actions={[
                          { label: "Edit", onSelect: () => setOpen({ kind: "edit", template: t }) },
                          { label: "Delete", danger: true, onSelect: () => setOpen({ kind: "delete", template: t }) },
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
        <TemplateEditorDialog
          workspaceId={workspaceId}
          business={workspace.name}
          agentName={settings.data?.workspace.agentName ?? null}
          {...(open.kind === "edit" ? { template: open.template } : {})}
          {...(opening !== undefined && (open.kind === "create" || opening.id !== open.template.id) ? { openingTemplateName: opening.name } : {})}
          onClose={() => setOpen(undefined)}
          onSaved={(t, created) => {
            setOpen(undefined);
            toast(created ? `Added “${t.name}”.` : `Saved “${t.name}”.`);
            // The opening message moves between templates: read the list again for the badges.
            void templates.refetch().catch(() => undefined);
          }}
        />
      )}
      {open?.kind === "delete" && (
        <ConfirmDialog
          title={`Delete “${open.template.name}”?`}
          confirmLabel="Delete template"
          danger
          onClose={() => setOpen(undefined)}
          onConfirm={async () => {
            await remove({ variables: { workspaceId, id: open.template.id } });
            setOpen(undefined);
            toast(`Deleted “${open.template.name}”.`);
            void templates.refetch().catch(() => undefined);
          }}
        >
          <p>
            {open.template.useForOpening
              ? "It is the agent's opening message: until another template is chosen, new leads get no first message."
              : "Nothing sends it any more. Messages already sent with it stay in their conversations."}{" "}
            A template a campaign uses cannot be deleted.
          </p>
        </ConfirmDialog>
      )}
    </>
  );
}

/** The settings page's entry for this page (WhatsApp workspaces only). */
export function WhatsAppTemplatesLink({ slug }: { slug: string }) {
  return (
    <SettingsSection id="whatsapp-templates" title="WhatsApp templates">
      <p className="muted">Approved templates for the agent&apos;s opening message, campaigns, and replies after WhatsApp&apos;s 24-hour window.</p>
      <Link to={`/w/${slug}/settings/whatsapp-templates`}>Manage WhatsApp templates</Link>
    </SettingsSection>
  );
}
