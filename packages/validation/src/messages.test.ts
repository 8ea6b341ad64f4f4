// The message catalog (issue 48): every message the package exports has a code, so the web app can
// show it in the page's language; a new message constant, or a new function-built message without
// its template, fails here. And the catalog recognises what the schemas really say.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { describe, expect, it } from "@atrium/test-kit";

import * as validation from "./index.ts";
import {
  fillTemplate,
  MESSAGE_SOURCES,
  messageGroup,
  recogniseValidationMessage,
  VALIDATION_MESSAGES,
} from "./messages.ts";

const exported = Object.entries(validation).filter(
  ([name, value]) => /_MESSAGES$/.test(name) && typeof value === "object" && name !== "VALIDATION_MESSAGES",
);
const sourceDir = path.dirname(fileURLToPath(import.meta.url));
const sources = readdirSync(sourceDir).filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"));

/** Messages written in place where a schema or a check states its verdict (not in a *_MESSAGES constant). */
export function literalMessages(source: string): string[] {
  const found: string[] = [];
  const patterns = [
    /[{,]\s*(?:message|error)\s*:\s*(["'`])((?:\\.|(?!\1).)*)\1/g,
    /\bz\.(?:minLength|maxLength|length|regex|refine|gte|lte|gt|lt|enum)\((?:[^()]|\([^()]*\))*?,\s*(["'`])((?:\\.|(?!\1).)*)\1/g,
    /\breturn\s+\{\s*problem:\s*(["'`])((?:\\.|(?!\1).)*)\1/g,
  ];
  for (const pattern of patterns) for (const m of source.matchAll(pattern)) found.push(m[2] ?? "");
  return found;
}
const codes = new Set(VALIDATION_MESSAGES.map((m) => m.code));

describe("the validation message catalog", () => {
  it("covers every exported message constant", () => {
    expect(exported.length).toBeGreaterThan(30);
    expect(exported.map(([name]) => name).sort()).toEqual(Object.keys(MESSAGE_SOURCES).sort());
  });

  it("has a code for every message of every constant, with its English unchanged", () => {
    const missing: string[] = [];
    for (const [name, messages] of exported) {
      for (const [key, value] of Object.entries(messages as Record<string, unknown>)) {
        const code = `${messageGroup(name)}.${key}`;
        if (typeof value === "string") {
          if (VALIDATION_MESSAGES.find((m) => m.code === code)?.template !== value) missing.push(code);
        } else if (typeof value === "function") {
          if (![...codes].some((c) => c.startsWith(`${code}.`) || c.startsWith(`${code}_`) || c === code))
            missing.push(code);
        } else missing.push(`${code} (neither a sentence nor a function)`);
      }
    }
    expect(missing).toEqual([]);
  });

  it("gives each message its own code, each template's placeholders its params", () => {
    expect(codes.size).toBe(VALIDATION_MESSAGES.length);
    for (const m of VALIDATION_MESSAGES) {
      expect(m.code).toMatch(/^[a-z][A-Za-z]*(\.[a-z][A-Za-z]*)+(_one|_other)?$/);
      for (const p of m.params) expect(m.template).toContain(`{{${p}}}`);
    }
  });

  it("finds no message written in place in a schema (each comes from a *_MESSAGES constant, so it has a code)", () => {
    const found = sources.flatMap((f) =>
      literalMessages(readFileSync(path.join(sourceDir, f), "utf8")).map((text) => `${f}: ${text}`),
    );
    expect(found).toEqual([]);
    // …and the scan sees one when there is.
    expect(
      literalMessages('z.string().check(z.maxLength(10, "Too long."), z.refine((v) => f(v), { message: "Nope." }))'),
    ).toEqual(["Nope.", "Too long."]);
    expect(literalMessages("if (x) return { problem: `Bad ${x}.` };")).toEqual(["Bad ${x}."]);
    expect(literalMessages('const t = "Thanks for your message: \\"{{x}}\\"";')).toEqual([]);
  });

  it("names groups after their constants", () => {
    expect(messageGroup("EMAIL_MESSAGES")).toBe("email");
    expect(messageGroup("OPENING_MESSAGE_MESSAGES")).toBe("openingMessage");
  });

  it("recognises a fixed message, and a function-built one with its values", () => {
    expect(recogniseValidationMessage(validation.EMAIL_MESSAGES.invalid)).toEqual({
      message: { code: "email.invalid", template: validation.EMAIL_MESSAGES.invalid, params: [] },
      values: {},
    });
    expect(recogniseValidationMessage(validation.SLUG_MESSAGES.reserved("admin"))).toMatchObject({
      message: { code: "slug.reserved" },
      values: { slug: "admin" },
    });
    expect(recogniseValidationMessage(validation.TEMPLATE_MESSAGES.unknown("city"))).toMatchObject({
      message: { code: "template.unknown" },
      values: { variable: "city" },
    });
    expect(
      recogniseValidationMessage(validation.OPENING_MESSAGE_MESSAGES.unclosedSection("lead.message")),
    ).toMatchObject({ message: { code: "openingMessage.unclosedSection" }, values: { section: "lead.message" } });
    expect(recogniseValidationMessage(validation.WHATSAPP_MESSAGES.variableCount(1))?.message.code).toBe(
      "whatsapp.variableCount_one",
    );
    expect(recogniseValidationMessage(validation.WHATSAPP_MESSAGES.variableCount(3))).toMatchObject({
      message: { code: "whatsapp.variableCount_other" },
      values: { count: "3" },
    });
    expect(recogniseValidationMessage(validation.KNOWLEDGE_MESSAGES.tooLong("faqs"))?.message.code).toBe(
      "knowledge.tooLong.faqs",
    );
    expect(recogniseValidationMessage("Something else entirely.")).toBeUndefined();
    expect(recogniseValidationMessage('"admin" is reserved. Really.')).toBeUndefined();
  });

  it("recognises what the schemas say", () => {
    const verdicts = [
      validation.problemOf(validation.emailAddress, "nope"),
      validation.problemOf(validation.workspaceSlug, "admin"),
      validation.problemOf(validation.tagList, "ok, !bad"),
      validation.problemOf(validation.campaignMessage, "Hi {{city}}"),
      validation.problemOf(validation.openingMessageTemplate, "{{#lead.message}} hi"),
      validation.problemOf(validation.safetyRuleForm.shape.pattern, "("),
      validation.safetyPatternProblem("("),
      validation.problemOf(validation.knowledgeHours, "x".repeat(3000)),
    ];
    for (const verdict of verdicts) {
      expect(verdict).toBeDefined();
      expect([verdict, recogniseValidationMessage(verdict!)]).not.toEqual([verdict, undefined]);
    }
  });

  it("fills a template's placeholders once, leaving other braces alone", () => {
    expect(fillTemplate("«{{slug}}» está reservado.", ["slug"], { slug: "{{slug}}x" })).toBe(
      "«{{slug}}x» está reservado.",
    );
    expect(fillTemplate("Usa {{name}} o {{{{variable}}}}.", ["variable"], { variable: "city" })).toBe(
      "Usa {{name}} o {{city}}.",
    );
    expect(fillTemplate("Fijo.", [], {})).toBe("Fijo.");
  });
});
