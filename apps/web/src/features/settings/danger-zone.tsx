import { useApolloClient, useMutation } from "@apollo/client/react";
import { useState } from "react";
import { Trans, useTranslation } from "react-i18next";
import { useNavigate } from "react-router";

import { type WorkspaceSettingsFieldsFragment } from "../../gql/graphql.ts";
import { MeDocument } from "../../platform/session.tsx";
import { Button, ConfirmDialog } from "../../platform/ui/index.ts";
import { DeleteWorkspaceDocument } from "./operations.ts";
import { SettingsSection } from "./section.tsx";

/** Where the workspace list says which workspace was just deleted. */
export interface DeletedWorkspaceState {
  readonly deletedWorkspace: string;
}

/** SPEC W9: owner only (the page renders it only with `delete Workspace`); typed slug confirmation. */
export function DangerZone({ workspace }: { workspace: WorkspaceSettingsFieldsFragment }) {
  const { t } = useTranslation("settings");
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
    <SettingsSection id="danger-zone" title={t("dangerZone.title")} danger>
      <p>
        <Trans ns="settings" i18nKey="dangerZone.description" components={{ slug: <code>{workspace.slug}</code> }} />
      </p>
      <Button variant="danger" onClick={() => setConfirming(true)}>
        {t("dangerZone.delete")}
      </Button>
      {confirming && (
        <ConfirmDialog
          title={t("dangerZone.confirmTitle", { name: workspace.name })}
          confirmLabel={t("dangerZone.confirm")}
          danger
          typeToConfirm={{ label: t("dangerZone.typeToConfirm", { slug: workspace.slug }), text: workspace.slug }}
          onConfirm={onConfirm}
          onClose={() => setConfirming(false)}
        >
          <p>
            <Trans
              ns="settings"
              i18nKey="dangerZone.confirmBody"
              components={{ name: <strong>{workspace.name}</strong> }}
            />
          </p>
        </ConfirmDialog>
      )}
    </SettingsSection>
  );
}
