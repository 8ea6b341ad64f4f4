/**
 * Empty lists that offer the next step fitting the workspace's state (issue 48): the inbox says
 * when the channel is not connected and links to its card; once it is, it offers the form.
 * The state is the home's checklist (workspace.settings); a member who cannot read it is told
 * who can do the step instead.
 */
import { useQuery } from "@apollo/client/react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";

import { type Channel, type ChecklistItemKey } from "../../gql/graphql.ts";
import { useAbility } from "../../platform/ability.tsx";
import { Button, EmptyState } from "../../platform/ui/index.ts";
import { PublicFormLink } from "../leads/public-form-link.tsx";
import { channelProvider, settingsPath } from "./home-model.ts";
import { WorkspaceSetupDocument } from "./operations.ts";

interface WorkspaceLike {
  readonly id: string;
  readonly slug: string;
  readonly channel: Channel;
}

/** Whether each setup step is done; undefined while loading or when the caller may not read it. */
export function useSetupState(workspace: WorkspaceLike): (key: ChecklistItemKey) => boolean | undefined {
  const ability = useAbility();
  const { data } = useQuery(WorkspaceSetupDocument, {
    variables: { workspaceId: workspace.id },
    skip: !ability.can("update", "Workspace"),
    fetchPolicy: "cache-and-network",
  });
  const items = data?.workspaceHome.checklist?.items;
  return (key) => items?.find((i) => i.key === key)?.done;
}

export function ConversationsNextStep({ workspace }: { workspace: WorkspaceLike }) {
  const { t } = useTranslation("home");
  const ability = useAbility();
  const done = useSetupState(workspace);
  const provider = channelProvider(workspace.channel);
  const connected = done("CHANNEL_CONNECTED");
  if (connected === false) {
    return (
      <EmptyState
        testId="inbox-empty"
        title={t("nextSteps.notConnected", { provider })}
        actions={
          <Link className="button button--primary" to={settingsPath(workspace.slug, "integrations")}>
            {t("nextSteps.connect", { provider })}
          </Link>
        }
      >
        {workspace.channel === "VOICE" ? t("nextSteps.voiceReach") : t("nextSteps.whatsappReach")}
      </EmptyState>
    );
  }
  return (
    <EmptyState
      testId="inbox-empty"
      title={t("nextSteps.noConversations")}
      actions={<PublicFormLink slug={workspace.slug} />}
    >
      {connected === true
        ? t("nextSteps.connected", { provider })
        : ability.can("read", "Integration")
          ? t("nextSteps.conversationStarts")
          : t("nextSteps.adminConnects", { provider })}
    </EmptyState>
  );
}

export function LeadsNextStep({ workspace }: { workspace: WorkspaceLike }) {
  const { t } = useTranslation("home");
  const ability = useAbility();
  return (
    <EmptyState
      testId="leads-empty"
      title={t("nextSteps.noLeads")}
      actions={
        <>
          <PublicFormLink slug={workspace.slug} />
          {ability.can("create", "ApiKey") && (
            <Link className="button" to={`/w/${workspace.slug}/api-keys`}>
              {t("nextSteps.createApiKey")}
            </Link>
          )}
        </>
      }
    >
      {ability.can("create", "ApiKey") ? t("nextSteps.leadsHintKey") : t("nextSteps.leadsHint")}
    </EmptyState>
  );
}

export function CampaignsNextStep({
  workspace,
  onCreate,
}: {
  workspace: WorkspaceLike;
  onCreate: (() => void) | undefined;
}) {
  const { t } = useTranslation("home");
  const ability = useAbility();
  return (
    <EmptyState
      testId="campaigns-empty"
      title={t("nextSteps.noCampaigns")}
      actions={
        <>
          {onCreate !== undefined && (
            <Button variant="primary" onClick={onCreate}>
              {t("nextSteps.firstCampaign")}
            </Button>
          )}
          {ability.can("create", "Contact") && (
            <Link className="button" to={`/w/${workspace.slug}/contacts`}>
              {t("nextSteps.importContacts")}
            </Link>
          )}
        </>
      }
    >
      {t("nextSteps.campaignsHint")}
    </EmptyState>
  );
}

export function ContactsNextStep({ onImport }: { onImport: (() => void) | undefined }) {
  const { t } = useTranslation("home");
  return (
    <EmptyState
      testId="contacts-empty"
      title={t("nextSteps.noContacts")}
      actions={
        onImport !== undefined ? (
          <Button variant="primary" onClick={onImport}>
            {t("nextSteps.importCsv")}
          </Button>
        ) : undefined
      }
    >
      {onImport !== undefined ? t("nextSteps.contactsHintImport") : t("nextSteps.contactsHint")}
    </EmptyState>
  );
}
