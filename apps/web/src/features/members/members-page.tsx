import { useApolloClient, useMutation, useQuery } from "@apollo/client/react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";

import { type RoleAssignment } from "@atrium/policies";

import { type MembersQuery } from "../../gql/graphql.ts";
import { useAbility } from "../../platform/ability.tsx";
import { LoadError } from "../../platform/load-error.tsx";
import { MeDocument, useMe } from "../../platform/session.tsx";
import {
  Button,
  ConfirmDialog,
  DataTable,
  RowActions,
  SkeletonList,
  toast,
  TruncatedText,
  type Column,
} from "../../platform/ui/index.ts";
import { MemberAccessDialog, WhyCantI } from "../access/why-cant-i.tsx";
import { DevMailboxLink } from "../dev-mailbox/dev-mailbox-link.tsx";
import { type CurrentWorkspace } from "../workspaces/workspace-shell.tsx";
import { canManageMember, grantableRoles } from "./grants.ts";
import { InvitationsSection } from "./invitations-section.tsx";
import { EditMemberDialog, InviteMemberDialog } from "./member-dialogs.tsx";
import {
  LeaveWorkspaceDocument,
  MemberAccessOptionsDocument,
  MembersDocument,
  RemoveMemberDocument,
  TransferOwnershipDocument,
} from "./operations.ts";
import { PolicyList } from "./policy-list.tsx";

type Member = MembersQuery["members"][number];

type Open =
  | { readonly kind: "invite" }
  | { readonly kind: "edit"; readonly member: Member }
  | { readonly kind: "remove"; readonly member: Member }
  | { readonly kind: "transfer"; readonly member: Member }
  | { readonly kind: "leave" };

/** The CASL names "Why can't I?" asks about, and the table's remembered column choice. */
const INVITATION = "Invitation";
const MEMBER = "Member";
const MEMBERS_KEY = "members";
const memberRowProps = (member: Member) => ({ "data-testid": "member-row", "data-email": member.user.email });

/**
 * /w/:slug/members (SPEC M3–M7): every member sees the list; inviting, editing, removing,
 * invitations and ownership transfer appear only when the ability (and `canGrant`) allow them.
 */
export function MembersPage({ workspace }: { workspace: CurrentWorkspace }) {
  const { t } = useTranslation("members");
  const { t: tw } = useTranslation("workspaces");
  const ability = useAbility();
  const me = useMe();
  const client = useApolloClient();
  const navigate = useNavigate();
  const workspaceId = workspace.id;
  const grantor: RoleAssignment = { role: workspace.myRole, policies: workspace.myPolicies };
  const [open, setOpen] = useState<Open>();
  const [notice, setNotice] = useState<{ text: string; email?: string }>();

  const canInvite = ability.can("create", "Invitation") && grantableRoles(grantor).length > 0;
  const canReadInvitations = ability.can("read", "Invitation");
  const canUpdate = ability.can("update", "Member");
  const canRemove = ability.can("delete", "Member");
  const canTransfer = ability.can("transfer", "Workspace");
  const needsOptions = canInvite || canUpdate;

  const members = useQuery(MembersDocument, { variables: { workspaceId } });
  const accessOptions = useQuery(MemberAccessOptionsDocument, { skip: !needsOptions });

  const refetchMembers = [{ query: MembersDocument, variables: { workspaceId } }];
  const [removeMember] = useMutation(RemoveMemberDocument, {
    refetchQueries: refetchMembers,
    awaitRefetchQueries: true,
  });
  const [transferOwnership] = useMutation(TransferOwnershipDocument, {
    refetchQueries: [...refetchMembers, MeDocument],
    awaitRefetchQueries: true,
  });
  const [leaveWorkspace] = useMutation(LeaveWorkspaceDocument);
  const [actionError, setActionError] = useState<string>();

  const close = () => setOpen(undefined);
  const [explaining, setExplaining] = useState<{ userId: string; name: string } | undefined>(undefined);
  const options = accessOptions.data;

  const memberColumns: Column<Member>[] = [
    {
      id: "name",
      header: t("columns.name"),
      sortValue: (member) => member.user.name,
      cell: (member) => (
        <>
          {member.user.name}
          {member.user.id === me.id && <span className="badge badge--muted">{t("page.you")}</span>}
        </>
      ),
    },
    {
      id: "email",
      header: t("columns.email"),
      sortValue: (member) => member.user.email,
      cell: (member) => <TruncatedText text={member.user.email} />,
    },
    {
      id: "role",
      header: t("columns.role"),
      className: "table__cell--word",
      sortValue: (member) => tw(`roles.${member.role}`),
      cell: (member) => tw(`roles.${member.role}`),
    },
    {
      id: "policies",
      header: t("columns.effectivePolicies"),
      cell: (member) => <PolicyList role={member.role} policies={member.effectivePolicies} />,
    },
    {
      id: "actions",
      header: t("columns.actions"),
      headerHidden: true,
      cell: (member) => {
        const isMe = member.user.id === me.id;
        const manageable = !isMe && canManageMember(grantor, { role: member.role, policies: member.policies });
        return (
          <RowActions
            name={member.user.name}
            actions={[
              {
                label: isMe ? t("page.whatCanIDo") : t("page.whatCanTheyDo", { name: member.user.name }),
                onSelect: () =>
                  setExplaining({ userId: member.user.id, name: isMe ? t("page.youName") : member.user.name }),
              },
              canUpdate &&
                manageable &&
                options !== undefined && { label: t("page.edit"), onSelect: () => setOpen({ kind: "edit", member }) },
              canTransfer &&
                !isMe &&
                member.role !== "OWNER" && {
                  label: t("page.transfer"),
                  danger: true,
                  onSelect: () => setOpen({ kind: "transfer", member }),
                },
              canRemove &&
                manageable && {
                  label: t("page.remove"),
                  danger: true,
                  onSelect: () => setOpen({ kind: "remove", member }),
                },
            ]}
          >
            {(canUpdate || canRemove) && !manageable && (
              <span className="muted small" data-testid="member-locked">
                {isMe ? t("page.ownAccessLocked") : t("page.accessLocked", { name: member.user.name })}
              </span>
            )}
          </RowActions>
        );
      },
    },
  ];

  return (
    <>
      <div className="toolbar">
        {canInvite ? (
          <Button variant="primary" disabled={options === undefined} onClick={() => setOpen({ kind: "invite" })}>
            {t("page.invite")}
          </Button>
        ) : (
          <WhyCantI workspaceId={workspaceId} action="create" subject={INVITATION} label={t("page.whyCantInvite")} />
        )}
        {!canUpdate && !canRemove && (
          <WhyCantI workspaceId={workspaceId} action="update" subject={MEMBER} label={t("page.whyCantChange")} />
        )}
        <span className="toolbar__spacer" />
        <Button onClick={() => setOpen({ kind: "leave" })}>{t("page.leave")}</Button>
      </div>

      {notice !== undefined && (
        <div className="banner banner--success" role="status">
          {notice.text}
          {notice.email !== undefined && <DevMailboxLink email={notice.email} />}
        </div>
      )}
      {actionError !== undefined && (
        <div className="banner banner--error" role="alert">
          {actionError}
        </div>
      )}

      {members.data === undefined ? (
        members.error !== undefined ? (
          <LoadError error={members.error} onRetry={members.refetch} />
        ) : (
          <SkeletonList label={t("page.loading")} />
        )
      ) : (
        <DataTable
          label={t("page.table")}
          storageKey={MEMBERS_KEY}
          rows={members.data.members}
          rowKey={(member) => member.id}
          rowProps={memberRowProps}
          columns={memberColumns}
        />
      )}

      {canReadInvitations && (
        <InvitationsSection workspaceId={workspaceId} grantor={grantor} onNotice={setNotice} onError={setActionError} />
      )}

      {explaining !== undefined && (
        <MemberAccessDialog
          workspaceId={workspaceId}
          userId={explaining.userId}
          name={explaining.name}
          onClose={() => setExplaining(undefined)}
        />
      )}
      {open?.kind === "invite" && options !== undefined && (
        <InviteMemberDialog
          workspaceId={workspaceId}
          grantor={grantor}
          options={options}
          onClose={close}
          onInvited={(email) => {
            close();
            setNotice({ text: t("page.invitationSent", { email }), email });
          }}
        />
      )}
      {open?.kind === "edit" && options !== undefined && (
        <EditMemberDialog
          workspaceId={workspaceId}
          grantor={grantor}
          options={options}
          member={open.member}
          onClose={close}
        />
      )}
      {open?.kind === "remove" && (
        <ConfirmDialog
          title={t("remove.title", { name: open.member.user.name })}
          confirmLabel={t("remove.confirm")}
          danger
          onClose={close}
          onConfirm={async () => {
            await removeMember({ variables: { workspaceId, userId: open.member.user.id } });
            setNotice(undefined);
            toast(t("remove.removed", { email: open.member.user.email, workspace: workspace.name }));
            close();
          }}
        >
          <p>{t("remove.body", { email: open.member.user.email, workspace: workspace.name })}</p>
        </ConfirmDialog>
      )}
      {open?.kind === "transfer" && (
        <ConfirmDialog
          title={t("transfer.title")}
          confirmLabel={t("transfer.confirm")}
          danger
          typeToConfirm={{
            label: t("transfer.typeToConfirm", { email: open.member.user.email }),
            text: open.member.user.email,
          }}
          onClose={close}
          onConfirm={async () => {
            await transferOwnership({ variables: { workspaceId, userId: open.member.user.id } });
            setNotice(undefined);
            toast(t("transfer.transferred", { name: open.member.user.name, workspace: workspace.name }));
            close();
          }}
        >
          <p>
            {t("transfer.body", {
              name: open.member.user.name,
              email: open.member.user.email,
              workspace: workspace.name,
            })}
          </p>
        </ConfirmDialog>
      )}
      {open?.kind === "leave" && (
        <ConfirmDialog
          title={t("leave.title", { workspace: workspace.name })}
          confirmLabel={t("leave.confirm")}
          danger
          messages={{ CONFLICT: t("leave.lastOwner") }}
          onClose={close}
          onConfirm={async () => {
            await leaveWorkspace({ variables: { workspaceId } });
            await client.refetchQueries({ include: [MeDocument] });
            void navigate("/", { replace: true });
          }}
        >
          <p>{t("leave.body", { workspace: workspace.name })}</p>
        </ConfirmDialog>
      )}
    </>
  );
}
