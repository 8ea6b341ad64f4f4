/**
 * /w/:slug/safety (issue 47): the workspace's safety rules — words, phrases or a pattern
 * checked on inbound messages, the agent's replies and call transcripts — and what each does when
 * it matches (flag, hand over, block). Rules start blank or from a template the product ships.
 */
import { useMutation, useQuery } from "@apollo/client/react";
import { useState } from "react";
import { useAbility } from "../../platform/ability.tsx";
import { describeError } from "../../platform/errors.ts";
import { LoadError } from "../../platform/load-error.tsx";
import { ConfirmDialog, DataTable, RowActions, SkeletonList, Switch, TruncatedText, toast } from "../../platform/ui/index.ts";
import { WhyCantI } from "../access/why-cant-i.tsx";
import { type CurrentWorkspace } from "../workspaces/workspace-shell.tsx";
import { DeleteSafetyRuleDocument, SafetyRuleTemplatesDocument, SafetyRulesDocument, UpdateSafetyRuleDocument } from "./operations.ts";
import { RuleEditorDialog } from "./rule-editor-dialog.tsx";
import { ACTION_LABELS, SCOPE_LABELS, type SafetyRule, type SafetyTemplate, phrasesPreview, toggledInput } from "./rule-form.ts";
import "./safety.css";

type Open = { kind: "create"; template?: SafetyTemplate } | { kind: "edit"; rule: SafetyRule } | { kind: "delete"; rule: SafetyRule };

const ACTION_BADGE = { FLAG: "badge", HAND_OVER: "badge badge--ok", BLOCK: "badge badge--warning" } as const;

export function SafetyRulesPage({ workspace }: { workspace: CurrentWorkspace }) {
  const ability = useAbility();
  const workspaceId = workspace.id;
  const canCreate = ability.can("create", "SafetyRule");
  const canUpdate = ability.can("update", "SafetyRule");
  const canDelete = ability.can("delete", "SafetyRule");
  const rules = useQuery(SafetyRulesDocument, { variables: { workspaceId }, fetchPolicy: "cache-and-network" });
  const templates = useQuery(SafetyRuleTemplatesDocument, { variables: { workspaceId } });
  const [update] = useMutation(UpdateSafetyRuleDocument);
  const [remove] = useMutation(DeleteSafetyRuleDocument);
  const [open, setOpen] = useState<Open>();
  const [toggling, setToggling] = useState<string>();
  const [problem, setProblem] = useState<string>();
  const templateList = templates.data?.safetyRuleTemplates ?? [];

  const toggle = async (rule: SafetyRule, enabled: boolean) => {
    setProblem(undefined);
    setToggling(rule.id);
    try {
      await update({ variables: { workspaceId, id: rule.id, input: toggledInput(rule, enabled) } });
      toast(enabled ? `“${rule.name}” is on.` : `“${rule.name}” is off: nothing is checked against it.`);
    } catch (caught) {
      setProblem(`“${rule.name}” could not be switched ${enabled ? "on" : "off"}: ${describeError(caught).message}`);
    } finally {
      setToggling(undefined);
    }
  };

  const list = rules.data?.safetyRules;
  return (
    <>
      <p className="muted">
        Each rule is checked on every inbound message, every reply of the agent before it is sent, and every line of a call transcript it applies to. When several match, the
        strictest acts. Whatever a rule catches lands in the review queue.
      </p>
      {canCreate ? (
        list !== undefined &&
        list.length > 0 && (
          <div className="toolbar">
            <button type="button" className="button button--primary" onClick={() => setOpen({ kind: "create" })}>
              Add rule
            </button>
          </div>
        )
      ) : (
        <WhyCantI workspaceId={workspaceId} action="create" subject="SafetyRule" label="Why can't I add rules?" />
      )}
      {!canUpdate && list !== undefined && list.length > 0 && <WhyCantI workspaceId={workspaceId} action="update" subject="SafetyRule" label="Why can't I change rules?" />}
      {problem !== undefined && (
        <p className="banner banner--error" role="alert">
          {problem}
        </p>
      )}
      {list === undefined ? (
        rules.error !== undefined ? (
          <LoadError error={rules.error} onRetry={rules.refetch} />
        ) : (
          <SkeletonList label="Loading safety rules…" rows={3} />
        )
      ) : list.length === 0 ? (
        <EmptyRules templates={templateList} loading={templates.loading} canCreate={canCreate} onBlank={() => setOpen({ kind: "create" })} onTemplate={(template) => setOpen({ kind: "create", template })} />
      ) : (
        <DataTable
          label="Safety rules"
          storageKey="safety-rules"
          rows={list}
          rowKey={(rule) => rule.id}
          rowProps={(rule) => ({ "data-testid": "safety-rule", "data-rule-name": rule.name })}
          columns={[
            {
              id: "name",
              header: "Rule",
              sortValue: (rule) => rule.name,
              cell: (rule) => (
                <>
                  <strong>{rule.name}</strong>
                  {rule.template !== null && <div className="muted small">From the “{templateList.find((t) => t.key === rule.template)?.name ?? rule.template}” template</div>}
                </>
              ),
            },
            { id: "action", header: "When it matches", sortValue: (rule) => ACTION_LABELS[rule.action], cell: (rule) => <span className={ACTION_BADGE[rule.action]}>{ACTION_LABELS[rule.action]}</span> },
            { id: "scope", header: "Applies to", cell: (rule) => rule.appliesTo.map((scope) => SCOPE_LABELS[scope]).join(", ") },
            {
              id: "matches",
              header: "Matches",
              cell: (rule) => (
                <>
                  {rule.phrases.length > 0 && <span title={rule.phrases.join(", ")}>{phrasesPreview(rule.phrases)}</span>}
                  {rule.pattern !== null && (
                    <code>
                      <TruncatedText text={rule.pattern} />
                    </code>
                  )}
                </>
              ),
            },
            {
              id: "enabled",
              header: "Enabled",
              className: "table__cell--word",
              sortValue: (rule) => (rule.enabled ? 0 : 1),
              cell: (rule) => (
                <Switch checked={rule.enabled} disabled={!canUpdate || toggling === rule.id} onCheckedChange={(enabled) => void toggle(rule, enabled)}>
                  <span className="visually-hidden">{rule.name} enabled</span>
                  <span aria-hidden="true">{rule.enabled ? "On" : "Off"}</span>
                </Switch>
              ),
            },
            ...(canUpdate || canDelete
              ? [
                  {
                    id: "actions",
                    header: "Actions",
                    headerHidden: true,
                    cell: (rule: SafetyRule) => (
                      <RowActions
                        name={rule.name}
                        actions={[canUpdate && { label: "Edit", onSelect: () => setOpen({ kind: "edit", rule }) }, canDelete && { label: "Delete", danger: true, onSelect: () => setOpen({ kind: "delete", rule }) }]}
                      />
                    ),
                  },
                ]
              : []),
          ]}
        />
      )}
      {(open?.kind === "create" || open?.kind === "edit") && (
        <RuleEditorDialog
          workspaceId={workspaceId}
          {...(open.kind === "edit" ? { rule: open.rule } : open.template !== undefined ? { template: open.template } : {})}
          templates={templateList}
          onClose={() => setOpen(undefined)}
          onSaved={(rule, created) => {
            setOpen(undefined);
            toast(created ? `Added “${rule.name}”.` : `Saved “${rule.name}”.`);
            if (created) void rules.refetch().catch(() => undefined);
          }}
        />
      )}
      {open?.kind === "delete" && (
        <ConfirmDialog
          title={`Delete “${open.rule.name}”?`}
          confirmLabel="Delete rule"
          danger
          onClose={() => setOpen(undefined)}
          onConfirm={async () => {
            await remove({ variables: { workspaceId, id: open.rule.id } });
            setOpen(undefined);
            toast(`Deleted “${open.rule.name}”.`);
            void rules.refetch().catch(() => undefined);
          }}
        >
          <p>Nothing is checked against it any more. The review items it filed stay in the queue. To stop it for a while instead, switch it off.</p>
        </ConfirmDialog>
      )}
    </>
  );
}

/** No rule yet: the templates, each one click from a filled-in form, or a blank rule. */
function EmptyRules({
  templates,
  loading,
  canCreate,
  onBlank,
  onTemplate,
}: {
  templates: readonly SafetyTemplate[];
  loading: boolean;
  canCreate: boolean;
  onBlank: () => void;
  onTemplate: (template: SafetyTemplate) => void;
}) {
  return (
    <div className="empty-state safety-empty" data-testid="safety-rules-empty">
      <p>
        <strong>No safety rules yet.</strong> Nothing is flagged, handed over or blocked until there is one.
        {canCreate && " Start from a template below — each fills in the form, to change before saving — or from a blank rule."}
      </p>
      {loading && templates.length === 0 ? (
        <SkeletonList label="Loading templates…" rows={3} />
      ) : (
        <ul className="rule-templates__list rule-templates__list--page" aria-label="Templates">
          {templates.map((t) => (
            <li key={t.key} className="card rule-template-card">
              <div className="card__title">{t.name}</div>
              <p className="rule-template-card__description">{t.description}</p>
              <p className="card__meta">
                <span className={ACTION_BADGE[t.action]}>{ACTION_LABELS[t.action]}</span>
                <span>{t.appliesTo.map((scope) => SCOPE_LABELS[scope]).join(", ")}</span>
              </p>
              {canCreate && (
                <div className="card__actions">
                  <button type="button" className="button button--small" onClick={() => onTemplate(t)}>
                    Use template<span className="visually-hidden"> for {t.name}</span>
                  </button>
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
      {canCreate && (
        <div className="toolbar">
          <button type="button" className="button" onClick={onBlank}>
            Start from a blank rule
          </button>
        </div>
      )}
    </div>
  );
}
