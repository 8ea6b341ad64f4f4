// Names of the pipelines' prepared statements: a statement's text is parsed and planned once per
// connection, later pipelines only bind and execute; bounded per process and per family.
import { createHash } from "node:crypto";

import type { Prisma } from "../generated/client.ts";

/**
 * Pipelines send their parameterised statements as named prepared statements: a connection parses
 * and plans a statement's text once, later pipelines on it only bind and execute. The name is the
 * text's hash, so one name never stands for two texts (pg refuses that). Texts come from a bounded
 * set of templates; past PREPARED_MAX distinct texts in one process, new ones go unnamed (parsed
 * every time) rather than grow every connection.
 */
const PREPARED_MAX = 1_000;
const preparedNames = new Map<string, string>();
export function preparedName(st: Prisma.Sql, text: string = st.text): string | undefined {
  let name = preparedNames.get(text);
  if (name !== undefined || preparedNames.size >= PREPARED_MAX) return name;
  const family = (st as InFamily)[kFamily];
  if (family !== undefined) {
    const named = familyNames.get(family) ?? 0;
    if (named >= FAMILY_MAX) return undefined;
    familyNames.set(family, named + 1);
  }
  name = `atrium_${createHash("sha1").update(text).digest("base64url")}`;
  preparedNames.set(text, name);
  return name;
}

/**
 * Statements whose text a request shapes — a list's page reads the columns of the fields its
 * query selected, thousands of combinations — belong to a family with a budget of its own: its
 * first FAMILY_MAX texts are named, later ones go unnamed. No client can use up the process's
 * names, or grow every connection, by varying its selection.
 */
const FAMILY_MAX = 32;
const familyNames = new Map<string, number>();
/**
 * A statement's family, kept on the statement (not in a WeakMap keyed by it: V8's scavenges keep a
 * young key's entry alive, a cost on every request).
 */
const kFamily = Symbol("atrium.statementFamily");
type InFamily = Prisma.Sql & { [kFamily]?: string };
/** Marks `statement` as one of `family`'s (see FAMILY_MAX); returns it. */
export function inStatementFamily(statement: Prisma.Sql, family: string): Prisma.Sql {
  (statement as InFamily)[kFamily] = family;
  return statement;
}
