/** The contacts page's dialogs: add or edit one contact, delete one, and the bulk actions on the selected ones. */
import { useMutation } from "@apollo/client/react";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { contactForm, normaliseTags, splitTags, type ContactForm } from "@atrium/validation";

import { type ContactsQuery } from "../../gql/graphql.ts";
import { describeError } from "../../platform/errors.ts";
import { ErrorBanner } from "../../platform/form-controls.tsx";
import { trimmed, useSchemaForm } from "../../platform/forms.ts";
import { Button, ConfirmDialog, Dialog, FormActions, Input, TextField, toast } from "../../platform/ui/index.ts";
import { CreateContactDocument, DeleteContactDocument, UpdateContactDocument } from "./operations.ts";

export type Contact = ContactsQuery["contacts"]["edges"][number]["node"];

/**
 * Bulk actions on the selected contacts: add a tag (each contact saved with updateContact, its
 * other fields as listed) or delete them (deleteContact each; a contact with leads or
 * conversations is kept, as for one). One request per contact, in turn; the toast counts the
 * ones refused.
 */
export function BulkContactActions({
  workspaceId,
  contacts,
  onDone,
}: {
  workspaceId: string;
  contacts: readonly Contact[];
  onDone: () => void;
}) {
  const { t } = useTranslation("contacts");
  const [update] = useMutation(UpdateContactDocument);
  const [remove] = useMutation(DeleteContactDocument);
  const [tag, setTag] = useState("");
  const [problem, setProblem] = useState<string>();
  const [running, setRunning] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const each = async (run: (contact: Contact) => Promise<unknown>) => {
    let done = 0;
    const failures: string[] = [];
    for (const contact of contacts) {
      try {
        await run(contact);
        done += 1;
      } catch (caught) {
        failures.push(t("bulk.failure", { name: contact.name, message: describeError(caught).message }));
      }
    }
    return { done, failures };
  };
  const addTag = async () => {
    const parsed = normaliseTags([tag]);
    if ("problem" in parsed || parsed.tags.length === 0) {
      setProblem("problem" in parsed ? parsed.problem : t("bulk.typeTag"));
      return;
    }
    const [value] = parsed.tags;
    if (value === undefined) return;
    setProblem(undefined);
    setRunning(true);
    const { done, failures } = await each(async (contact) => {
      if (contact.tags.includes(value)) return;
      await update({
        variables: {
          workspaceId,
          id: contact.id,
          input: {
            name: contact.name,
            email: contact.email ?? null,
            phone: contact.phone ?? null,
            tags: [...contact.tags, value],
          },
        },
      });
    });
    setRunning(false);
    setTag("");
    if (failures.length === 0) toast(t("bulk.tagged", { count: done, tag: value }));
    else
      toast(t("bulk.taggedPartly", { done, count: contacts.length, tag: value, failures: failures.join("; ") }), {
        variant: "error",
      });
    onDone();
  };
  return (
    <>
      <label className="data-table-toolbar__field">
        <span>{t("bulk.tagToAdd")}</span>
        <Input
          type="text"
          size={12}
          value={tag}
          disabled={running}
          aria-invalid={problem !== undefined}
          aria-describedby={problem !== undefined ? "bulk-tag-problem" : undefined}
          onChange={(event) => setTag(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === "Enter") {
              event.preventDefault();
              void addTag();
            }
          }}
        />
      </label>
      <Button size="small" disabled={running} onClick={() => void addTag()}>
        {running ? t("bulk.working") : t("bulk.addTag")}
      </Button>
      <Button variant="danger" size="small" disabled={running} onClick={() => setConfirming(true)}>
        {t("bulk.deleteSelected")}
      </Button>
      {problem !== undefined && (
        <span className="field__error" id="bulk-tag-problem" role="alert">
          {problem}
        </span>
      )}
      {confirming && (
        <ConfirmDialog
          title={t("bulk.confirmTitle", { count: contacts.length })}
          confirmLabel={t("bulk.confirmLabel", { count: contacts.length })}
          danger
          onClose={() => setConfirming(false)}
          onConfirm={async () => {
            const { done, failures } = await each((contact) => remove({ variables: { workspaceId, id: contact.id } }));
            setConfirming(false);
            if (failures.length === 0) toast(t("bulk.deleted", { count: done }));
            else
              toast(t("bulk.deletedPartly", { done, count: contacts.length, failures: failures.join("; ") }), {
                variant: "error",
              });
            onDone();
          }}
        >
          <p>{t("bulk.confirmBody")}</p>
        </ConfirmDialog>
      )}
    </>
  );
}

const CONTACT_FIELDS = ["name", "email", "phone", "tags"] as const;

export function ContactDialog({
  workspaceId,
  contact,
  onClose,
  onSaved,
}: {
  workspaceId: string;
  contact: Contact | undefined;
  onClose: () => void;
  onSaved: (message: string) => void;
}) {
  const { t } = useTranslation("contacts");
  const form = useSchemaForm(contactForm, {
    name: contact?.name ?? "",
    email: contact?.email ?? "",
    phone: contact?.phone ?? "",
    tags: contact?.tags.join(", ") ?? "",
  });
  const { errors } = form.formState;
  const error = form.serverError;
  const [create, created] = useMutation(CreateContactDocument);
  const [update, updated] = useMutation(UpdateContactDocument);
  const onSubmit = async ({ name, email, phone, tags }: ContactForm) => {
    form.clearServerError();
    const input = { name, email: email || null, phone: phone || null, tags: splitTags(tags) };
    try {
      if (contact) await update({ variables: { workspaceId, id: contact.id, input } });
      else await create({ variables: { workspaceId, input } });
      onSaved(contact ? t("dialog.saved", { name }) : t("dialog.added", { name }));
    } catch (caught) {
      form.failed(describeError(caught), CONTACT_FIELDS);
    }
  };
  return (
    <Dialog title={contact ? t("dialog.editTitle", { name: contact.name }) : t("dialog.addTitle")} onClose={onClose}>
      <form className="form" onSubmit={(e) => void form.handleSubmit(onSubmit)(e)} noValidate>
        <ErrorBanner error={error} fieldsShown={CONTACT_FIELDS} />
        <TextField
          label={t("dialog.name")}
          error={errors.name?.message}
          type="text"
          autoComplete="off"
          required
          {...form.register("name", { setValueAs: trimmed })}
        />
        <TextField
          label={t("dialog.email")}
          error={errors.email?.message}
          type="email"
          autoComplete="off"
          {...form.register("email", { setValueAs: trimmed })}
        />
        <TextField
          label={t("dialog.phone")}
          hint={t("dialog.phoneHint")}
          error={errors.phone?.message}
          type="tel"
          autoComplete="off"
          {...form.register("phone", { setValueAs: trimmed })}
        />
        <TextField
          label={t("dialog.tags")}
          hint={t("dialog.tagsHint")}
          error={errors.tags?.message}
          type="text"
          autoComplete="off"
          {...form.register("tags")}
        />
        <FormActions
          submitLabel={contact ? t("dialog.save") : t("dialog.add")}
          pending={created.loading || updated.loading}
          onCancel={onClose}
        />
      </form>
    </Dialog>
  );
}

export function DeleteContact({
  workspaceId,
  contact,
  onClose,
  onDeleted,
}: {
  workspaceId: string;
  contact: Contact;
  onClose: () => void;
  onDeleted: (message: string) => void;
}) {
  const { t } = useTranslation("contacts");
  const [remove] = useMutation(DeleteContactDocument);
  return (
    <ConfirmDialog
      title={t("delete.title", { name: contact.name })}
      confirmLabel={t("delete.confirm")}
      danger
      onClose={onClose}
      onConfirm={async () => {
        await remove({ variables: { workspaceId, id: contact.id } });
        onDeleted(t("delete.deleted", { name: contact.name }));
      }}
    >
      <p>{t("delete.body")}</p>
    </ConfirmDialog>
  );
}
