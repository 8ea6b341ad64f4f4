/**
 * Settings → Integrations (SPEC I1, W11): one card per provider this workspace's channel can
 * use. A saved card shows its values (secrets masked by the API, never sent to the browser),
 * and offers edit, test connection (a real call to the provider) and remove.
 */
import { WhyCantI } from "../access/why-cant-i.tsx";
import { useMutation, useQuery } from "@apollo/client/react";
import { type FormEvent, useState } from "react";
import { type IntegrationFieldsFragment as IntegrationFields, type IntegrationProvider } from "../../gql/graphql.ts";
import { ConfirmDialog } from "../../platform/dialog.tsx";
import { type UserFacingError, describeError } from "../../platform/errors.ts";
import { ErrorBanner, Field } from "../../platform/form-controls.tsx";
import { formatTime } from "../../platform/format.ts";
import { LoadError } from "../../platform/load-error.tsx";
import { SettingsSection, inputProblem } from "../settings/section.tsx";
import {
  IntegrationsDocument,
  RemoveIntegrationDocument,
  SetIntegrationDocument,
  TestIntegrationDocument,
} from "./operations.ts";
import { PROVIDER_CARDS, type ProviderCardSpec, buildInput, initialValues } from "./providers.ts";

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
  const [values, setValues] = useState<Record<string, string>>(() => initialValues(spec, card.fields));
  const [error, setError] = useState<UserFacingError>();
  const [save, { loading }] = useMutation(SetIntegrationDocument, { refetchQueries: ["Integrations", "WorkspaceSettings"], awaitRefetchQueries: true });
  const fieldErrors = error?.fields ?? {};

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setError(undefined);
    const built = buildInput(spec, values, card.configured);
    if (built.problems !== undefined) {
      setError(inputProblem(built.problems));
      return;
    }
    try {
      await save({ variables: { workspaceId, input: built.input } });
      onDone(`Saved the ${spec.title} card.`);
    } catch (caught) {
      setError(describeError(caught));
    }
  };

  return (
    <form className="form" onSubmit={(event) => void onSubmit(event)} noValidate aria-label={`${spec.title} credentials`}>
      <ErrorBanner error={error} fieldsShown={spec.fields.map((field) => `${spec.inputKey}.${field.name}`)} />
      {spec.fields.map((field) => {
        const stored = card.fields.find((candidate) => candidate.name === field.name);
        const hint = field.secret && card.configured ? `Stored as ${stored?.value ?? "••••••••"}. Leave empty to keep it.` : field.hint;
        return (
          <Field key={field.name} label={field.label} hint={hint} error={fieldErrors[`${spec.inputKey}.${field.name}`]}>
            {(control) => (
              <input
                {...control}
                name={field.name}
                type={field.secret ? "password" : "text"}
                inputMode={field.numeric === true ? "numeric" : undefined}
                autoComplete={field.secret ? "new-password" : "off"}
                spellCheck={false}
                value={values[field.name] ?? ""}
                onChange={(event) => setValues((previous) => ({ ...previous, [field.name]: event.target.value }))}
              />
            )}
          </Field>
        );
      })}
      <div className="form__actions">
        <button type="submit" className="button button--primary" disabled={loading}>
          {loading ? "Saving…" : card.configured ? "Save changes" : "Connect"}
        </button>
        {onCancel !== undefined && (
          <button type="button" className="button" onClick={onCancel}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}

function IntegrationCard({ workspaceId, card, canManage }: { workspaceId: string; card: IntegrationFields; canManage: boolean }) {
  const spec = PROVIDER_CARDS[card.provider];
  const [editing, setEditing] = useState(false);
  const [removing, setRemoving] = useState(false);
  const [notice, setNotice] = useState<Notice>();
  const [test, testState] = useMutation(TestIntegrationDocument);
  const [remove] = useMutation(RemoveIntegrationDocument, { refetchQueries: ["Integrations", "WorkspaceSettings"], awaitRefetchQueries: true });

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
    <li className="card integration" data-testid={`integration-${card.provider}`} aria-labelledby={`integration-${card.provider}-title`}>
      <div className="integration__head">
        <h3 id={`integration-${card.provider}-title`} className="integration__title">
          {spec.title}
        </h3>
        <span className={card.configured ? "badge badge--ok" : "badge badge--muted"} data-testid="integration-state">
          {card.configured ? "Connected" : "Not connected"}
        </span>
      </div>
      <p className="muted">{spec.purpose}</p>
      {notice !== undefined && (
        <div className={notice.tone === "success" ? "banner banner--success" : "banner banner--error"} role={notice.tone === "success" ? "status" : "alert"}>
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
                <dt>{field.label}</dt>
                <dd>
                  <code>{card.fields.find((candidate) => candidate.name === field.name)?.value ?? "—"}</code>
                </dd>
              </div>
            ))}
          </dl>
          {card.updatedAt != null && <p className="muted small">Last changed {formatTime(card.updatedAt)}</p>}
          {canManage && (
            <div className="form__actions">
              <button type="button" className="button" onClick={() => void runTest()} disabled={testState.loading}>
                {testState.loading ? "Testing…" : "Test connection"}
              </button>
              <button
                type="button"
                className="button"
                onClick={() => {
                  setNotice(undefined);
                  setEditing(true);
                }}
              >
                Edit
              </button>
              <button type="button" className="button button--danger" onClick={() => setRemoving(true)}>
                Remove
              </button>
            </div>
          )}
        </>
      ) : (
        <p className="muted">Not connected. Ask someone with the integration.manage policy to connect it.</p>
      )}
      {removing && (
        <ConfirmDialog
          title={`Remove the ${spec.title} card?`}
          confirmLabel="Remove"
          danger
          onClose={() => setRemoving(false)}
          onConfirm={async () => {
            await remove({ variables: { workspaceId, provider: card.provider } });
            setRemoving(false);
            setNotice({ tone: "success", text: `Removed the ${spec.title} card.` });
          }}
        >
          <p>The stored credentials are deleted. Nothing will be sent through {spec.title} until the card is connected again.</p>
        </ConfirmDialog>
      )}
    </li>
  );
}

const ORDER: readonly IntegrationProvider[] = ["TWILIO", "VAPI", "OPENAI", "CALCOM"];

export function IntegrationsSection({ workspaceId, canManage }: { workspaceId: string; canManage: boolean }) {
  const { data, error, refetch } = useQuery(IntegrationsDocument, { variables: { workspaceId } });
  const cards: readonly IntegrationFields[] = data?.integrations ?? [];
  const sorted = [...cards].sort((a, b) => ORDER.indexOf(a.provider) - ORDER.indexOf(b.provider));
  return (
    <SettingsSection
      id="integrations"
      title="Integrations"
      description={<p className="muted">The providers the agent talks through. Secrets are encrypted at rest and never shown again after saving.</p>}
    >
      {!canManage && <WhyCantI workspaceId={workspaceId} action="update" subject="Integration" label="Why can't I change them?" />}
      {data === undefined ? (
        error !== undefined ? (
          <LoadError error={error} onRetry={refetch} small />
        ) : (
          <p className="page-status">Loading integrations…</p>
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
