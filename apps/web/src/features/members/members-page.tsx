import { MemberAccessDialog, WhyCantI } from "../access/why-cant-i.tsx";
import { useApolloClient, useMutation, useQuery } from "@apollo/client/react";
import { type RoleAssignment } from "@atrium/policies";
import { useState } from "react";
import { useNavigate } from "react-router";
import { type InvitationsQuery, type MembersQuery } from "../../gql/graphql.ts";
import { useAbility } from "../../platform/ability.tsx";
import { ConfirmDialog, DataTable, RowActions, SkeletonList, TruncatedText, toast } from "../../platform/ui/index.ts";
import { describeError } from "../../platform/errors.ts";
import { MeDocument, useMe } from "../../platform/session.tsx";
import { DevMailboxLink } from "../dev-mailbox/dev-mailbox-link.tsx";
import { ROLE_LABELS } from "../workspaces/labels.ts";
import { type CurrentWorkspace } from "../workspaces/workspace-shell.tsx";
import { canManageMember, grantableRoles } from "./grants.ts";
import { EditMemberDialog, InviteMemberDialog } from "./member-dialogs.tsx";
import {
  InvitationsDocument,
  LeaveWorkspaceDocument,
  MemberAccessOptionsDocument,
  MembersDocument,
  RemoveMemberDocument,
  ResendInvitationDocument,
  RevokeInvitationDocument,
  TransferOwnershipDocument,
} from "./operations.ts";
import { LoadError } from "../../platform/load-error.tsx";

type Member = MembersQuery["members"][number];
type Invitation = InvitationsQuery["invitations"][number];

type Open =
  | { readonly kind: "invite" }
  | { readonly kind: "edit"; readonly member: Member }
  | { readonly kind: "remove"; readonly member: Member }
  | { readonly kind: "transfer"; readonly member: Member }
  | { readonly kind: "leave" }
  | { readonly kind: "revoke"; readonly invitation: Invitation };

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
const formatTime = (iso: string) => {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateTime.format(date);
};

const STATUS_LABELS: Record<string, string> = {
  PENDING: "Pending",
  EXPIRED: "Expired",
  ACCEPTED: "Accepted",
  REVOKED: "Revoked",
};

function PolicyList({ role, policies }: { role: Member["role"]; policies: readonly string[] }) {
  if (role !== "AGENT") return <span className="muted">All policies</span>;
  if (policies.length === 0) return <span className="muted">None</span>;
  return (
    <ul className="policy-list" aria-label="Policies">
      {policies.map((key) => (
        <li key={key}>
          <code>{key}</code>
        </li>
      ))}
    </ul>
  );
}

/**
 * /w/:slug/members (SPEC M3–M7): every member sees the list; inviting, editing, removing,
 * invitations and ownership transfer appear only when the ability (and `canGrant`) allow them.
 */
export function MembersPage({ workspace }: { workspace: CurrentWorkspace }) {
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
  const invitations = useQuery(InvitationsDocument, { variables: { workspaceId }, skip: !canReadInvitations });
  const accessOptions = useQuery(MemberAccessOptionsDocument, { skip: !needsOptions });

  const refetchMembers = [{ query: MembersDocument, variables: { workspaceId } }];
  const refetchInvitations = [{ query: InvitationsDocument, variables: { workspaceId } }];
  const [removeMember] = useMutation(RemoveMemberDocument, { refetchQueries: refetchMembers, awaitRefetchQueries: true });
  const [transferOwnership] = useMutation(TransferOwnershipDocument, {
    refetchQueries: [...refetchMembers, MeDocument],
    awaitRefetchQueries: true,
  });
  const [leaveWorkspace] = useMutation(LeaveWorkspaceDocument);
  const [resendInvitation, resendState] = useMutation(ResendInvitationDocument, {
    refetchQueries: refetchInvitations,
    awaitRefetchQueries: true,
  });
  const [revokeInvitation] = useMutation(RevokeInvitationDocument, { refetchQueries: refetchInvitations, awaitRefetchQueries: true });
  const [actionError, setActionError] = useState<string>();

  const close = () => setOpen(undefined);
  const [explaining, setExplaining] = useState<{ userId: string; name: string } | undefined>(undefined);
  const options = accessOptions.data;

  return (
    <>
      <div className="toolbar">
        {canInvite ? (
          <button type="button" className="button button--primary" disabled={options === undefined} onClick={() => setOpen({ kind: "invite" })}>
            Invite member
          </button>
        ) : (
          <WhyCantI workspaceId={workspaceId} action="create" subject="Invitation" label="Why can't I invite?" />
        )}
        {!canUpdate && !canRemove && (
          <WhyCantI workspaceId={workspaceId} action="update" subject="Member" label="Why can't I change members?" />
        )}
        <span className="toolbar__spacer" />
        <button type="button" className="button" onClick={() => setOpen({ kind: "leave" })}>
          Leave workspace
        </button>
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
          <SkeletonList label="Loading members…" />
        )
      ) : (
        <DataTable
          label="Members"
          storageKey="members"
          rows={members.data.members}
          rowKey={(member) => member.id}
          rowProps={(member) => ({ "data-testid": "member-row", "data-email": member.user.email })}
          columns={[
            {
              id: "name",
              header: "Name",
              sortValue: (member) => member.user.name,
              cell: (member) => (
                <>
                  {member.user.name}
                  {member.user.id === me.id && <span className="badge badge--muted">You</span>}
                </>
              ),
            },
            { id: "email", header: "Email", sortValue: (member) => member.user.email, cell: (member) => <TruncatedText text={member.user.email} /> },
            { id: "role", header: "Role", className: "table__cell--word", sortValue: (member) => ROLE_LABELS[member.role], cell: (member) => ROLE_LABELS[member.role] },
            { id: "policies", header: "Effective policies", cell: (member) => <PolicyList role={member.role} policies={member.effectivePolicies} /> },
            {
              id: "actions",
              header: "Actions",
              headerHidden: true,
              cell: (member) => {
                const isMe = member.user.id === me.id;
                const manageable = !isMe && canManageMember(grantor, { role: member.role, policies: member.policies });
                return (
                  <RowActions
                    name={member.user.name}
                    actions={[
                      { label: `What can ${isMe ? "I" : member.user.name} do?`, onSelect: () => setExplaining({ userId: member.user.id, name: isMe ? "you" : member.user.name }) },
                      canUpdate && manageable && options !== undefined && { label: "Edit", onSelect: () => setOpen({ kind: "edit", member }) },
                      canTransfer && !isMe && member.role !== "OWNER" && { label: "Transfer ownership", danger: true, onSelect: () => setOpen({ kind: "transfer", member }) },
                      canRemove && manageable && { label: "Remove", danger: true, onSelect: () => setOpen({ kind: "remove", member }) },
                    ]}
                  >
                    {(canUpdate || canRemove) && !manageable && (
                      <span className="muted small" data-testid="member-locked">
                        {isMe ? "Your own access is changed by someone else (or leave the workspace)." : `${member.user.name} holds access you don't: only someone who holds all of it can change it.`}
                      </span>
                    )}
                  </RowActions>
                );
              },
            },
          ]}
        />
      )}

      {canReadInvitations && (
        <section className="section">
          <h2>Pending invitations</h2>
          {invitations.error !== undefined && <p role="alert">{describeError(invitations.error).message}</p>}
          {invitations.data?.invitations.length === 0 && <p className="empty-state">No pending invitations.</p>}
          {invitations.data !== undefined && invitations.data.invitations.length > 0 && (
            <DataTable
              label="Pending invitations"
              storageKey="invitations"
              rows={invitations.data.invitations}
              rowKey={(invitation) => invitation.id}
              rowProps={(invitation) => ({ "data-testid": "invitation-row", "data-email": invitation.email })}
              columns={[
                { id: "email", header: "Email", sortValue: (invitation) => invitation.email, cell: (invitation) => <TruncatedText text={invitation.email} /> },
                { id: "role", header: "Role", className: "table__cell--word", sortValue: (invitation) => ROLE_LABELS[invitation.role], cell: (invitation) => ROLE_LABELS[invitation.role] },
                { id: "policies", header: "Policies", cell: (invitation) => <PolicyList role={invitation.role} policies={invitation.policies} /> },
                {
                  id: "status",
                  header: "Status",
                  sortValue: (invitation) => STATUS_LABELS[invitation.status] ?? invitation.status,
                  cell: (invitation) => (
                    <span className={invitation.status === "EXPIRED" ? "badge badge--warning" : "badge"}>{STATUS_LABELS[invitation.status] ?? invitation.status}</span>
                  ),
                },
                { id: "expires", header: "Expires", sortValue: (invitation) => invitation.expiresAt, cell: (invitation) => <time dateTime={invitation.expiresAt}>{formatTime(invitation.expiresAt)}</time> },
                {
                  id: "actions",
                  header: "Actions",
                  headerHidden: true,
                  cell: (invitation) => (
                    <RowActions
                      name={invitation.email}
                      actions={[
                        ability.can("create", "Invitation") &&
                          canManageMember(grantor, { role: invitation.role, policies: invitation.policies }) && {
                            label: "Resend",
                            disabled: resendState.loading,
                            onSelect: () => {
                              setActionError(undefined);
                              resendInvitation({ variables: { workspaceId, id: invitation.id } })
                                .then(() => setNotice({ text: `A new link was sent to ${invitation.email}.`, email: invitation.email }))
                                .catch((caught: unknown) => setActionError(describeError(caught).message));
                            },
                          },
                        ability.can("delete", "Invitation") && { label: "Revoke", danger: true, onSelect: () => setOpen({ kind: "revoke", invitation }) },
                      ]}
                    />
                  ),
                },
              ]}
            />
          )}
        </section>
      )}

      {explaining !== undefined && (
        <MemberAccessDialog workspaceId={workspaceId} userId={explaining.userId} name={explaining.name} onClose={() => setExplaining(undefined)} />
      )}
      {open?.kind === "invite" && options !== undefined && (
        <InviteMemberDialog
          workspaceId={workspaceId}
          grantor={grantor}
          options={options}
          onClose={close}
          onInvited={(email) => {
            close();
            setNotice({ text: `Invitation sent to ${email}.`, email });
          }}
        />
      )}
      {open?.kind === "edit" && options !== undefined && (
        <EditMemberDialog workspaceId={workspaceId} grantor={grantor} options={options} member={open.member} onClose={close} />
      )}
      {open?.kind === "remove" && (
        <ConfirmDialog
          title={`Remove ${open.member.user.name}?`}
          confirmLabel="Remove member"
          danger
          onClose={close}
          onConfirm={async () => {
            await removeMember({ variables: { workspaceId, userId: open.member.user.id } });
            setNotice(undefined);
            toast(`${open.member.user.email} was removed from ${workspace.name}.`);
            close();
          }}
        >
          <p>
            {open.member.user.email} loses access to {workspace.name} on their next request. Their account stays; you can invite them
            again later.
          </p>
        </ConfirmDialog>
      )}
      {open?.kind === "transfer" && (
        <ConfirmDialog
          title="Transfer ownership"
          confirmLabel="Transfer ownership"
          danger
          typeToConfirm={{ label: `Type ${open.member.user.email} to confirm`, text: open.member.user.email }}
          onClose={close}
          onConfirm={async () => {
            await transferOwnership({ variables: { workspaceId, userId: open.member.user.id } });
            setNotice(undefined);
            toast(`${open.member.user.name} now owns ${workspace.name}. You are an admin.`);
            close();
          }}
        >
          <p>
            {open.member.user.name} ({open.member.user.email}) becomes the owner of {workspace.name}. You become an admin: you will no
            longer be able to delete the workspace or transfer ownership.
          </p>
        </ConfirmDialog>
      )}
      {open?.kind === "leave" && (
        <ConfirmDialog
          title={`Leave ${workspace.name}?`}
          confirmLabel="Leave workspace"
          danger
          messages={{ CONFLICT: "You are the last owner. Transfer ownership to another member before leaving." }}
          onClose={close}
          onConfirm={async () => {
            await leaveWorkspace({ variables: { workspaceId } });
            await client.refetchQueries({ include: [MeDocument] });
            void navigate("/", { replace: true });
          }}
        >
          <p>You lose access to {workspace.name} at once. To come back, someone will have to invite you again.</p>
        </ConfirmDialog>
      )}
      {open?.kind === "revoke" && (
        <ConfirmDialog
          title="Revoke invitation?"
          confirmLabel="Revoke invitation"
          danger
          onClose={close}
          onConfirm={async () => {
            await revokeInvitation({ variables: { workspaceId, id: open.invitation.id } });
            setNotice(undefined);
            toast(`The invitation for ${open.invitation.email} was revoked.`);
            close();
          }}
        >
          <p>The link sent to {open.invitation.email} stops working.</p>
        </ConfirmDialog>
      )}
    </>
  );
}
