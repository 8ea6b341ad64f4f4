// Nested objects obey their own read policies (issue 55, finding 4): a lead or a conversation
// carries its contact, and the contact is shown only to a principal that may read contacts —
// whichever query or mutation the lead or conversation came through. The fields that nest
// another subject declare it (`@Extensions({ reads })`, in the permission snapshot), and the
// generated nested-read matrix tries every path to them.
import type { WorkspaceAccess } from "./access.ts";

/** Which nested subjects the caller may see beside the object it asked for. */
export interface NestedReads {
  contact: boolean;
}

/** Computed once per request (a type-level check: policies are workspace-wide). */
export const nestedReadsOf = (access: WorkspaceAccess): NestedReads => ({
  contact: access.ability.can("read", "Contact"),
});

/** For answers to no principal (the public form): nothing nested. */
export const NO_NESTED_READS: NestedReads = { contact: false };
