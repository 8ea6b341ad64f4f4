/**
 * Inbox settings (issue 47): the viewer's own — available for round-robin assignment, and how
 * notifications reach them by e-mail — and, for members who assign conversations, whether the
 * workspace assigns new ones automatically. Each control saves as it changes.
 */
import { type ApolloCache } from "@apollo/client";
import { useMutation, useQuery } from "@apollo/client/react";
import { useState } from "react";
import { type EmailNotifications, type InboxSettingsQuery } from "../../gql/graphql.ts";
import { useAbility } from "../../platform/ability.tsx";
import { type UserFacingError, describeError } from "../../platform/errors.ts";
import { LoadError } from "../../platform/load-error.tsx";
import { Dialog, SkeletonList, Switch } from "../../platform/ui/index.ts";
import { InboxSettingsDocument, SetAutoAssignDocument, UpdateInboxSettingsDocument } from "./operations.ts";

export const EMAIL_CHOICES: readonly { readonly value: EmailNotifications; readonly label: string; readonly hint: string }[] = [
  { value: "OFF", label: "Off", hint: "Only in the app (the bell)." },
  { value: "IMMEDIATE", label: "Immediately", hint: "One e-mail per notification." },
  { value: "DAILY", label: "Daily digest", hint: "One e-mail a day at 08:00 UTC with what you missed." },
];

type Settings = InboxSettingsQuery["inboxSettings"];

export function InboxSettingsDialog({ workspaceId, onClose }: { workspaceId: string; onClose: () => void }) {
  const ability = useAbility();
  const variables = { workspaceId };
  const { data, error, refetch } = useQuery(InboxSettingsDocument, { variables, fetchPolicy: "cache-and-network" });
  const [status, setStatus] = useState<string>();
  const [failure, setFailure] = useState<UserFacingError>();
  // The settings have no id of their own: a mutation's answer replaces the query's copy.
  const write = (cache: ApolloCache, settings: Settings | undefined) => {
    if (settings !== undefined) cache.writeQuery({ query: InboxSettingsDocument, variables, data: { __typename: "Query", inboxSettings: settings } });
  };
  const [update, updateState] = useMutation(UpdateInboxSettingsDocument);
  const [setAutoAssign, autoAssignState] = useMutation(SetAutoAssignDocument);
  const busy = updateState.loading || autoAssignState.loading;

  const save = async (run: () => Promise<unknown>, saved: string) => {
    setStatus(undefined);
    setFailure(undefined);
    try {
      await run();
      setStatus(saved);
    } catch (caught) {
      setFailure(describeError(caught));
    }
  };
  const saveMine = (input: { available?: boolean; emailNotifications?: EmailNotifications }, saved: string) =>
    save(() => update({ variables: { workspaceId, input }, update: (cache, { data: answer }) => write(cache, answer?.updateInboxSettings) }), saved);

  const settings = data?.inboxSettings;
  return (
    <Dialog title="Inbox settings" onClose={onClose} description="Saved as you change them.">
      {settings === undefined ? (
        error !== undefined ? (
          <LoadError error={error} onRetry={refetch} />
        ) : (
          <SkeletonList rows={3} label="Loading inbox settings…" />
        )
      ) : (
        <div className="form inbox-settings">
          <div className="inbox-settings__item">
            <Switch checked={settings.available} disabled={busy} onCheckedChange={(available) => void saveMine({ available }, available ? "You're available for assignment." : "You won't be assigned new conversations.")}>
              Available for assignment
            </Switch>
            <p className="field__hint">While on, new conversations can be assigned to you round-robin.</p>
          </div>
          <fieldset className="field">
            <legend>E-mail notifications</legend>
            <p className="field__hint">When you're assigned a conversation, mentioned in a note, or a conversation is escalated.</p>
            {EMAIL_CHOICES.map((choice) => (
              <label key={choice.value} className="choice">
                <input
                  type="radio"
                  name="email-notifications"
                  value={choice.value}
                  checked={settings.emailNotifications === choice.value}
                  disabled={busy}
                  onChange={() => void saveMine({ emailNotifications: choice.value }, `E-mail notifications: ${choice.label.toLowerCase()}.`)}
                />
                <span>
                  {choice.label} <span className="muted small">— {choice.hint}</span>
                </span>
              </label>
            ))}
          </fieldset>
          {ability.can("assign", "Conversation") && (
            <div className="inbox-settings__item inbox-settings__item--workspace">
              <Switch
                checked={settings.autoAssign}
                disabled={busy}
                onCheckedChange={(enabled) =>
                  void save(() => setAutoAssign({ variables: { workspaceId, enabled }, update: (cache, { data: answer }) => write(cache, answer?.setAutoAssign) }), enabled ? "New conversations are assigned automatically." : "New conversations stay unassigned until someone picks them.")
                }
              >
                Assign new conversations automatically (round-robin)
              </Switch>
              <p className="field__hint">For the whole workspace: each new conversation goes to the next available member.</p>
            </div>
          )}
          {failure !== undefined && (
            <div className="banner banner--error" role="alert" data-error-code={failure.code}>
              {failure.message}
            </div>
          )}
          <p role="status" className="inbox-settings__status muted">
            {status}
          </p>
          <div className="form__actions">
            <button type="button" className="button" onClick={onClose}>
              Done
            </button>
          </div>
        </div>
      )}
    </Dialog>
  );
}
