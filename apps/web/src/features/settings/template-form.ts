/**
 * The WhatsApp template editor's logic, apart from React: the variables the pasted text needs
 * (one per {{n}} placeholder, the choices already made kept), the preview with sample values —
 * @atrium/validation's own renderer, the one the API sends with — and the input the API takes.
 */
import i18next from "i18next";
import type * as z from "zod/mini";

import {
  renderWhatsAppTemplate,
  TEMPLATE_FIELDS,
  TEMPLATE_VARIABLES_MAX,
  templatePlaceholders,
  templateVariables,
  type messageTemplateForm,
  type TemplateField,
  type TemplateValues,
} from "@atrium/validation";

import { type MessageTemplateFieldsFragment, type MessageTemplateInput } from "../../gql/graphql.ts";

export type MessageTemplate = MessageTemplateFieldsFragment;
export type TemplateFormValues = z.input<typeof messageTemplateForm>;

/** The form's fields, named like MessageTemplateInput's (server field errors land beside them). */
export const TEMPLATE_FORM_FIELDS = ["name", "contentSid", "body", "variables"] as const;

/** The fields a variable can be filled from, in the select's order (`templateFieldLabel` words them). */
export const FIELD_OPTIONS: readonly TemplateField[] = TEMPLATE_FIELDS;

const isTemplateField = (field: string): field is TemplateField =>
  (TEMPLATE_FIELDS as readonly string[]).includes(field);

/** "Contact's first name": a field in the page's language (an unknown one as it is named). */
export function templateFieldLabel(field: string): string {
  return isTemplateField(field) ? i18next.t(`templateFields.${field}`, { ns: "settings" }) : field;
}

/** What a new placeholder is filled with until a field is chosen: a greeting's usual order ("Hi {{1}}, this is {{2}}"). */
const DEFAULT_ORDER: readonly TemplateField[] = ["firstName", "business", "agent", "name", "email", "phone"];

/**
 * How many variables `body` asks for: its highest placeholder (at most the API's limit), so a
 * select is shown for each number even while the numbering still has a gap the form will point out.
 */
export function placeholderCount(body: string): number {
  return Math.min(TEMPLATE_VARIABLES_MAX, Math.max(0, ...templatePlaceholders(body)));
}

/** The variables for `body`: the choices already made for {{1}}…{{n}} kept, new ones defaulted, extra ones dropped. */
export function variablesFor(body: string, current: readonly string[]): string[] {
  return Array.from(
    { length: placeholderCount(body) },
    (_, i) => current[i] ?? DEFAULT_ORDER[i % DEFAULT_ORDER.length] ?? "name",
  );
}

/** The sample recipient of the preview (the business and agent are the workspace's own). */
export function sampleValues(business: string, agent: string | null): TemplateValues {
  return {
    name: i18next.t("sample.name", { ns: "settings" }),
    email: i18next.t("sample.email", { ns: "settings" }),
    phone: i18next.t("sample.phone", { ns: "settings" }),
    business,
    agent,
  };
}

/** The text as the sample recipient would read it. */
export function previewTemplateBody(body: string, variables: readonly string[], values: TemplateValues): string {
  return renderWhatsAppTemplate(body, templateVariables(variables, values));
}

export function blankTemplate(): TemplateFormValues {
  return { name: "", contentSid: "", body: "", variables: [] };
}

export function formFromTemplate(
  t: Pick<MessageTemplate, "name" | "contentSid" | "body" | "variables">,
): TemplateFormValues {
  return { name: t.name, contentSid: t.contentSid, body: t.body, variables: [...t.variables] };
}

export function templateInput(values: TemplateFormValues, useForOpening: boolean): MessageTemplateInput {
  return {
    name: values.name.trim(),
    contentSid: values.contentSid.trim(),
    body: values.body,
    variables: [...values.variables],
    useForOpening,
  };
}

/** "{{1}} Contact's first name · {{2}} Business (workspace) name", for the list. */
export function variablesSummary(variables: readonly string[]): string {
  return variables.map((f, i) => `{{${i + 1}}} ${templateFieldLabel(f)}`).join(" · ");
}
