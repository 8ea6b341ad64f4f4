// The translation catalog (issue 48, decision 0045): English and Spanish hold the same namespaces
// and the same keys, no Spanish text is empty, each value keeps its placeholders ({{name}}) and
// its tags (<anchor>…</anchor>), never an HTML void element's name as a tag (react-i18next renders
// `<link>text</link>` as an empty link followed by the text), and a plural has its `_other` form. The checks run on the files
// themselves (every namespace, whoever wrote it), and on made-up catalogs to show they fail.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { describe, expect, it } from "@atrium/test-kit";

type Catalog = { [key: string]: string | Catalog };

const localesDir = path.join(path.dirname(fileURLToPath(import.meta.url)), "locales");
const namespacesOf = (lang: string) =>
  readdirSync(path.join(localesDir, lang))
    .filter((f) => f.endsWith(".json"))
    .map((f) => f.slice(0, -".json".length))
    .sort();
const load = (lang: string, ns: string) =>
  JSON.parse(readFileSync(path.join(localesDir, lang, `${ns}.json`), "utf8")) as Catalog;

/** Every leaf as "a.b.c" → value (a non-string leaf is reported as a problem). */
function flatten(catalog: Catalog, prefix = "", out = new Map<string, unknown>()): Map<string, unknown> {
  for (const [key, value] of Object.entries(catalog)) {
    const full = prefix === "" ? key : `${prefix}.${key}`;
    if (typeof value === "object" && value !== null && !Array.isArray(value)) flatten(value, full, out);
    else out.set(full, value);
  }
  return out;
}

const placeholders = (text: string) =>
  [...text.matchAll(/\{\{\s*([\w.]+)(?:\s*,[^}]*)?\s*\}\}/g)].map((m) => m[1]).sort();
const tags = (text: string) =>
  [...text.matchAll(/<\/?([a-zA-Z0-9]+)\s*\/?>/g)].map((m) => m[0].replace(/\s+/g, "")).sort();

/** HTML's void elements: <Trans> cannot put text inside one, so none may name a tag. */
const VOID_ELEMENTS = new Set([
  "area",
  "base",
  "br",
  "col",
  "embed",
  "hr",
  "img",
  "input",
  "link",
  "meta",
  "param",
  "source",
  "track",
  "wbr",
]);

/** The problems between one namespace's English and Spanish catalogs (empty: none). */
export function compareCatalogs(ns: string, en: Catalog, es: Catalog): string[] {
  const problems: string[] = [];
  const enKeys = flatten(en);
  const esKeys = flatten(es);
  for (const [lang, keys, other, otherLang] of [
    ["en", enKeys, esKeys, "es"],
    ["es", esKeys, enKeys, "en"],
  ] as const) {
    for (const [key, value] of keys) {
      if (typeof value !== "string") problems.push(`${ns}:${key} is not a string in ${lang}`);
      else if (value.trim() === "") problems.push(`${ns}:${key} is empty in ${lang}`);
      if (!other.has(key)) problems.push(`${ns}:${key} is in ${lang} but missing in ${otherLang}`);
      if (key.endsWith("_one") && !keys.has(`${key.slice(0, -"_one".length)}_other`))
        problems.push(`${ns}:${key} has no _other form in ${lang}`);
    }
  }
  for (const [lang, keys] of [
    ["en", enKeys],
    ["es", esKeys],
  ] as const) {
    for (const [key, value] of keys) {
      if (typeof value !== "string") continue;
      const voids = tags(value)
        .map((tag) => tag.replace(/[</>]/g, "").toLowerCase())
        .filter((name) => VOID_ELEMENTS.has(name));
      if (voids.length > 0) problems.push(`${ns}:${key} uses the void element <${voids[0]}> as a tag in ${lang}`);
    }
  }
  for (const [key, value] of enKeys) {
    const spanish = esKeys.get(key);
    if (typeof value !== "string" || typeof spanish !== "string") continue;
    if (placeholders(value).join() !== placeholders(spanish).join())
      problems.push(
        `${ns}:${key} placeholders differ: en ${placeholders(value).join(",")} / es ${placeholders(spanish).join(",")}`,
      );
    if (tags(value).join() !== tags(spanish).join())
      problems.push(`${ns}:${key} tags differ: en ${tags(value).join(",")} / es ${tags(spanish).join(",")}`);
  }
  return problems;
}

describe("the translation catalog", () => {
  it("has the same namespaces in English and Spanish", () => {
    expect(namespacesOf("es")).toEqual(namespacesOf("en"));
    expect(namespacesOf("en")).toContain("common");
  });

  it.each(namespacesOf("en"))(
    "namespace %s: same keys, nothing empty, same placeholders and tags, plurals complete",
    (ns) => {
      expect(compareCatalogs(ns, load("en", ns), load("es", ns))).toEqual([]);
    },
  );

  it("fails on what it should catch", () => {
    expect(compareCatalogs("x", { a: "Hi" }, { a: "Hola", b: "Extra" })).toEqual(["x:b is in es but missing in en"]);
    expect(compareCatalogs("x", { a: "Hi", n: { b: "Bye" } }, { a: "Hola" })).toEqual([
      "x:n.b is in en but missing in es",
    ]);
    expect(compareCatalogs("x", { a: "Hi" }, { a: " " })).toEqual(["x:a is empty in es"]);
    expect(compareCatalogs("x", { a: "Hi {{name}}" }, { a: "Hola {{nombre}}" })).toEqual([
      "x:a placeholders differ: en name / es nombre",
    ]);
    expect(compareCatalogs("x", { a: "Go <anchor>here</anchor>" }, { a: "Ve aquí" })).toEqual([
      "x:a tags differ: en </anchor>,<anchor> / es ",
    ]);
    expect(compareCatalogs("x", { a: "Go <link>here</link>" }, { a: "Ve <link>aquí</link>" })).toEqual([
      "x:a uses the void element <link> as a tag in en",
      "x:a uses the void element <link> as a tag in es",
    ]);
    expect(compareCatalogs("x", { n_one: "{{count}} lead" }, { n_one: "{{count}} cliente" })).toEqual([
      "x:n_one has no _other form in en",
      "x:n_one has no _other form in es",
    ]);
  });
});
