/**
 * Validation messages in the page's language (issue 48). The schemas of @atrium/validation — the
 * form's own verdicts and the API's BAD_USER_INPUT `extensions.fields` — speak English (the API's
 * Contract); each sentence has a code in that package's catalog (VALIDATION_MESSAGES), and the
 * "validation" namespace holds its translation under that code. `translateProblem` recognises a
 * sentence (word for word, or a template with its values: `"acme" is reserved.`) and says it in
 * the current language; anything else is shown as it came.
 *
 * An English page needs nothing: the message is its own English. So neither the catalog nor the
 * namespace is in the JavaScript before the sign-in form (the catalog reaches every schema module,
 * the safety rules' RE2 engine included): both come with the Spanish chunk (i18n/es.ts hands the
 * catalog over with `provideProblemCatalog`), which a Spanish page loads before it first renders.
 * Until then `translateProblem` returns the message unchanged.
 */
import i18n from "i18next";

import type { RecognisedMessage, ValidationMessage } from "@atrium/validation";

/** What platform/problem-catalog.ts lends: @atrium/validation's catalog and its helpers. */
export interface ProblemCatalog {
  readonly messages: readonly ValidationMessage[];
  readonly recogniseEnglish: (text: string) => RecognisedMessage | undefined;
  readonly recogniser: (messages: readonly ValidationMessage[]) => (text: string) => RecognisedMessage | undefined;
  readonly fill: (template: string, params: readonly string[], values: Readonly<Record<string, string>>) => string;
}

const NAMESPACE = "validation";
let catalog: ProblemCatalog | undefined;
// A message already translated (a verdict kept in a form's state when the language changes) is
// recognised in its own language too: one recogniser per language, built when first needed.
const recognisers = new Map<string, (text: string) => RecognisedMessage | undefined>();
let watching = false;

/** Hands over the catalog (i18n/es.ts, with the texts of a language other than English). */
export function provideProblemCatalog(loaded: ProblemCatalog): void {
  catalog = loaded;
  recognisers.clear();
}

function translation(lang: string, code: string): string | undefined {
  const text: unknown = i18n.getResource(lang, NAMESPACE, code);
  return typeof text === "string" && text !== "" ? text : undefined;
}

function recogniseIn(known: ProblemCatalog, lang: string, text: string): RecognisedMessage | undefined {
  let recognise = recognisers.get(lang);
  if (recognise === undefined) {
    if (!i18n.hasResourceBundle(lang, NAMESPACE)) return undefined;
    if (!watching) {
      // Texts added later (another language, a reloaded bundle): recognisers are rebuilt.
      i18n.store.on("added", () => recognisers.clear());
      watching = true;
    }
    const translated: ValidationMessage[] = [];
    for (const message of known.messages) {
      const template = translation(lang, message.code);
      if (template !== undefined) translated.push({ ...message, template });
    }
    recognise = known.recogniser(translated);
    recognisers.set(lang, recognise);
  }
  return recognise(text);
}

/** Which catalog message `text` is, in English or in any other loaded language. */
function recognise(known: ProblemCatalog, text: string): RecognisedMessage | undefined {
  const english = known.recogniseEnglish(text);
  if (english !== undefined || !i18n.isInitialized) return english;
  for (const lang of Object.keys(i18n.store.data)) {
    if (lang === "en") continue;
    const found = recogniseIn(known, lang, text);
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * `message` in the page's language when it is one of @atrium/validation's (English stays as it
 * is); any other text — a message of the API's own, a name — unchanged.
 */
export function translateProblem(message: string): string {
  const known = catalog;
  if (known === undefined) return message; // only English has been shown: nothing to translate
  const found = recognise(known, message);
  if (found === undefined) return message;
  const { code, params } = found.message;
  // The language, then its fallbacks (["es", "en"]); English when i18next has not started.
  const languages: readonly string[] = i18n.isInitialized && i18n.languages.length > 0 ? i18n.languages : ["en"];
  for (const lang of languages) {
    const text = lang === "en" ? known.messages.find((m) => m.code === code)?.template : translation(lang, code);
    if (text !== undefined) return known.fill(text, params, found.values);
  }
  return message;
}

/** `translateProblem` on each value (BAD_USER_INPUT's per-field messages). */
export function translateProblems(fields: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(fields).map(([field, message]) => [field, translateProblem(message)]));
}
