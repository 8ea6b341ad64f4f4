import { useMutation, useQuery } from "@apollo/client/react";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { type RoleAssignment } from "@atrium/policies";

import { type InvitationsQuery } from "../../gql/graphql.ts";
import { useAbility } from "../../platform/ability.tsx";
import { describeError } from "../../platform/errors.ts";
import { formatTime } from "../../platform/format.ts";
import { ConfirmDialog, DataTable, RowActions, toast, TruncatedText, type Column } from "../../platform/ui/index.ts";
import { canManageMember } from "./grants.ts";
import { InvitationsDocument, ResendInvitationDocument, RevokeInvitationDocument } from "./operations.ts";
import { PolicyList } from "./policy-list.tsx";

type Invitation = InvitationsQuery["invitations"][number];

const INVITATION_STATUSES = ["PENDING", "EXPIRED", "ACCEPTED", "REVOKED"] as const;
const isInvitationStatus = (status: string): status is (typeof INVITATION_STATUSES)[number] =>
  (INVITATION_STATUSES as readonly string[]).includes(status);
/** The table's remembered column choice. */
const INVITATIONS_KEY = "invitations";
const invitationRowProps = (invitation: Invitation) => ({
  "data-testid": "invitation-row",
  "data-email": invitation.email,
});

interface InvitationsSectionProps {
  readonly workspaceId: string;
  readonly grantor: RoleAssignment;
  /** The page's notice: an invitation sent again (with its address, for the dev mailbox link), or cleared. */
  readonly onNotice: (notice: { text: string; email?: string } | undefined) => void;
  /** The page's error banner: why sending again failed, or cleared. */
  readonly onError: (message: string | undefined) => void;
}

/**
 * The members page's pending invitations (SPEC M4), for those who may read them: the list, sending
 * one again, and revoking one (confirmed).
 */
export function InvitationsSection({ workspaceId, grantor, onNotice, onError }: InvitationsSectionProps) {
  const { t } = useTranslation("members");
  const { t: tw } = useTranslation("workspaces");
  const ability = useAbility();
  const [revoking, setRevoking] = useState<Invitation>();
  const invitations = useQuery(InvitationsDocument, { variables: { workspaceId } });
  const refetchInvitations = [{ query: InvitationsDocument, variables: { workspaceId } }];
  const [resendInvitation, resendState] = useMutation(ResendInvitationDocument, {
    refetchQueries: refetchInvitations,
    awaitRefetchQueries: true,
  });
  const [revokeInvitation] = useMutation(RevokeInvitationDocument, {
    refetchQueries: refetchInvitations,
    awaitRefetchQueries: true,
  });
  const statusLabel = (status: string) => (isInvitationStatus(status) ? t(`invitationStatus.${status}`) : status);

  const invitationColumns: Column<Invitation>[] = [
    {
      id: "email",
      header: t("columns.email"),
      sortValue: (invitation) => invitation.email,
      cell: (invitation) => <TruncatedText text={invitation.email} />,
    },
    {
      id: "role",
      header: t("columns.role"),
      className: "table__cell--word",
      sortValue: (invitation) => tw(`roles.${invitation.role}`),
      cell: (invitation) => tw(`roles.${invitation.role}`),
    },
    {
      id: "policies",
      header: t("columns.policies"),
      cell: (invitation) => <PolicyList role={invitation.role} policies={invitation.policies} />,
    },
    {
      id: "status",
      header: t("columns.status"),
      sortValue: (invitation) => statusLabel(invitation.status),
      cell: (invitation) => (
        <span className={invitation.status === "EXPIRED" ? "badge badge--warning" : "badge"}>
          {statusLabel(invitation.status)}
        </span>
      ),
    },
    {
      id: "expires",
      header: t("columns.expires"),
      sortValue: (invitation) => invitation.expiresAt,
      cell: (invitation) => <time dateTime={invitation.expiresAt}>{formatTime(invitation.expiresAt)}</time>,
    },
    {
      id: "actions",
      header: t("columns.actions"),
      headerHidden: true,
      cell: (invitation) => (
        <RowActions
          name={invitation.email}
          actions={[
            ability.can("create", "Invitation") &&
              canManageMember(grantor, { role: invitation.role, policies: invitation.policies }) && {
                label: t("page.resend"),
                disabled: resendState.loading,
                onSelect: () => {
                  onError(undefined);
                  resendInvitation({ variables: { workspaceId, id: invitation.id } })
                    .then(() =>
                      onNotice({ text: t("page.resent", { email: invitation.email }), email: invitation.email }),
                    )
                    .catch((caught: unknown) => onError(describeError(caught).message));
                },
              },
            ability.can("delete", "Invitation") && {
              label: t("page.revoke"),
              danger: true,
              onSelect: () => setRevoking(invitation),
            },
          ]}
        />
      ),
    },
  ];

  return (
    <section className="section">
      <h2>{t("page.pendingInvitations")}</h2>
      {invitations.error !== undefined && <p role="alert">{describeError(invitations.error).message}</p>}
      {invitations.data?.invitations.length === 0 && <p className="empty-state">{t("page.noPendingInvitations")}</p>}
      {invitations.data !== undefined && invitations.data.invitations.length > 0 && (
        <DataTable
          label={t("page.pendingInvitations")}
          storageKey={INVITATIONS_KEY}
          rows={invitations.data.invitations}
          rowKey={(invitation) => invitation.id}
          rowProps={invitationRowProps}
          columns={invitationColumns}
        />
      )}
      {revoking !== undefined && (
        <ConfirmDialog
          title={t("revoke.title")}
          confirmLabel={t("revoke.confirm")}
          danger
          onClose={() => setRevoking(undefined)}
          onConfirm={async () => {
            await revokeInvitation({ variables: { workspaceId, id: revoking.id } });
            onNotice(undefined);
            toast(t("revoke.revoked", { email: revoking.email }));
            setRevoking(undefined);
          }}
        >
          <p>{t("revoke.body", { email: revoking.email })}</p>
        </ConfirmDialog>
      )}
    </section>
  );
}
