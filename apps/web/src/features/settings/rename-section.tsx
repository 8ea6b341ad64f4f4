import { WhyCantI } from "../access/why-cant-i.tsx";
import { useMutation } from "@apollo/client/react";
import { type FormEvent, useState } from "react";
import { useLocation, useNavigate } from "react-router";
import { type WorkspaceSettingsFieldsFragment } from "../../gql/graphql.ts";
import { Field } from "../../platform/form-controls.tsx";
import { MeDocument } from "../../platform/session.tsx";
import { SLUG_MAX_LENGTH, slugFormatProblem } from "../workspaces/slug.ts";
import { UpdateWorkspaceDocument } from "./operations.ts";
import { SaveStatus, SettingsSection, inputProblem, useSave } from "./section.tsx";

const FIELDS = ["name", "slug", "description"] as const;

/** Set by a rename that changed the slug, for the page it lands on (a new URL mounts it afresh). */
interface RenamedState {
  readonly renamedFrom?: string;
}

function renamedFrom(state: unknown): string | undefined {
  const from = (state as RenamedState | null)?.renamedFrom;
  return typeof from === "string" ? from : undefined;
}

/** SPEC W3: name, slug and description; a new slug retires /forms/<old-slug> at once. */
export function RenameSection({ workspace, canUpdate }: { workspace: WorkspaceSettingsFieldsFragment; canUpdate: boolean }) {
  const navigate = useNavigate();
  const location = useLocation();
  const [name, setName] = useState(workspace.name);
  const [slug, setSlug] = useState(workspace.slug);
  const [description, setDescription] = useState(workspace.description ?? "");
  const [updateWorkspace] = useMutation(UpdateWorkspaceDocument, { refetchQueries: [MeDocument], awaitRefetchQueries: true });
  const save = useSave();
  const fieldErrors = save.error?.fields ?? {};
  const slugChanged = slug.trim() !== workspace.slug;
  const previousSlug = renamedFrom(location.state);

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const newSlug = slug.trim();
    const problems: Record<string, string> = {};
    if (name.trim() === "") problems["name"] = "Enter a name.";
    const slugProblem = slugChanged ? slugFormatProblem(newSlug) : undefined;
    if (slugProblem !== undefined) problems["slug"] = slugProblem;
    if (Object.keys(problems).length > 0) {
      save.fail(inputProblem(problems));
      return;
    }
    const input = {
      ...(name.trim() !== workspace.name ? { name: name.trim() } : {}),
      ...(slugChanged ? { slug: newSlug } : {}),
      ...(description.trim() !== (workspace.description ?? "") ? { description: description.trim() } : {}),
    };
    const saved = await save.run(
      () => updateWorkspace({ variables: { id: workspace.id, input } }),
      slugChanged ? `Saved. The workspace now lives at /w/${newSlug}.` : "Saved.",
    );
    if (saved && slugChanged) {
      const renamed: RenamedState = { renamedFrom: workspace.slug };
      void navigate(`/w/${newSlug}/settings`, { replace: true, state: renamed });
    }
  };

  return (
    <SettingsSection id="rename" title="Name and address">
      {previousSlug !== undefined && save.state.status === "idle" && (
        <div className="banner banner--success" role="status">
          Saved. The slug changed from <code>{previousSlug}</code> to <code>{workspace.slug}</code>; /forms/{previousSlug} no
          longer works.
        </div>
      )}
      <form className="form" onSubmit={(event) => void onSubmit(event)} noValidate>
        <Field label="Workspace name" error={fieldErrors["name"]}>
          {(control) => (
            <input
              {...control}
              type="text"
              value={name}
              disabled={!canUpdate}
              autoComplete="off"
              onChange={(event) => setName(event.target.value)}
            />
          )}
        </Field>
        <Field
          label="Slug"
          hint={
            <>
              Used in links: <code>/w/{slug.trim() === "" ? "…" : slug.trim()}</code> and the public form{" "}
              <code>/forms/{slug.trim() === "" ? "…" : slug.trim()}</code>. Lowercase letters, digits and single hyphens.
            </>
          }
          error={fieldErrors["slug"]}
        >
          {(control) => (
            <input
              {...control}
              type="text"
              value={slug}
              maxLength={SLUG_MAX_LENGTH}
              disabled={!canUpdate}
              autoComplete="off"
              spellCheck={false}
              onChange={(event) => setSlug(event.target.value)}
            />
          )}
        </Field>
        {slugChanged && (
          <p className="note" role="note" data-testid="slug-change-warning">
            Changing the slug stops the old form URL <code>/forms/{workspace.slug}</code> from working at once: anyone using
            a link you shared gets “not found”. Update your links after saving. The old slug stays reserved for this
            workspace for 30 days.
          </p>
        )}
        <Field label="Description" error={fieldErrors["description"]}>
          {(control) => (
            <textarea
              {...control}
              rows={2}
              value={description}
              disabled={!canUpdate}
              onChange={(event) => setDescription(event.target.value)}
            />
          )}
        </Field>
        <SaveStatus save={save} fieldsShown={FIELDS} />
        {!canUpdate && <WhyCantI workspaceId={workspace.id} action="update" subject="Workspace" label="Why can't I change this?" />}
        {canUpdate && (
          <div className="form__actions">
            <button type="submit" className="button button--primary" disabled={save.saving}>
              {save.saving ? "Saving…" : "Save name and address"}
            </button>
          </div>
        )}
      </form>
    </SettingsSection>
  );
}
