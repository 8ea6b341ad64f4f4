import { useMutation } from "@apollo/client/react";
import { type RoleAssignment } from "@atrium/policies";
import { type InviteMemberForm, inviteMemberForm } from "@atrium/validation";
import { type FormEvent, useState } from "react";
import { type UserFacingError, describeError } from "../../platform/errors.ts";
import { Dialog, FormActions } from "../../platform/ui/index.ts";
import { ErrorBanner, Field } from "../../platform/form-controls.tsx";
import { serverFieldMessage, trimmed, useSchemaForm } from "../../platform/forms.ts";
import { canSubmitAssignment, normaliseAssignment } from "./grants.ts";
import { type Access, type AccessOptions, MemberAccessFields, initialAccess } from "./member-access-fields.tsx";
import { InvitationsDocument, InviteMemberDocument, MembersDocument, UpdateMemberDocument } from "./operations.ts";

const ACCESS_MESSAGES = {
  FORBIDDEN: "You can't grant that role or those policies: nobody grants more than they hold.",
} as const;

export function InviteMemberDialog({
  workspaceId,
  grantor,
  options,
  onClose,
  onInvited,
}: {
  workspaceId: string;
  grantor: RoleAssignment;
  options: AccessOptions;
  onClose: () => void;
  onInvited: (email: string) => void;
}) {
  const form = useSchemaForm(inviteMemberForm, { email: "" });
  const { errors } = form.formState;
  const error = form.serverError;
  const [access, setAccess] = useState<Access>(() => initialAccess(grantor, options.rolePresets));
  const [invite, { loading }] = useMutation(InviteMemberDocument, {
    refetchQueries: [{ query: InvitationsDocument, variables: { workspaceId } }],
    awaitRefetchQueries: true,
  });
  const allowed = canSubmitAssignment(grantor, access);

  const onSubmit = async ({ email }: InviteMemberForm) => {
    form.clearServerError();
    const { role, policies } = normaliseAssignment(access.role, access.policies);
    try {
      await invite({ variables: { workspaceId, input: { email, role, policies: [...policies] } } });
      onInvited(email);
    } catch (caught) {
      form.failed(describeError(caught, ACCESS_MESSAGES), ["email"]);
    }
  };

  return (
    <Dialog title="Invite a member" onClose={onClose}>
      <form className="form" onSubmit={(event) => void form.handleSubmit(onSubmit)(event)} noValidate>
        <ErrorBanner error={error} fieldsShown={["email", "policies"]} />
        <Field label="Email" error={errors.email?.message} hint="We email a link that is valid for 7 days.">
          {(control) => <input {...control} type="email" required autoComplete="off" {...form.register("email", { setValueAs: trimmed })} />}
        </Field>
        <MemberAccessFields grantor={grantor} value={access} onChange={setAccess} options={options} error={serverFieldMessage(error, "policies")} />
        <FormActions submitLabel="Send invitation" pending={loading} pendingLabel="Sending…" disabled={!allowed} onCancel={onClose} />
      </form>
    </Dialog>
  );
}

export interface EditableMember {
  readonly user: { readonly id: string; readonly name: string; readonly email: string };
  readonly role: Access["role"];
  readonly policies: readonly string[];
}

export function EditMemberDialog({
  workspaceId,
  grantor,
  options,
  member,
  onClose,
}: {
  workspaceId: string;
  grantor: RoleAssignment;
  options: AccessOptions;
  member: EditableMember;
  onClose: () => void;
}) {
  const [access, setAccess] = useState<Access>(() => normaliseAssignment(member.role, member.policies));
  const [error, setError] = useState<UserFacingError>();
  const [update, { loading }] = useMutation(UpdateMemberDocument, {
    refetchQueries: [{ query: MembersDocument, variables: { workspaceId } }],
    awaitRefetchQueries: true,
  });
  const allowed = canSubmitAssignment(grantor, access);

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setError(undefined);
    const { role, policies } = normaliseAssignment(access.role, access.policies);
    try {
      await update({ variables: { workspaceId, userId: member.user.id, input: { role, policies: [...policies] } } });
      onClose();
    } catch (caught) {
      setError(describeError(caught, ACCESS_MESSAGES));
    }
  };

  return (
    <Dialog title={`Edit ${member.user.name}`} onClose={onClose}>
      <form className="form" onSubmit={(event) => void onSubmit(event)}>
        <p className="muted">{member.user.email}</p>
        <ErrorBanner error={error} fieldsShown={["policies"]} />
        <MemberAccessFields grantor={grantor} value={access} onChange={setAccess} options={options} error={error?.fields["policies"]} />
        <FormActions submitLabel="Save changes" pending={loading} pendingLabel="Saving…" disabled={!allowed} onCancel={onClose} />
      </form>
    </Dialog>
  );
}
