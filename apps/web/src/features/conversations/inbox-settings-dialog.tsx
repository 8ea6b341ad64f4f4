/**
 * Inbox settings (issue 47): the viewer's own — available for round-robin assignment, and how
 * notifications reach them by e-mail — and, for members who assign conversations, whether the
 * workspace assigns new ones automatically. Each control saves as it changes.
 */
import { type ApolloCache } from "@apollo/client";
import { useMutation, useQuery } from "@apollo/client/react";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { type EmailNotifications, type InboxSettingsQuery } from "../../gql/graphql.ts";
import { useAbility } from "../../platform/ability.tsx";
import { describeError, type UserFacingError } from "../../platform/errors.ts";
import { LoadError } from "../../platform/load-error.tsx";
import { Button, Dialog, Radio, SkeletonList, Switch } from "../../platform/ui/index.ts";
import { InboxSettingsDocument, SetAutoAssignDocument, UpdateInboxSettingsDocument } from "./operations.ts";

/** The e-mail choices, in order; their words are `inboxSettings.email.<value>` (namespace "conversations"). */
export const EMAIL_CHOICES: readonly EmailNotifications[] = ["OFF", "IMMEDIATE", "DAILY"];

type Settings = InboxSettingsQuery["inboxSettings"];

export function InboxSettingsDialog({ workspaceId, onClose }: { workspaceId: string; onClose: () => void }) {
  const { t } = useTranslation("conversations");
  const ability = useAbility();
  const variables = { workspaceId };
  const { data, error, refetch } = useQuery(InboxSettingsDocument, { variables, fetchPolicy: "cache-and-network" });
  const [status, setStatus] = useState<string>();
  const [failure, setFailure] = useState<UserFacingError>();
  // The settings have no id of their own: a mutation's answer replaces the query's copy.
  const write = (cache: ApolloCache, settings: Settings | undefined) => {
    if (settings !== undefined)
      cache.writeQuery({
        query: InboxSettingsDocument,
        variables,
        data: { __typename: "Query", inboxSettings: settings },
      });
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
    save(
      () =>
        update({
          variables: { workspaceId, input },
          update: (cache, { data: answer }) => write(cache, answer?.updateInboxSettings),
        }),
      saved,
    );

  const settings = data?.inboxSettings;
  return (
    <Dialog title={t("inboxSettings.title")} onClose={onClose} description={t("inboxSettings.description")}>
      {settings === undefined ? (
        error !== undefined ? (
          <LoadError error={error} onRetry={refetch} />
        ) : (
          <SkeletonList rows={3} label={t("inboxSettings.loading")} />
        )
      ) : (
        <div className="form inbox-settings">
          <div className="inbox-settings__item">
            <Switch
              checked={settings.available}
              disabled={busy}
              onCheckedChange={(available) =>
                void saveMine(
                  { available },
                  available ? t("inboxSettings.availableOn") : t("inboxSettings.availableOff"),
                )
              }
            >
              {t("inboxSettings.available")}
            </Switch>
            <p className="field__hint">{t("inboxSettings.availableHint")}</p>
          </div>
          <fieldset className="field">
            <legend>{t("inboxSettings.emailLegend")}</legend>
            <p className="field__hint">{t("inboxSettings.emailHint")}</p>
            {EMAIL_CHOICES.map((choice) => (
              <label key={choice} className="choice">
                <Radio
                  name="email-notifications"
                  value={choice}
                  checked={settings.emailNotifications === choice}
                  disabled={busy}
                  onChange={() =>
                    void saveMine({ emailNotifications: choice }, t(`inboxSettings.email.${choice}.saved`))
                  }
                />
                <span>
                  {t(`inboxSettings.email.${choice}.label`)}{" "}
                  <span className="muted small">— {t(`inboxSettings.email.${choice}.hint`)}</span>
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
                  void save(
                    () =>
                      setAutoAssign({
                        variables: { workspaceId, enabled },
                        update: (cache, { data: answer }) => write(cache, answer?.setAutoAssign),
                      }),
                    enabled ? t("inboxSettings.autoAssignOn") : t("inboxSettings.autoAssignOff"),
                  )
                }
              >
                {t("inboxSettings.autoAssign")}
              </Switch>
              <p className="field__hint">{t("inboxSettings.autoAssignHint")}</p>
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
            <Button onClick={onClose}>{t("inboxSettings.done")}</Button>
          </div>
        </div>
      )}
    </Dialog>
  );
}
