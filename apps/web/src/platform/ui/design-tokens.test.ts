// The design tokens (issue 48, decision 0040): text and controls reach WCAG AA in both themes,
// the two dark blocks (system preference, explicit choice) say the same, the names components
// used before the tokens still resolve, and no hand-picked colour is left outside the tokens.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

import { describe, expect, it } from "@atrium/test-kit";

import {
  ALIAS_BLOCK,
  chosenDark,
  contrast,
  DARK,
  LIGHT,
  resolve,
  styles,
  STYLES_PATH,
  systemDark,
} from "../testing/design-tokens.ts";

/** Text (4.5:1) on the backgrounds it is drawn on. */
const TEXT_PAIRS: readonly (readonly [string, string])[] = [
  ["--color-text", "--color-bg"],
  ["--color-text", "--color-surface"],
  ["--color-text", "--color-hover"],
  ["--color-text-muted", "--color-bg"],
  ["--color-text-muted", "--color-surface"],
  ["--color-text-muted", "--color-warning-subtle"],
  ["--color-accent", "--color-bg"],
  ["--color-accent", "--color-surface"],
  ["--color-accent", "--color-accent-subtle"],
  ["--color-on-accent", "--color-accent"],
  ["--color-danger", "--color-surface"],
  ["--color-danger", "--color-danger-subtle"],
  ["--color-on-danger", "--color-danger"],
  ["--color-success", "--color-surface"],
  ["--color-text", "--color-success-subtle"],
  ["--color-warning", "--color-surface"],
  ["--color-warning", "--color-warning-subtle"],
  ["--color-text", "--color-warning-subtle"],
  ["--color-live", "--color-surface"],
];
/** Graphics and boundaries that identify something (3:1, WCAG 1.4.11): chart series, the focus ring. */
const GRAPHIC_TOKENS = [
  "--color-chart-1",
  "--color-chart-2",
  "--color-chart-3",
  "--color-chart-4",
  "--color-chart-5",
  "--color-focus",
];

describe.each([
  ["light", LIGHT],
  ["dark", DARK],
] as const)("the %s theme", (_name, theme) => {
  it.each(TEXT_PAIRS)("draws %s on %s at 4.5:1 or more", (fg, bg) => {
    expect(contrast(resolve(theme, fg), resolve(theme, bg))).toBeGreaterThanOrEqual(4.5);
  });

  it.each(GRAPHIC_TOKENS)("draws %s at 3:1 or more on the surface", (token) => {
    expect(contrast(resolve(theme, token), resolve(theme, "--color-surface"))).toBeGreaterThanOrEqual(3);
  });

  it("keeps the names used before the tokens as aliases of them", () => {
    const legacy = [
      "--bg",
      "--surface",
      "--text",
      "--muted",
      "--border",
      "--accent",
      "--accent-text",
      "--danger",
      "--danger-text",
      "--danger-bg",
      "--note-bg",
      "--success",
      "--success-bg",
      "--live",
      "--radius",
    ];
    for (const name of legacy) expect(theme.get(name), name).toMatch(/^var\(--(color|radius)-[\w-]+\)$/);
    expect(resolve(theme, "--muted")).toBe(resolve(theme, "--color-text-muted"));
  });
});

describe("the dark theme's two blocks", () => {
  it("declare the same tokens with the same values (system preference and explicit choice)", () => {
    expect([...chosenDark]).toEqual([...systemDark]);
    expect(chosenDark.size).toBeGreaterThan(20);
  });

  it("differ from light in every colour they set", () => {
    const changed = [...chosenDark].filter(([name, value]) => name.startsWith("--color-") && LIGHT.get(name) === value);
    expect(changed).toEqual([]);
  });
});

describe("hand-picked colours", () => {
  const src = path.resolve(path.dirname(STYLES_PATH));
  const COLOUR = /#[0-9a-f]{3,8}\b|\brgba?\(|\bhsla?\(/i;
  // A reference to a third-party widget's own palette variable (GraphiQL's), not a colour.
  const THIRD_PARTY_VAR = /\bhsla?\(var\(--[\w-]+\)\)/g;
  const strip = (text: string) =>
    text
      .replace(/\/\*[\s\S]*?\*\//g, "")
      .replace(/^\s*\/\/.*$/gm, "")
      .replace(THIRD_PARTY_VAR, "");

  it("appear only in the token definitions of styles.css", () => {
    const afterTokens = styles.slice(styles.indexOf(ALIAS_BLOCK));
    const offending = strip(afterTokens)
      .split("\n")
      .filter((line) => COLOUR.test(line));
    expect(offending).toEqual([]);
  });

  it("appear nowhere in the features' and platform's code and CSS", () => {
    const files = readdirSync(src, { recursive: true })
      .map(String)
      .filter(
        (file) =>
          /\.(css|tsx?)$/.test(file) &&
          !file.startsWith("gql") &&
          !/\.test\.tsx?$/.test(file) &&
          file !== "styles.css" &&
          !file.startsWith("platform/testing"),
      );
    const offending = files.flatMap((file) =>
      strip(readFileSync(path.join(src, file), "utf8"))
        .split("\n")
        .filter((line) => COLOUR.test(line))
        .map((line) => `${file}: ${line.trim()}`),
    );
    expect(offending).toEqual([]);
  });
});
