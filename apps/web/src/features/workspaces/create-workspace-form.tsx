import { useMutation } from "@apollo/client/react";
import { type FormEvent, useState } from "react";
import { useNavigate } from "react-router";
import { type Channel, type Environment } from "../../gql/graphql.ts";
import { type UserFacingError, describeError } from "../../platform/errors.ts";
import { ErrorBanner, Field } from "../../platform/form-controls.tsx";
import { MeDocument } from "../../platform/session.tsx";
import { CHANNEL_LABELS, ENVIRONMENT_LABELS } from "./labels.ts";
import { CreateWorkspaceDocument } from "./operations.ts";
import { SLUG_MAX_LENGTH, slugFormatProblem, slugFromName } from "./slug.ts";

const CHANNELS: readonly Channel[] = ["WHATSAPP", "VOICE"];
const ENVIRONMENTS: readonly Environment[] = ["DEVELOPMENT", "STAGING", "PRODUCTION"];
const FORM_FIELDS = ["name", "slug", "channel", "environment", "description"] as const;

const CHANNEL_HINTS: Record<Channel, string> = {
  WHATSAPP: "Lead capture and conversations over WhatsApp (Twilio).",
  VOICE: "Phone calls with a voice agent (Vapi).",
};

/** Create workspace (SPEC W1, W2): the slug follows the name until the user edits it. */
export function CreateWorkspaceForm() {
  const navigate = useNavigate();
  const [name, setName] = useState("");
  const [slugEdited, setSlugEdited] = useState(false);
  const [customSlug, setCustomSlug] = useState("");
  const [channel, setChannel] = useState<Channel | "">("");
  const [environment, setEnvironment] = useState<Environment>("DEVELOPMENT");
  const [description, setDescription] = useState("");
  const [error, setError] = useState<UserFacingError>();
  const [submitted, setSubmitted] = useState(false);
  const [createWorkspace, { loading }] = useMutation(CreateWorkspaceDocument, {
    refetchQueries: [MeDocument],
    awaitRefetchQueries: true,
  });

  const slug = slugEdited ? customSlug : slugFromName(name);
  // Only an edited slug is checked here; a derived one is left to the server (see slug.ts).
  const slugProblem = slugEdited && (submitted || slug !== "") ? slugFormatProblem(slug) : undefined;
  const fieldErrors = error?.fields ?? {};

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setSubmitted(true);
    setError(undefined);
    if (channel === "" || name.trim() === "" || (slugEdited && slugFormatProblem(slug) !== undefined)) return;
    try {
      const { data } = await createWorkspace({
        variables: {
          input: {
            name: name.trim(),
            ...(slugEdited ? { slug } : {}),
            channel,
            environment,
            ...(description.trim() !== "" ? { description: description.trim() } : {}),
          },
        },
      });
      if (data !== undefined) void navigate(`/w/${data.createWorkspace.slug}`);
    } catch (caught) {
      setError(describeError(caught));
    }
  };

  return (
    <form className="form" onSubmit={(event) => void onSubmit(event)} noValidate>
      <ErrorBanner error={error} fieldsShown={FORM_FIELDS} />

      <Field
        label="Workspace name"
        error={fieldErrors["name"] ?? (submitted && name.trim() === "" ? "Enter a name." : undefined)}
      >
        {(control) => (
          <input
            {...control}
            type="text"
            value={name}
            required
            autoComplete="off"
            onChange={(event) => setName(event.target.value)}
          />
        )}
      </Field>

      <Field
        label="Slug"
        hint={
          <>
            Used in links: <code data-testid="slug-preview">/w/{slug === "" ? "…" : slug}</code>.{" "}
            {slugEdited
              ? `Lowercase letters, digits and single hyphens, 3–${SLUG_MAX_LENGTH} characters.`
              : "Derived from the name; a number is added if it is taken. Edit it to choose your own."}
            {slugEdited && (
              <>
                {" "}
                <button
                  type="button"
                  className="link-button"
                  onClick={() => {
                    setSlugEdited(false);
                    setCustomSlug("");
                  }}
                >
                  Derive from name again
                </button>
              </>
            )}
          </>
        }
        error={fieldErrors["slug"] ?? slugProblem}
      >
        {(control) => (
          <input
            {...control}
            type="text"
            value={slug}
            maxLength={SLUG_MAX_LENGTH}
            autoComplete="off"
            spellCheck={false}
            onChange={(event) => {
              setSlugEdited(true);
              setCustomSlug(event.target.value);
            }}
          />
        )}
      </Field>

      <fieldset
        className={fieldErrors["channel"] !== undefined || (submitted && channel === "") ? "field field--invalid" : "field"}
        aria-describedby="channel-permanent"
      >
        <legend>Channel</legend>
        {CHANNELS.map((value) => (
          <label key={value} className="choice">
            <input
              type="radio"
              name="channel"
              value={value}
              checked={channel === value}
              onChange={() => setChannel(value)}
            />
            <span>
              <strong>{CHANNEL_LABELS[value]}</strong> — {CHANNEL_HINTS[value]}
            </span>
          </label>
        ))}
        <p className="note" id="channel-permanent" data-testid="channel-permanent-note">
          The channel is permanent: it cannot be changed after the workspace is created. To run both WhatsApp and
          voice, create two workspaces (they may share a name).
        </p>
        {(fieldErrors["channel"] !== undefined || (submitted && channel === "")) && (
          <p className="field__error">{fieldErrors["channel"] ?? "Choose a channel."}</p>
        )}
      </fieldset>

      <Field
        label="Environment"
        hint="Production enforces a 15-minute idle timeout and long audit retention. You can convert later."
        error={fieldErrors["environment"]}
      >
        {(control) => (
          <select {...control} value={environment} onChange={(event) => setEnvironment(event.target.value as Environment)}>
            {ENVIRONMENTS.map((value) => (
              <option key={value} value={value}>
                {ENVIRONMENT_LABELS[value]}
              </option>
            ))}
          </select>
        )}
      </Field>

      <Field label="Description (optional)" error={fieldErrors["description"]}>
        {(control) => (
          <textarea
            {...control}
            value={description}
            rows={3}
            onChange={(event) => setDescription(event.target.value)}
          />
        )}
      </Field>

      <div className="form__actions">
        <button type="submit" className="button button--primary" disabled={loading}>
          {loading ? "Creating…" : "Create workspace"}
        </button>
      </div>
    </form>
  );
}
