/**
 * The design tokens of styles.css as a browser resolves them (decision 0040), for tests: the
 * light values (the first `:root` block), dark under the system preference and dark by choice
 * (`data-theme="dark"`), each with `var()` chains followed to a colour.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const STYLES_PATH = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../styles.css");
export const styles = readFileSync(STYLES_PATH, "utf8");

/** The text of the rule block that starts at `start` (up to its first closing brace). */
export function block(start: string, css = styles): string {
  const at = css.indexOf(start);
  if (at < 0) throw new Error(`styles.css has no block starting with ${start}`);
  return css.slice(at + start.length, css.indexOf("}", at));
}

/** Custom property declarations of a block, in order. */
export function declarations(text: string): Map<string, string> {
  const withoutComments = text.replace(/\/\*[\s\S]*?\*\//g, "");
  return new Map([...withoutComments.matchAll(/(--[\w-]+)\s*:\s*([^;]+);/g)].map((m) => [m[1]!, m[2]!.trim()]));
}

export const LIGHT_BLOCK = ":root {";
export const SYSTEM_DARK_BLOCK = '@media (prefers-color-scheme: dark) {\n  :root:not([data-theme="light"]) {';
export const CHOSEN_DARK_BLOCK = ':root[data-theme="dark"] {';
export const ALIAS_BLOCK = "/* ---- The names components used before the tokens";

export const light = declarations(block(LIGHT_BLOCK));
export const systemDark = declarations(block(SYSTEM_DARK_BLOCK));
export const chosenDark = declarations(block(CHOSEN_DARK_BLOCK));
const aliases = declarations(block(":root {", styles.slice(styles.indexOf(ALIAS_BLOCK))));

export type Theme = ReadonlyMap<string, string>;
export const LIGHT: Theme = new Map([...light, ...aliases]);
export const DARK: Theme = new Map([...light, ...chosenDark, ...aliases]);

/** The colour a token ends at in `theme` (following var() references). */
export function resolve(theme: Theme, name: string): string {
  let value = theme.get(name);
  for (let hops = 0; value !== undefined && hops < 10; hops++) {
    const ref = /^var\((--[\w-]+)\)$/.exec(value);
    if (ref === null) return value;
    value = theme.get(ref[1]!);
  }
  throw new Error(`${name} does not resolve to a value`);
}

function luminance(hex: string): number {
  if (!/^#[0-9a-f]{6}$/i.test(hex)) throw new Error(`not a #rrggbb colour: ${hex}`);
  const [r, g, b] = [1, 3, 5]
    .map((i) => parseInt(hex.slice(i, i + 2), 16) / 255)
    .map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4)) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG contrast ratio of two #rrggbb colours. */
export function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}
