import { useMutation } from "@apollo/client/react";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";

import { type RoleAssignment } from "@atrium/policies";
import { inviteMemberForm, type InviteMemberForm } from "@atrium/validation";

import { describeError, type UserFacingError } from "../../platform/errors.ts";
import { ErrorBanner } from "../../platform/form-controls.tsx";
import { serverFieldMessage, trimmed, useSchemaForm } from "../../platform/forms.ts";
import { Dialog, FormActions, TextField } from "../../platform/ui/index.ts";
import { canSubmitAssignment, normaliseAssignment } from "./grants.ts";
import { initialAccess, MemberAccessFields, type Access, type AccessOptions } from "./member-access-fields.tsx";
import { InvitationsDocument, InviteMemberDocument, MembersDocument, UpdateMemberDocument } from "./operations.ts";

/** The FORBIDDEN refusal of an invite or an edit, in the members namespace's words. */
const useAccessMessages = () => {
  const { t } = useTranslation("members");
  return { FORBIDDEN: t("dialogs.forbidden") };
};
const INVITE_FIELDS = ["email", "policies"];
const EDIT_FIELDS = ["policies"];

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
  const { t } = useTranslation("members");
  const accessMessages = useAccessMessages();
  const form = useSchemaForm(inviteMemberForm, { email: "" });
  const { errors } = form.formState;
  const error = form.serverError;
  const [access, setAccess] = useState<Access>(() => initialAccess(grantor, options.rolePresets));
  const [invite, { loading }] = useMutation(InviteMemberDocument, {
    refetchQueries: [{ query: InvitationsDocument, variables: { workspaceId } }],
    awaitRefetchQueries: true,
  });
  const allowed = canSubmitAssignment(grantor, access);
  const policiesError = serverFieldMessage(error, "policies");

  const onSubmit = async ({ email }: InviteMemberForm) => {
    form.clearServerError();
    const { role, policies } = normaliseAssignment(access.role, access.policies);
    try {
      await invite({ variables: { workspaceId, input: { email, role, policies: [...policies] } } });
      onInvited(email);
    } catch (caught) {
      form.failed(describeError(caught, accessMessages), ["email"]);
    }
  };

  return (
    <Dialog title={t("dialogs.inviteTitle")} onClose={onClose}>
      <form className="form" onSubmit={(event) => void form.handleSubmit(onSubmit)(event)} noValidate>
        <ErrorBanner error={error} fieldsShown={INVITE_FIELDS} />
        <TextField
          label={t("dialogs.email")}
          error={errors.email?.message}
          hint={t("dialogs.emailHint")}
          type="email"
          required
          autoComplete="off"
          {...form.register("email", { setValueAs: trimmed })}
        />
        <MemberAccessFields
          grantor={grantor}
          value={access}
          onChange={setAccess}
          options={options}
          error={policiesError}
        />
        <FormActions
          submitLabel={t("dialogs.sendInvitation")}
          pending={loading}
          pendingLabel={t("dialogs.sending")}
          disabled={!allowed}
          onCancel={onClose}
        />
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
  const { t } = useTranslation("members");
  const accessMessages = useAccessMessages();
  const [access, setAccess] = useState<Access>(() => normaliseAssignment(member.role, member.policies));
  const [error, setError] = useState<UserFacingError>();
  const [update, { loading }] = useMutation(UpdateMemberDocument, {
    refetchQueries: [{ query: MembersDocument, variables: { workspaceId } }],
    awaitRefetchQueries: true,
  });
  const allowed = canSubmitAssignment(grantor, access);
  const editPoliciesError = error?.fields["policies"];

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setError(undefined);
    const { role, policies } = normaliseAssignment(access.role, access.policies);
    try {
      await update({ variables: { workspaceId, userId: member.user.id, input: { role, policies: [...policies] } } });
      onClose();
    } catch (caught) {
      setError(describeError(caught, accessMessages));
    }
  };

  return (
    <Dialog title={t("dialogs.editTitle", { name: member.user.name })} onClose={onClose}>
      <form className="form" onSubmit={(event) => void onSubmit(event)}>
        <p className="muted">{member.user.email}</p>
        <ErrorBanner error={error} fieldsShown={EDIT_FIELDS} />
        <MemberAccessFields
          grantor={grantor}
          value={access}
          onChange={setAccess}
          options={options}
          error={editPoliciesError}
        />
        <FormActions
          submitLabel={t("dialogs.saveChanges")}
          pending={loading}
          pendingLabel={t("dialogs.saving")}
          disabled={!allowed}
          onCancel={onClose}
        />
      </form>
    </Dialog>
  );
}
