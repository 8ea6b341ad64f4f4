/**
 * @jest-environment jsdom
 */
// A form on a Spanish page (issue 48): the schema's verdicts beside the fields and outside them, and
// the API's BAD_USER_INPUT sentences put on the fields, all in Spanish; the same form on an English
// page says exactly what the API says.
import { CombinedGraphQLErrors } from "@apollo/client/errors";
import i18n from "i18next";

import { afterEach, beforeAll, describe, expect, it } from "@atrium/test-kit";
import { createWorkspaceForm, SLUG_MESSAGES } from "@atrium/validation";

import { describeError } from "./errors.ts";
import { ErrorBanner, Field } from "./form-controls.tsx";
import { useSchemaForm } from "./forms.ts";
import { button, click, describedBy, input, render, type } from "./testing/dom.tsx";

const FIELDS = ["name", "slug", "description"] as const;

function WorkspaceForm() {
  const form = useSchemaForm(createWorkspaceForm, { name: "", slug: "", description: "" });
  const { errors } = form.formState;
  const submit = form.handleSubmit(() => {
    // The API refuses the slug (BAD_USER_INPUT, in English).
    form.failed(
      describeError(
        new CombinedGraphQLErrors({
          data: null,
          errors: [
            {
              message: "Invalid input.",
              extensions: { code: "BAD_USER_INPUT", fields: { "input.slug": SLUG_MESSAGES.reserved("acme") } },
            },
          ],
        }),
      ),
      FIELDS,
    );
  });
  return (
    <form onSubmit={(event) => void submit(event)}>
      <ErrorBanner error={form.serverError} fieldsShown={FIELDS} />
      <Field label="Name" error={errors.name?.message}>
        {(control) => <input {...control} {...form.register("name")} />}
      </Field>
      <Field label="Slug" error={errors.slug?.message}>
        {(control) => <input {...control} {...form.register("slug")} />}
      </Field>
      {/* A verdict shown outside a <Field>, as some forms do. */}
      <p data-testid="outside">{errors.name?.message}</p>
      <button type="submit">Save</button>
    </form>
  );
}

// What a Spanish page loads (index.ts `loadLanguage`): the Spanish texts, and with them the catalog.
beforeAll(async () => {
  const { es } = await import("../i18n/es.ts");
  i18n.addResourceBundle("es", "validation", es.validation, true, true);
});
afterEach(async () => {
  await i18n.changeLanguage("en");
});

const outside = () => document.querySelector('[data-testid="outside"]')?.textContent;

describe("a schema form's problems", () => {
  it("are in Spanish on a Spanish page: the schema's, beside the field and outside it, and the API's", async () => {
    await i18n.changeLanguage("es");
    await render(<WorkspaceForm />);
    await click(button("Save"));
    expect(describedBy(input("Name")).error).toBe("Ingresa un nombre.");
    expect(outside()).toBe("Ingresa un nombre.");

    await type(input("Name"), "x".repeat(81));
    expect(describedBy(input("Name")).error).toBe("Los nombres tienen como máximo 80 caracteres.");

    await type(input("Name"), "Acme");
    await type(input("Slug"), "acme");
    await click(button("Save"));
    expect(describedBy(input("Slug")).error).toBe('"acme" está reservado.');
  });

  it("are the API's English on an English page", async () => {
    await render(<WorkspaceForm />);
    await click(button("Save"));
    expect(describedBy(input("Name")).error).toBe("Enter a name.");
    await type(input("Name"), "Acme");
    await type(input("Slug"), "acme");
    await click(button("Save"));
    expect(describedBy(input("Slug")).error).toBe('"acme" is reserved.');
  });
});
