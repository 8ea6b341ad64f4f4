// The "validation" namespace (issue 48): @atrium/validation's messages, keyed by their catalog
// codes (VALIDATION_MESSAGES). English is the catalog itself, word for word (the API's text); every
// message has its Spanish with the same placeholders; one English sentence has one Spanish one, and
// two different English sentences never share a Spanish one (so a translated message reads back).
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { describe, expect, it } from "@atrium/test-kit";
import { VALIDATION_MESSAGES } from "@atrium/validation";

type Catalog = { [key: string]: string | Catalog };
const localesDir = path.join(path.dirname(fileURLToPath(import.meta.url)), "locales");
const load = (lang: string) =>
  JSON.parse(readFileSync(path.join(localesDir, lang, "validation.json"), "utf8")) as Catalog;

function flatten(catalog: Catalog, prefix = "", out = new Map<string, unknown>()): Map<string, unknown> {
  for (const [key, value] of Object.entries(catalog)) {
    const full = prefix === "" ? key : `${prefix}.${key}`;
    if (typeof value === "object" && value !== null) flatten(value, full, out);
    else out.set(full, value);
  }
  return out;
}

/** Every `{{…}}` in a text, literal braces included ({{1}}, {{#{{section}}}}), sorted. */
const braces = (text: string) => [...text.matchAll(/\{\{[^{}]*\}\}/g)].map((m) => m[0]).sort();

/** The problems of a translation against the catalog (empty: none). */
export function translationProblems(
  messages: readonly { code: string; template: string; params: readonly string[] }[],
  english: Catalog,
  spanish: Catalog,
): string[] {
  const problems: string[] = [];
  const en = flatten(english);
  const es = flatten(spanish);
  const codes = new Set(messages.map((m) => m.code));
  for (const key of [...en.keys(), ...es.keys()]) if (!codes.has(key)) problems.push(`${key} is not in the catalog`);
  const spanishOf = new Map<string, string>();
  const englishOf = new Map<string, string>();
  for (const m of messages) {
    if (en.get(m.code) !== m.template) problems.push(`${m.code}: the English is not the catalog's`);
    const text = es.get(m.code);
    if (typeof text !== "string" || text.trim() === "") {
      problems.push(`${m.code} has no Spanish`);
      continue;
    }
    for (const p of m.params) if (!text.includes(`{{${p}}}`)) problems.push(`${m.code}: the Spanish lacks {{${p}}}`);
    if (braces(text).join() !== braces(m.template).join())
      problems.push(`${m.code}: braces differ: en ${braces(m.template).join(" ")} / es ${braces(text).join(" ")}`);
    const same = spanishOf.get(m.template);
    if (same !== undefined && same !== text) problems.push(`${m.code}: "${m.template}" has two Spanish texts`);
    spanishOf.set(m.template, text);
    const back = englishOf.get(text);
    if (back !== undefined && back !== m.template) problems.push(`${m.code}: "${text}" translates two English texts`);
    englishOf.set(text, m.template);
  }
  return problems;
}

describe("the validation namespace", () => {
  it("is the catalog in English, and all of it in Spanish with the same placeholders", () => {
    expect(VALIDATION_MESSAGES.length).toBeGreaterThan(100);
    expect(translationProblems(VALIDATION_MESSAGES, load("en"), load("es"))).toEqual([]);
  });

  it("fails on what it should catch", () => {
    const catalog = [
      { code: "a.fixed", template: "Enter a name.", params: [] },
      { code: "a.other", template: "Enter a name.", params: [] },
      { code: "b.reserved", template: '"{{slug}}" is reserved.', params: ["slug"] },
      { code: "b.unknown", template: "Unknown {{{{variable}}}}: use {{name}}.", params: ["variable"] },
    ];
    const en = {
      a: { fixed: "Enter a name.", other: "Enter a name." },
      b: { reserved: '"{{slug}}" is reserved.', unknown: "Unknown {{{{variable}}}}: use {{name}}." },
    };
    expect(
      translationProblems(catalog, en, {
        a: { fixed: "Ingresa un nombre.", other: "Ingresa un nombre." },
        b: { reserved: '"{{slug}}" está reservado.', unknown: "No existe {{{{variable}}}}: usa {{name}}." },
      }),
    ).toEqual([]);
    expect(
      translationProblems(
        catalog,
        { ...en, c: "Extra." },
        {
          a: { fixed: "Ingresa un nombre.", other: "Escribe un nombre." },
          b: {
            reserved: '"{{identificador}}" está reservado.',
            unknown: "No existe {{{{variable}}}}: usa {{nombre}}.",
          },
        },
      ),
    ).toEqual([
      "c is not in the catalog",
      'a.other: "Enter a name." has two Spanish texts',
      "b.reserved: the Spanish lacks {{slug}}",
      "b.reserved: braces differ: en {{slug}} / es {{identificador}}",
      "b.unknown: braces differ: en {{name}} {{variable}} / es {{nombre}} {{variable}}",
    ]);
    expect(
      translationProblems(
        catalog.slice(2),
        { b: { reserved: "Changed.", unknown: en.b.unknown } },
        { b: { reserved: "Reservado.", unknown: "Reservado." } },
      ),
    ).toEqual([
      "b.reserved: the English is not the catalog's",
      "b.reserved: the Spanish lacks {{slug}}",
      "b.reserved: braces differ: en {{slug}} / es ",
      "b.unknown: the Spanish lacks {{variable}}",
      "b.unknown: braces differ: en {{name}} {{variable}} / es ",
      'b.unknown: "Reservado." translates two English texts',
    ]);
  });
});
