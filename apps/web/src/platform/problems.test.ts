// Validation messages in the page's language (issue 48): @atrium/validation's English sentences —
// the form's own verdicts and the API's BAD_USER_INPUT fields — shown in Spanish on a Spanish page,
// unchanged on an English one; any other text passes through as it came.
import { CombinedGraphQLErrors } from "@apollo/client/errors";
import i18n from "i18next";

import { afterEach, beforeAll, describe, expect, it } from "@atrium/test-kit";
import {
  EMAIL_MESSAGES,
  fieldProblems,
  KNOWLEDGE_MESSAGES,
  OPENING_MESSAGE_MESSAGES,
  signUpForm,
  SLUG_MESSAGES,
  TEMPLATE_MESSAGES,
  WHATSAPP_MESSAGES,
  WORKSPACE_NAME_MESSAGES,
  workspaceName,
} from "@atrium/validation";

import { describeError } from "./errors.ts";
import { serverFieldMessage, translateFieldErrors } from "./forms.ts";
import { translateProblem, translateProblems } from "./problems.ts";

afterEach(async () => {
  await i18n.changeLanguage("en");
});

// First, before the Spanish chunk arrives (the hooks below load it for the other blocks).
describe("translateProblem before a language other than English was loaded", () => {
  it("shows every message as it came (English needs no catalog)", async () => {
    i18n.addResourceBundle(
      "es",
      "validation",
      { email: { invalid: "Ingresa una dirección de correo electrónico válida." } },
      true,
      true,
    );
    await i18n.changeLanguage("es");
    expect(translateProblem(EMAIL_MESSAGES.invalid)).toBe(EMAIL_MESSAGES.invalid);
  });
});

/** What a Spanish page loads (index.ts `loadLanguage`): the Spanish texts, and with them the catalog. */
async function loadSpanish(): Promise<void> {
  const { es } = await import("../i18n/es.ts");
  i18n.addResourceBundle("es", "validation", es.validation, true, true);
}

const tooLongName = workspaceName.safeParse("x".repeat(81)).error?.issues[0]?.message ?? "";

describe("translateProblem", () => {
  beforeAll(loadSpanish);

  it("leaves English alone on an English page", () => {
    expect(i18n.language).toBe("en");
    expect(translateProblem(EMAIL_MESSAGES.invalid)).toBe("Enter a valid e-mail address.");
    expect(translateProblem(tooLongName)).toBe("Names are at most 80 characters.");
    expect(translateProblem(SLUG_MESSAGES.reserved("admin"))).toBe('"admin" is reserved.');
  });

  it("says a fixed message in Spanish on a Spanish page", async () => {
    await i18n.changeLanguage("es");
    expect(translateProblem(EMAIL_MESSAGES.invalid)).toBe("Ingresa una dirección de correo electrónico válida.");
    expect(translateProblem(WORKSPACE_NAME_MESSAGES.blank)).toBe("Ingresa un nombre.");
  });

  it("says a message with a limit, or one built from a value, in Spanish with its values", async () => {
    await i18n.changeLanguage("es");
    expect(tooLongName).toBe(WORKSPACE_NAME_MESSAGES.tooLong);
    expect(translateProblem(tooLongName)).toBe("Los nombres tienen como máximo 80 caracteres.");
    expect(translateProblem(KNOWLEDGE_MESSAGES.tooLong("faqs"))).toBe(
      "Las preguntas frecuentes tienen como máximo 8000 caracteres.",
    );
    expect(translateProblem(SLUG_MESSAGES.reserved("admin"))).toBe('"admin" está reservado.');
    expect(translateProblem(TEMPLATE_MESSAGES.unknown("city"))).toBe(
      "La variable {{city}} no existe. Usa {{name}}, {{firstName}}, {{email}}, {{phone}}.",
    );
    expect(translateProblem(OPENING_MESSAGE_MESSAGES.unclosedSection("lead.message"))).toBe(
      "La sección {{#lead.message}} (o {{^lead.message}}) no está cerrada: termínala con {{/lead.message}}.",
    );
    expect(translateProblem(WHATSAPP_MESSAGES.variableCount(1))).toBe(
      "El texto tiene 1 marcador: elige un campo para completarlo.",
    );
    expect(translateProblem(WHATSAPP_MESSAGES.variableCount(3))).toBe(
      "El texto tiene 3 marcadores: elige un campo para cada uno.",
    );
  });

  it("passes any other text through", async () => {
    await i18n.changeLanguage("es");
    expect(translateProblem("That slug is taken")).toBe("That slug is taken");
    expect(translateProblem("resolved")).toBe("resolved");
    expect(translateProblem(`${EMAIL_MESSAGES.invalid} Also this.`)).toBe(`${EMAIL_MESSAGES.invalid} Also this.`);
    expect(translateProblem("")).toBe("");
  });

  it("reads back a message it already translated when the language changes", async () => {
    await i18n.changeLanguage("es");
    const shown = translateProblem(SLUG_MESSAGES.reserved("admin"));
    await i18n.changeLanguage("en");
    expect(translateProblem(shown)).toBe('"admin" is reserved.');
    expect(translateProblem("Ingresa un nombre.")).toBe("Enter a name.");
  });

  it("falls back to the English when the Spanish texts are not loaded", async () => {
    await i18n.changeLanguage("es");
    i18n.removeResourceBundle("es", "validation");
    try {
      expect(translateProblem(EMAIL_MESSAGES.invalid)).toBe(EMAIL_MESSAGES.invalid);
    } finally {
      await loadSpanish();
    }
  });

  it("translates every field of a verdict", async () => {
    await i18n.changeLanguage("es");
    expect(translateProblems(fieldProblems(signUpForm, { name: " ", email: "nope", password: "short" }))).toEqual({
      name: "Ingresa tu nombre.",
      email: "Ingresa una dirección de correo electrónico válida.",
      password: "Usa al menos 10 caracteres.",
    });
  });
});

describe("the choke points", () => {
  beforeAll(loadSpanish);

  const badInput = (fields: Record<string, unknown>, message = "Invalid input.") =>
    new CombinedGraphQLErrors({ data: null, errors: [{ message, extensions: { code: "BAD_USER_INPUT", fields } }] });

  it("describeError: the API's BAD_USER_INPUT sentences in Spanish, the API's own texts as they came", async () => {
    await i18n.changeLanguage("es");
    expect(
      describeError(
        badInput(
          { "input.slug": SLUG_MESSAGES.reserved("api"), email: EMAIL_MESSAGES.invalid, id: "resolved" },
          EMAIL_MESSAGES.invalid,
        ),
      ),
    ).toEqual({
      code: "BAD_USER_INPUT",
      message: "Ingresa una dirección de correo electrónico válida.",
      fields: {
        slug: '"api" está reservado.',
        email: "Ingresa una dirección de correo electrónico válida.",
        id: "resolved",
      },
    });
    await i18n.changeLanguage("en");
    expect(describeError(badInput({ email: EMAIL_MESSAGES.invalid })).fields).toEqual({
      email: EMAIL_MESSAGES.invalid,
    });
  });

  it("serverFieldMessage: a field's sentence in Spanish (a bare token: the error's message)", async () => {
    await i18n.changeLanguage("es");
    const error = {
      code: "BAD_USER_INPUT" as const,
      message: EMAIL_MESSAGES.invalid,
      fields: { email: EMAIL_MESSAGES.invalid, id: "required" },
    };
    expect(serverFieldMessage(error, "email")).toBe("Ingresa una dirección de correo electrónico válida.");
    expect(serverFieldMessage(error, "id")).toBe("Ingresa una dirección de correo electrónico válida.");
    expect(serverFieldMessage(error, "other")).toBeUndefined();
  });

  it("translateFieldErrors: every message of a resolver's nested errors, in place, the field's element untouched", async () => {
    await i18n.changeLanguage("es");
    const ref = { name: "x", self: undefined as unknown };
    ref.self = ref; // a DOM element is not walked
    const errors = {
      name: { type: "invalid_format", message: WORKSPACE_NAME_MESSAGES.blank, ref },
      questions: [undefined, { type: "custom", message: "Questions cannot be empty." }],
      list: { root: { type: "too_big", message: "At most 20 questions." } },
    };
    translateFieldErrors(errors);
    expect(errors.name.message).toBe("Ingresa un nombre.");
    expect(errors.name.ref).toBe(ref);
    expect(errors.questions[1]?.message).toBe("Las preguntas no pueden estar vacías.");
    expect(errors.list.root.message).toBe("Como máximo 20 preguntas.");
  });
});
