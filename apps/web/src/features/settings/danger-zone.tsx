import { useApolloClient, useMutation } from "@apollo/client/react";
import { useState } from "react";
import { useNavigate } from "react-router";
import { type WorkspaceSettingsFieldsFragment } from "../../gql/graphql.ts";
import { ConfirmDialog } from "../../platform/ui/index.ts";
import { MeDocument } from "../../platform/session.tsx";
import { DeleteWorkspaceDocument } from "./operations.ts";
import { SettingsSection } from "./section.tsx";

/** Where the workspace list says which workspace was just deleted. */
export interface DeletedWorkspaceState {
  readonly deletedWorkspace: string;
}

/** SPEC W9: owner only (the page renders it only with `delete Workspace`); typed slug confirmation. */
export function DangerZone({ workspace }: { workspace: WorkspaceSettingsFieldsFragment }) {
  const client = useApolloClient();
  const navigate = useNavigate();
  const [confirming, setConfirming] = useState(false);
  const [deleteWorkspace] = useMutation(DeleteWorkspaceDocument);

  const onConfirm = async () => {
    await deleteWorkspace({ variables: { id: workspace.id, confirmSlug: workspace.slug } });
    // The switcher and the list come from `me`: refresh it before leaving, then forget the workspace.
    await client.refetchQueries({ include: [MeDocument] });
    const state: DeletedWorkspaceState = { deletedWorkspace: workspace.name };
    await navigate("/", { replace: true, state });
    client.cache.evict({ id: client.cache.identify({ __typename: "Workspace", id: workspace.id }) });
    client.cache.gc();
  };

  return (
    <SettingsSection id="danger-zone" title="Danger zone" danger>
      <p>
        Deleting the workspace removes its leads, transcripts, credentials, API keys, invitations and members at once.
        It cannot be undone; the slug <code>{workspace.slug}</code> becomes free for anyone.
      </p>
      <button type="button" className="button button--danger" onClick={() => setConfirming(true)}>
        Delete workspace
      </button>
      {confirming && (
        <ConfirmDialog
          title={`Delete ${workspace.name}?`}
          confirmLabel="Delete this workspace"
          danger
          typeToConfirm={{ label: `Type ${workspace.slug} to confirm`, text: workspace.slug }}
          onConfirm={onConfirm}
          onClose={() => setConfirming(false)}
        >
          <p>
            Everything in <strong>{workspace.name}</strong> is deleted permanently, for every member. A record of the
            deletion stays in the platform audit log.
          </p>
        </ConfirmDialog>
      )}
    </SettingsSection>
  );
}
