/**
 * Empty lists that offer the next step fitting the workspace's state (issue 48): the inbox says
 * when the channel is not connected and links to its card; once it is, it offers the form.
 * The state is the home's checklist (workspace.settings); a member who cannot read it is told
 * who can do the step instead.
 */
import { useQuery } from "@apollo/client/react";
import { Link } from "react-router";
import { type Channel, type ChecklistItemKey } from "../../gql/graphql.ts";
import { useAbility } from "../../platform/ability.tsx";
import { EmptyState } from "../../platform/ui/index.ts";
import { PublicFormLink } from "../leads/public-form-link.tsx";
import { channelProvider, settingsPath } from "./home-model.ts";
import { WorkspaceSetupDocument } from "./operations.ts";

interface WorkspaceLike {
  readonly id: string;
  readonly slug: string;
  readonly channel: Channel;
}

/** Whether each setup step is done; undefined while loading or when the caller may not read it. */
export function useSetupState(workspace: WorkspaceLike): ((key: ChecklistItemKey) => boolean | undefined) {
  const ability = useAbility();
  const { data } = useQuery(WorkspaceSetupDocument, { variables: { workspaceId: workspace.id }, skip: !ability.can("update", "Workspace"), fetchPolicy: "cache-and-network" });
  const items = data?.workspaceHome.checklist?.items;
  return (key) => items?.find((i) => i.key === key)?.done;
}

export function ConversationsNextStep({ workspace }: { workspace: WorkspaceLike }) {
  const ability = useAbility();
  const done = useSetupState(workspace);
  const provider = channelProvider(workspace.channel);
  const connected = done("CHANNEL_CONNECTED");
  if (connected === false) {
    return (
      <EmptyState
        testId="inbox-empty"
        title={`${provider} is not connected.`}
        actions={
          <Link className="button button--primary" to={settingsPath(workspace.slug, "integrations")}>
            Connect {provider}
          </Link>
        }
      >
        {workspace.channel === "VOICE" ? "Calls reach this inbox once Vapi is connected." : "WhatsApp conversations reach this inbox once Twilio is connected."}
      </EmptyState>
    );
  }
  return (
    <EmptyState testId="inbox-empty" title="No conversations yet." actions={<PublicFormLink slug={workspace.slug} />}>
      {connected === true
        ? `${provider} is connected. Share your lead form: each lead starts a conversation, the AI agent answers, and you can take over from here.`
        : ability.can("read", "Integration")
          ? `A conversation starts when a lead fills in your form or writes to your number.`
          : `A conversation starts when a lead fills in your form; an admin connects ${provider} in Settings.`}
    </EmptyState>
  );
}

export function LeadsNextStep({ workspace }: { workspace: WorkspaceLike }) {
  const ability = useAbility();
  return (
    <EmptyState
      testId="leads-empty"
      title="No leads yet."
      actions={
        <>
          <PublicFormLink slug={workspace.slug} />
          {ability.can("create", "ApiKey") && (
            <Link className="button" to={`/w/${workspace.slug}/api-keys`}>
              Create an API key
            </Link>
          )}
        </>
      }
    >
      Share the public form, or send leads from your own site through the API{ability.can("create", "ApiKey") ? " with an API key" : ""}.
    </EmptyState>
  );
}

export function CampaignsNextStep({ workspace, onCreate }: { workspace: WorkspaceLike; onCreate: (() => void) | undefined }) {
  const ability = useAbility();
  return (
    <EmptyState
      testId="campaigns-empty"
      title="No campaigns yet."
      actions={
        <>
          {onCreate !== undefined && (
            <button type="button" className="button button--primary" onClick={onCreate}>
              Write the first campaign
            </button>
          )}
          {ability.can("create", "Contact") && (
            <Link className="button" to={`/w/${workspace.slug}/contacts`}>
              Import contacts
            </Link>
          )}
        </>
      }
    >
      A campaign sends one message, with each contact&apos;s name filled in, to the contacts you choose or a tag.
    </EmptyState>
  );
}

export function ContactsNextStep({ onImport }: { onImport: (() => void) | undefined }) {
  return (
    <EmptyState
      testId="contacts-empty"
      title="No contacts yet."
      actions={
        onImport !== undefined ? (
          <button type="button" className="button button--primary" onClick={onImport}>
            Import a CSV file
          </button>
        ) : undefined
      }
    >
      {onImport !== undefined ? "Import a CSV file with name, email, phone and tags columns, or add contacts one by one. Leads from your form become contacts too." : "Leads from your form become contacts."}
    </EmptyState>
  );
}
