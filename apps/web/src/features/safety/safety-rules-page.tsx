/**
 * /w/:slug/safety (issue 47): the workspace's safety rules — words, phrases or a pattern
 * checked on inbound messages, the agent's replies and call transcripts — and what each does when
 * it matches (flag, hand over, block). Rules start blank or from a template the product ships.
 */
import { useMutation, useQuery } from "@apollo/client/react";
import { useState } from "react";
import { Trans, useTranslation } from "react-i18next";

import { type SafetyScope } from "@atrium/validation";

import { useAbility } from "../../platform/ability.tsx";
import { describeError } from "../../platform/errors.ts";
import { LoadError } from "../../platform/load-error.tsx";
import {
  Button,
  ConfirmDialog,
  DataTable,
  RowActions,
  SkeletonList,
  Switch,
  toast,
  TruncatedText,
  type Column,
} from "../../platform/ui/index.ts";
import { WhyCantI } from "../access/why-cant-i.tsx";
import { type CurrentWorkspace } from "../workspaces/workspace-shell.tsx";
import {
  DeleteSafetyRuleDocument,
  SafetyRulesDocument,
  SafetyRuleTemplatesDocument,
  UpdateSafetyRuleDocument,
} from "./operations.ts";
import { RuleEditorDialog } from "./rule-editor-dialog.tsx";
import { phrasesPreview, toggledInput, type SafetyRule, type SafetyTemplate } from "./rule-form.ts";

import "./safety.css";

type Open =
  | { kind: "create"; template?: SafetyTemplate }
  | { kind: "edit"; rule: SafetyRule }
  | { kind: "delete"; rule: SafetyRule };

/** The CASL subject, the table's saved-layout key and each row's test attributes: names, not words. */
const RULE_SUBJECT = "SafetyRule";
const TABLE_KEY = "safety-rules";
const rowProps = (rule: SafetyRule) => ({ "data-testid": "safety-rule", "data-rule-name": rule.name });

const ACTION_BADGE = { FLAG: "badge", HAND_OVER: "badge badge--ok", BLOCK: "badge badge--warning" } as const;

/** "Inbound, Calls": a rule's scopes in words, as a list in the current language. */
function useScopeList(): (scopes: readonly SafetyScope[]) => string {
  const { t, i18n } = useTranslation("safety");
  return (scopes) =>
    new Intl.ListFormat(i18n.language, { style: "short", type: "unit" }).format(
      scopes.map((scope) => t(`scopeShort.${scope}`)),
    );
}

export function SafetyRulesPage({ workspace }: { workspace: CurrentWorkspace }) {
  const { t } = useTranslation("safety");
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
  const scopeList = useScopeList();

  const toggle = async (rule: SafetyRule, enabled: boolean) => {
    setProblem(undefined);
    setToggling(rule.id);
    try {
      await update({ variables: { workspaceId, id: rule.id, input: toggledInput(rule, enabled) } });
      toast(enabled ? t("page.toggledOn", { name: rule.name }) : t("page.toggledOff", { name: rule.name }));
    } catch (caught) {
      const message = describeError(caught).message;
      setProblem(
        enabled
          ? t("page.switchOnFailed", { name: rule.name, message })
          : t("page.switchOffFailed", { name: rule.name, message }),
      );
    } finally {
      setToggling(undefined);
    }
  };

  const list = rules.data?.safetyRules;
  const columns: Column<SafetyRule>[] = [
    {
      id: "name",
      header: t("page.columns.rule"),
      sortValue: (rule) => rule.name,
      cell: (rule) => (
        <>
          <strong>{rule.name}</strong>
          {rule.template !== null && (
            <div className="muted small">
              {t("page.fromTemplate", {
                name: templateList.find((option) => option.key === rule.template)?.name ?? rule.template,
              })}
            </div>
          )}
        </>
      ),
    },
    {
      id: "action",
      header: t("page.columns.action"),
      sortValue: (rule) => t(`actions.${rule.action}.label`),
      cell: (rule) => <span className={ACTION_BADGE[rule.action]}>{t(`actions.${rule.action}.label`)}</span>,
    },
    { id: "scope", header: t("page.columns.scope"), cell: (rule) => scopeList(rule.appliesTo) },
    {
      id: "matches",
      header: t("page.columns.matches"),
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
      header: t("page.columns.enabled"),
      className: "table__cell--word",
      sortValue: (rule) => (rule.enabled ? 0 : 1),
      cell: (rule) => (
        <Switch
          checked={rule.enabled}
          disabled={!canUpdate || toggling === rule.id}
          onCheckedChange={(enabled) => void toggle(rule, enabled)}
        >
          <span className="visually-hidden">{t("page.enabledLabel", { name: rule.name })}</span>
          <span aria-hidden="true">{rule.enabled ? t("page.on") : t("page.off")}</span>
        </Switch>
      ),
    },
    ...(canUpdate || canDelete
      ? [
          {
            id: "actions",
            header: t("page.columns.actions"),
            headerHidden: true,
            cell: (rule: SafetyRule) => (
              <RowActions
                name={rule.name}
                actions={[
                  canUpdate && { label: t("page.edit"), onSelect: () => setOpen({ kind: "edit", rule }) },
                  canDelete && {
                    label: t("page.delete"),
                    danger: true,
                    onSelect: () => setOpen({ kind: "delete", rule }),
                  },
                ]}
              />
            ),
          },
        ]
      : []),
  ];
  return (
    <>
      <p className="muted">{t("page.intro")}</p>
      {canCreate ? (
        list !== undefined &&
        list.length > 0 && (
          <div className="toolbar">
            <Button variant="primary" onClick={() => setOpen({ kind: "create" })}>
              {t("page.addRule")}
            </Button>
          </div>
        )
      ) : (
        <WhyCantI workspaceId={workspaceId} action="create" subject={RULE_SUBJECT} label={t("page.whyCantAdd")} />
      )}
      {!canUpdate && list !== undefined && list.length > 0 && (
        <WhyCantI workspaceId={workspaceId} action="update" subject={RULE_SUBJECT} label={t("page.whyCantChange")} />
      )}
      {problem !== undefined && (
        <p className="banner banner--error" role="alert">
          {problem}
        </p>
      )}
      {list === undefined ? (
        rules.error !== undefined ? (
          <LoadError error={rules.error} onRetry={rules.refetch} />
        ) : (
          <SkeletonList label={t("page.loading")} rows={3} />
        )
      ) : list.length === 0 ? (
        <EmptyRules
          templates={templateList}
          loading={templates.loading}
          canCreate={canCreate}
          onBlank={() => setOpen({ kind: "create" })}
          onTemplate={(template) => setOpen({ kind: "create", template })}
        />
      ) : (
        <DataTable
          label={t("page.tableLabel")}
          storageKey={TABLE_KEY}
          rows={list}
          rowKey={(rule) => rule.id}
          rowProps={rowProps}
          columns={columns}
        />
      )}
      {(open?.kind === "create" || open?.kind === "edit") && (
        <RuleEditorDialog
          workspaceId={workspaceId}
          {...(open.kind === "edit"
            ? { rule: open.rule }
            : open.template !== undefined
              ? { template: open.template }
              : {})}
          templates={templateList}
          onClose={() => setOpen(undefined)}
          onSaved={(rule, created) => {
            setOpen(undefined);
            toast(created ? t("page.added", { name: rule.name }) : t("page.saved", { name: rule.name }));
            if (created) void rules.refetch().catch(() => undefined);
          }}
        />
      )}
      {open?.kind === "delete" && (
        <ConfirmDialog
          title={t("deleteDialog.title", { name: open.rule.name })}
          confirmLabel={t("deleteDialog.confirm")}
          danger
          onClose={() => setOpen(undefined)}
          onConfirm={async () => {
            await remove({ variables: { workspaceId, id: open.rule.id } });
            setOpen(undefined);
            toast(t("deleteDialog.deleted", { name: open.rule.name }));
            void rules.refetch().catch(() => undefined);
          }}
        >
          <p>{t("deleteDialog.body")}</p>
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
  const { t } = useTranslation("safety");
  const scopeList = useScopeList();
  return (
    <div className="empty-state safety-empty" data-testid="safety-rules-empty">
      <p>
        <Trans
          ns="safety"
          i18nKey={canCreate ? "empty.introCanCreate" : "empty.intro"}
          components={{ strong: <strong /> }}
        />
      </p>
      {loading && templates.length === 0 ? (
        <SkeletonList label={t("empty.loadingTemplates")} rows={3} />
      ) : (
        <ul className="rule-templates__list rule-templates__list--page" aria-label={t("empty.templatesLabel")}>
          {templates.map((template) => (
            <li key={template.key} className="card rule-template-card">
              <div className="card__title">{template.name}</div>
              <p className="rule-template-card__description">{template.description}</p>
              <p className="card__meta">
                <span className={ACTION_BADGE[template.action]}>{t(`actions.${template.action}.label`)}</span>
                <span>{scopeList(template.appliesTo)}</span>
              </p>
              {canCreate && (
                <div className="card__actions">
                  <Button size="small" onClick={() => onTemplate(template)}>
                    <Trans
                      ns="safety"
                      i18nKey="empty.useTemplate"
                      values={{ name: template.name }}
                      components={{ hidden: <span className="visually-hidden" /> }}
                    />
                  </Button>
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
      {canCreate && (
        <div className="toolbar">
          <Button onClick={onBlank}>{t("empty.blank")}</Button>
        </div>
      )}
    </div>
  );
}
