/**
 * Settings → Integrations (SPEC I1, W11): one card per provider this workspace's channel can
 * use. A saved card shows its values (secrets masked by the API, never sent to the browser),
 * and offers edit, test connection (a real call to the provider) and remove.
 */
import { useMutation, useQuery } from "@apollo/client/react";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";

import { type IntegrationFieldsFragment as IntegrationFields, type IntegrationProvider } from "../../gql/graphql.ts";
import { describeError } from "../../platform/errors.ts";
import { ErrorBanner } from "../../platform/form-controls.tsx";
import { formatTime } from "../../platform/format.ts";
import { trimmed, useSchemaForm } from "../../platform/forms.ts";
import { LoadError } from "../../platform/load-error.tsx";
import { Button, ConfirmDialog, FormActions, TextField } from "../../platform/ui/index.ts";
import { WhyCantI } from "../access/why-cant-i.tsx";
import { SettingsSection } from "../settings/section.tsx";
import {
  IntegrationsDocument,
  RemoveIntegrationDocument,
  SetIntegrationDocument,
  TestIntegrationDocument,
} from "./operations.ts";
import {
  buildInput,
  cardFieldPaths,
  cardSchema,
  initialValues,
  PROVIDER_CARDS,
  type CardForm,
  type ProviderCardSpec,
} from "./providers.ts";

type Notice = { readonly tone: "success" | "error"; readonly text: string } | undefined;

function CardForm({
  workspaceId,
  spec,
  card,
  onDone,
  onCancel,
}: {
  workspaceId: string;
  spec: ProviderCardSpec;
  card: IntegrationFields;
  onDone: (message: string) => void;
  onCancel: (() => void) | undefined;
}) {
  const { t } = useTranslation("integrations");
  // Each field's path is the API's key for it (`twilio.accountSid`): its errors land beside it.
  const schema = useMemo(() => cardSchema(spec, card.configured), [spec, card.configured]);
  const form = useSchemaForm(schema, { [spec.inputKey]: initialValues(spec, card.fields) });
  const paths = cardFieldPaths(spec);
  const [save, { loading }] = useMutation(SetIntegrationDocument, {
    refetchQueries: ["Integrations", "WorkspaceSettings"],
    awaitRefetchQueries: true,
  });

  const onSubmit = async (values: CardForm) => {
    form.clearServerError();
    const built = buildInput(spec, values[spec.inputKey] ?? {}, card.configured);
    // The schema has refused these already; kept so that nothing unchecked is ever sent.
    if (built.problems !== undefined) return;
    try {
      await save({ variables: { workspaceId, input: built.input } });
      onDone(t("card.saved", { title: t(spec.title) }));
    } catch (caught) {
      form.failed(describeError(caught), paths);
    }
  };

  return (
    <form
      className="form"
      onSubmit={(event) => void form.handleSubmit(onSubmit)(event)}
      noValidate
      aria-label={t("card.credentials", { title: t(spec.title) })}
    >
      <ErrorBanner error={form.serverError} fieldsShown={paths} />
      {spec.fields.map((field) => {
        const stored = card.fields.find((candidate) => candidate.name === field.name);
        const hint =
          field.secret && card.configured
            ? t("card.storedSecret", { value: stored?.value ?? "••••••••" })
            : field.hint === undefined
              ? undefined
              : t(field.hint);
        const path = `${spec.inputKey}.${field.name}`;
        // A string record's error type also reads as a nested one: take the message only when it is one.
        const message: unknown = form.getFieldState(path, form.formState).error?.message;
        return (
          <TextField
            key={field.name}
            label={t(field.label)}
            hint={hint}
            error={typeof message === "string" ? message : undefined}
            type={field.secret ? "password" : "text"}
            inputMode={field.numeric !== undefined ? "numeric" : undefined}
            autoComplete={field.secret ? "new-password" : "off"}
            spellCheck={false}
            {...form.register(path, { setValueAs: trimmed })}
          />
        );
      })}
      <FormActions
        submitLabel={card.configured ? t("card.saveChanges") : t("card.connect")}
        pending={loading}
        pendingLabel={t("card.saving")}
        onCancel={onCancel}
      />
    </form>
  );
}

function IntegrationCard({
  workspaceId,
  card,
  canManage,
}: {
  workspaceId: string;
  card: IntegrationFields;
  canManage: boolean;
}) {
  const { t } = useTranslation("integrations");
  const spec = PROVIDER_CARDS[card.provider];
  const title = t(spec.title);
  const [editing, setEditing] = useState(false);
  const [removing, setRemoving] = useState(false);
  const [notice, setNotice] = useState<Notice>();
  const [test, testState] = useMutation(TestIntegrationDocument);
  const [remove] = useMutation(RemoveIntegrationDocument, {
    refetchQueries: ["Integrations", "WorkspaceSettings"],
    awaitRefetchQueries: true,
  });

  const runTest = async () => {
    setNotice(undefined);
    try {
      const result = await test({ variables: { workspaceId, provider: card.provider } });
      const answer = result.data?.testIntegration;
      if (answer !== undefined) setNotice({ tone: answer.ok ? "success" : "error", text: answer.message });
    } catch (caught) {
      setNotice({ tone: "error", text: describeError(caught).message });
    }
  };

  const showForm = canManage && (editing || !card.configured);
  return (
    <li
      className="card integration"
      data-testid={`integration-${card.provider}`}
      aria-labelledby={`integration-${card.provider}-title`}
    >
      <div className="integration__head">
        <h3 id={`integration-${card.provider}-title`} className="integration__title">
          {title}
        </h3>
        <span className={card.configured ? "badge badge--ok" : "badge badge--muted"} data-testid="integration-state">
          {card.configured ? t("card.connected") : t("card.notConnected")}
        </span>
      </div>
      <p className="muted">{t(spec.purpose)}</p>
      {notice !== undefined && (
        <div
          className={notice.tone === "success" ? "banner banner--success" : "banner banner--error"}
          role={notice.tone === "success" ? "status" : "alert"}
        >
          {notice.text}
        </div>
      )}
      {showForm ? (
        <CardForm
          workspaceId={workspaceId}
          spec={spec}
          card={card}
          onDone={(message) => {
            setEditing(false);
            setNotice({ tone: "success", text: message });
          }}
          onCancel={card.configured ? () => setEditing(false) : undefined}
        />
      ) : card.configured ? (
        <>
          <dl className="integration__fields">
            {spec.fields.map((field) => (
              <div key={field.name} className="integration__field">
                <dt>{t(field.label)}</dt>
                <dd>
                  <code>{card.fields.find((candidate) => candidate.name === field.name)?.value ?? "—"}</code>
                </dd>
              </div>
            ))}
          </dl>
          {card.updatedAt != null && (
            <p className="muted small">{t("card.lastChanged", { time: formatTime(card.updatedAt) })}</p>
          )}
          {canManage && (
            <div className="form__actions">
              <Button onClick={() => void runTest()} disabled={testState.loading}>
                {testState.loading ? t("card.testing") : t("card.test")}
              </Button>
              <Button
                onClick={() => {
                  setNotice(undefined);
                  setEditing(true);
                }}
              >
                {t("card.edit")}
              </Button>
              <Button variant="danger" onClick={() => setRemoving(true)}>
                {t("card.remove")}
              </Button>
            </div>
          )}
        </>
      ) : (
        <p className="muted">{t("card.askToConnect")}</p>
      )}
      {removing && (
        <ConfirmDialog
          title={t("card.removeTitle", { title })}
          confirmLabel={t("card.remove")}
          danger
          onClose={() => setRemoving(false)}
          onConfirm={async () => {
            await remove({ variables: { workspaceId, provider: card.provider } });
            setRemoving(false);
            setNotice({ tone: "success", text: t("card.removed", { title }) });
          }}
        >
          <p>{t("card.removeBody", { title })}</p>
        </ConfirmDialog>
      )}
    </li>
  );
}

const ORDER: readonly IntegrationProvider[] = ["TWILIO", "VAPI", "OPENAI", "CALCOM"];
/** The CASL subject "Why can't I?" asks about. */
const SUBJECT = "Integration";

export function IntegrationsSection({ workspaceId, canManage }: { workspaceId: string; canManage: boolean }) {
  const { t } = useTranslation("integrations");
  const { data, error, refetch } = useQuery(IntegrationsDocument, { variables: { workspaceId } });
  const cards: readonly IntegrationFields[] = data?.integrations ?? [];
  const sorted = [...cards].sort((a, b) => ORDER.indexOf(a.provider) - ORDER.indexOf(b.provider));
  return (
    <SettingsSection
      id="integrations"
      title={t("section.title")}
      description={<p className="muted">{t("section.description")}</p>}
    >
      {!canManage && (
        <WhyCantI workspaceId={workspaceId} action="update" subject={SUBJECT} label={t("section.whyCant")} />
      )}
      {data === undefined ? (
        error !== undefined ? (
          <LoadError error={error} onRetry={refetch} small />
        ) : (
          <p className="page-status">{t("section.loading")}</p>
        )
      ) : (
        <ul className="card-list integrations">
          {sorted.map((card) => (
            <IntegrationCard key={card.provider} workspaceId={workspaceId} card={card} canManage={canManage} />
          ))}
        </ul>
      )}
    </SettingsSection>
  );
}
