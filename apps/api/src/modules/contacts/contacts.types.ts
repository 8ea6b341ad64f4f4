import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsEnum,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  ValidateBy,
} from "class-validator";
import { Field, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";

import {
  CONTACT_IMPORT_MAX_ROWS,
  CONTACT_IMPORT_MESSAGES,
  contactName,
  EMAIL_MAX,
  EMAIL_MESSAGES,
  MAX_TAGS,
  PHONE_INPUT_MAX,
  PHONE_MESSAGES,
  TAG_MAX,
  TAG_MESSAGES,
} from "@atrium/validation";

import { OrderDirection } from "../../platform/graphql/order.ts";
import { Conforms } from "../../platform/validation.ts";

// Rules and messages: @atrium/validation (the contact form uses the same). E-mail, phone and tags
// are capped here and checked once normalised (contact-identity.ts, normaliseTags).
@InputType({ description: "A contact's fields; updateContact replaces all of them." })
export class ContactInput {
  @Field(() => String, { description: "The contact's name: 1–200 characters, not blank." })
  @Conforms(contactName)
  name!: string;

  @Field(() => String, {
    description: "E-mail address, at most 254 characters; unique in the workspace (CONFLICT otherwise).",
    nullable: true,
  })
  @IsOptional()
  @IsString()
  @MaxLength(EMAIL_MAX, { message: EMAIL_MESSAGES.tooLong })
  email?: string | null;

  @Field(() => String, { nullable: true, description: "With its country code; stored as E.164." })
  @IsOptional()
  @IsString()
  @MaxLength(PHONE_INPUT_MAX, { message: PHONE_MESSAGES.tooLong })
  phone?: string | null;

  @Field(() => [String], {
    nullable: true,
    description: "Lower-cased; at most 20, each 1–40 letters, digits, spaces, - or _.",
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_TAGS, { message: TAG_MESSAGES.tooMany })
  @IsString({ each: true })
  @MaxLength(TAG_MAX, { each: true, message: TAG_MESSAGES.tooLong })
  tags?: string[] | null;
}

/** At most this many characters in one cell of an import row. */
export const IMPORT_CELL_MAX = 1000;
const IMPORT_CELLS = ["name", "email", "phone", "tags"] as const;

/**
 * Issue 52: the first cell of `rows` that is neither null nor text of at most IMPORT_CELL_MAX
 * characters, said as an error, or null. One pass over the rows: class-validator's nested walk
 * (metadata looked up per row, per property) cost ~15 ms per 1,000 rows of an import.
 */
export function importCellProblem(rows: unknown): string | null {
  if (!Array.isArray(rows)) return null; // IsArray says so
  for (let i = 0; i < rows.length; i++) {
    const row: unknown = rows[i];
    if (row === null || typeof row !== "object") return `rows[${i}] is not a row.`;
    for (const cell of IMPORT_CELLS) {
      const value = (row as Record<string, unknown>)[cell];
      if (value === null || value === undefined) continue;
      if (typeof value !== "string") return `rows[${i}].${cell} must be text.`;
      if (value.length > IMPORT_CELL_MAX) return `rows[${i}].${cell} must be at most ${IMPORT_CELL_MAX} characters.`;
    }
  }
  return null;
}

/** A CSV row as read: every field optional; rows are checked by `importCellProblem` (ImportContactsInput.rows), their values row by row by the plan (errors are per row, not for the call). */
@InputType({ description: "One CSV row of a contact import, as text; every cell at most 1,000 characters." })
export class ContactImportRowInput {
  @Field(() => String, {
    description: "The contact's name; required unless it matches an existing contact.",
    nullable: true,
  })
  name?: string | null;
  @Field(() => String, { description: "E-mail address; empty or null when unknown.", nullable: true }) email?:
    | string
    | null;
  @Field(() => String, { description: "Phone number with its country code; normalised to E.164.", nullable: true })
  phone?: string | null;
  @Field(() => String, { nullable: true, description: "Comma- or semicolon-separated." }) tags?: string | null;
}

/** How a row that matches a contact treats a field whose stored value differs from the file's. */
export enum ContactImportConflictMode {
  KEEP_EXISTING = "KEEP_EXISTING",
  OVERWRITE = "OVERWRITE",
  SKIP = "SKIP",
}
registerEnumType(ContactImportConflictMode, {
  name: "ContactImportConflictMode",
  description:
    "A row matching a contact (by e-mail, then phone) whose name, e-mail or phone differs from the stored one.",
  valuesConfig: {
    KEEP_EXISTING: {
      description:
        "Keep the stored value; the file's is not used (listed as IGNORED). Empty fields are filled, tags added.",
    },
    OVERWRITE: { description: "Store the file's value; the stored one is replaced (listed as REPLACED)." },
    SKIP: { description: "Leave the contact as it is: the whole row is skipped." },
  },
});

/** At most this many chunks per import: 1,000 x 5,000 rows. */
export const MAX_IMPORT_CHUNKS = 1000;

@InputType({ description: "A CSV file's rows to import (or preview with dryRun)." })
export class ImportContactsInput {
  @Field(() => [ContactImportRowInput], {
    description: `The whole file, at most ${CONTACT_IMPORT_MAX_ROWS} rows: planned and applied in one transaction.`,
  })
  @IsArray()
  @ArrayMaxSize(CONTACT_IMPORT_MAX_ROWS, { message: CONTACT_IMPORT_MESSAGES.tooMany })
  @ValidateBy({
    name: "importCells",
    validator: {
      validate: (rows: unknown) => importCellProblem(rows) === null,
      defaultMessage: (args) => importCellProblem(args?.value) ?? "Invalid rows.",
    },
  })
  rows!: ContactImportRowInput[];

  @Field(() => Boolean, {
    nullable: true,
    description: "Work out the outcome of every row and store nothing (the preview): the same plan the import applies.",
  })
  @IsOptional()
  @IsBoolean()
  dryRun?: boolean | null;

  @Field(() => ContactImportConflictMode, { nullable: true, description: "Default KEEP_EXISTING." })
  @IsOptional()
  @IsEnum(ContactImportConflictMode)
  onConflict?: ContactImportConflictMode | null;

  @Field(() => String, {
    nullable: true,
    description:
      "The preview's planId: the import is refused (CONFLICT, nothing stored) when its plan differs from that preview's.",
  })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  expectedPlanId?: string | null;

  @Field(() => ID, {
    nullable: true,
    description: `Issue 52: a file larger than ${CONTACT_IMPORT_MAX_ROWS} rows is sent in chunks, each with the same importId (a UUID the client chooses) and its chunk number. A committed chunk is recorded with its contacts, in one transaction: sent again, it is answered from that record (replayed: true) and applied nothing twice. Progress: contactImport(importId).`,
  })
  @IsOptional()
  @IsUUID()
  importId?: string | null;

  @Field(() => Int, { nullable: true, description: "This chunk's number, from 0 (with importId)." })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_IMPORT_CHUNKS - 1)
  chunk?: number | null;

  @Field(() => Int, {
    nullable: true,
    description: `How many chunks the import has (with importId), at most ${MAX_IMPORT_CHUNKS}.`,
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_IMPORT_CHUNKS)
  chunks?: number | null;
}

export enum ContactImportAction {
  CREATED = "CREATED",
  UPDATED = "UPDATED",
  SKIPPED = "SKIPPED",
  ERROR = "ERROR",
}
registerEnumType(ContactImportAction, {
  name: "ContactImportAction",
  description:
    "UPDATED: merged into the matching contact. SKIPPED: it matched a contact with other values and onConflict is SKIP.",
  valuesConfig: {
    CREATED: { description: "A new contact was (or would be) created." },
    ERROR: { description: "The row is refused; its error says why and nothing is stored for it." },
    SKIPPED: { description: "It matched a contact with other values and onConflict is SKIP: left unchanged." },
    UPDATED: { description: "Merged into the contact with the same e-mail or phone." },
  },
});

export enum ContactImportChangeKind {
  ADDED = "ADDED",
  REPLACED = "REPLACED",
  IGNORED = "IGNORED",
}
registerEnumType(ContactImportChangeKind, {
  description: "How a merge treats one field of the matching contact.",
  name: "ContactImportChangeKind",
  valuesConfig: {
    ADDED: {
      description:
        "The stored field was empty (or, for tags, lacked these): the file's value is added. Nothing is lost.",
    },
    REPLACED: { description: "The stored value is replaced by the file's: the stored value is lost." },
    IGNORED: {
      description:
        "The file's value is not stored (the stored value differs and is kept, the row is skipped, or no room for more tags).",
    },
  },
});

@ObjectType({ description: "One field a merge touches, or would touch." })
export class ContactImportFieldChange {
  @Field(() => String, { description: "name, email, phone or tags." }) field!: string;
  @Field(() => ContactImportChangeKind, { description: "Added, replaced or ignored." }) kind!: ContactImportChangeKind;
  @Field(() => String, { nullable: true, description: "The contact's value before this row (tags comma-separated)." })
  stored!: string | null;
  @Field(() => String, { nullable: true, description: "The file's value (for tags, the ones not on the contact yet)." })
  incoming!: string | null;
}

@ObjectType({ description: "What happens to one import row." })
export class ContactImportRowResult {
  @Field(() => Int, { description: "0-based index of the row in this call." }) row!: number;
  @Field(() => ContactImportAction, { description: "Created, updated, skipped, or refused (ERROR)." })
  action!: ContactImportAction;
  @Field(() => String, {
    nullable: true,
    description: "CREATED / UPDATED: the contact as this row leaves it; otherwise the row's values.",
  })
  name!: string | null;
  @Field(() => String, { description: "The row's e-mail address, normalised (lower-case).", nullable: true }) email!:
    | string
    | null;
  @Field(() => String, { description: "The row's phone number in E.164.", nullable: true }) phone!: string | null;
  @Field(() => [String], { description: "The row's tags, parsed and lower-cased." }) tags!: string[];
  @Field(() => String, { nullable: true, description: "Why the row was refused." }) error!: string | null;
  @Field(() => String, { nullable: true, description: "The column at fault." }) field!: string | null;
  @Field(() => String, {
    nullable: true,
    description: "How the row matched its contact: email or phone (null for a new contact or an error).",
  })
  matchedBy!: string | null;
  @Field(() => Int, {
    nullable: true,
    description:
      "The earlier row of this call that created or already changed the same contact (a duplicate inside the file).",
  })
  duplicateOfRow!: number | null;
  @Field(() => [ContactImportFieldChange], {
    description: "UPDATED / SKIPPED: every field that changes, is replaced or is not used.",
  })
  changes!: ContactImportFieldChange[];
}

@ObjectType({ description: "The outcome of a contact import or its preview (dryRun): per-row actions and totals." })
export class ContactImportResult {
  @Field(() => Boolean, { description: "True for a preview: nothing was stored." }) dryRun!: boolean;
  @Field(() => ContactImportConflictMode, { description: "The conflict mode the rows were planned with." })
  onConflict!: ContactImportConflictMode;
  @Field(() => String, {
    description:
      "Identifies this plan (its rows and outcomes): pass it as expectedPlanId to import exactly what the preview showed.",
  })
  planId!: string;
  @Field(() => Int, { description: "Rows that create a contact." }) created!: number;
  @Field(() => Int, { description: "Rows merged into an existing contact." }) updated!: number;
  @Field(() => Int, { description: "Rows left unchanged (onConflict SKIP)." }) skipped!: number;
  @Field(() => Int, { description: "Rows refused with an error." }) failed!: number;
  @Field(() => [ContactImportRowResult], {
    description: "One result per input row, in the file's order (for a replayed chunk: the rows refused only).",
  })
  rows!: ContactImportRowResult[];
  @Field(() => Boolean, {
    description:
      "True when this chunk of a chunked import (importId) was committed before: the answer is its recorded outcome, nothing was applied again.",
  })
  replayed!: boolean;
}

@ObjectType({ description: "Issue 52: the progress of an import sent in chunks (importId): what is committed." })
export class ContactImportProgress {
  @Field(() => ID, { description: "The import's id, as the client chose it." }) importId!: string;
  @Field(() => Int, { description: "How many chunks the import has." }) chunks!: number;
  @Field(() => [Int], { description: "The chunks committed, ascending: send the others to finish the import." })
  chunksDone!: number[];
  @Field(() => Int, { description: "Rows of the committed chunks." }) rowsDone!: number;
  @Field(() => Int, { description: "Rows that created a contact, over the committed chunks." }) created!: number;
  @Field(() => Int, { description: "Rows merged into an existing contact." }) updated!: number;
  @Field(() => Int, { description: "Rows left unchanged (onConflict SKIP)." }) skipped!: number;
  @Field(() => Int, { description: "Rows refused with an error." }) failed!: number;
}

/** What the contacts list can be sorted by on the server (issue 48): each has its own keyset and index. */
export enum ContactOrderField {
  CREATED_AT = "CREATED_AT",
  NAME = "NAME",
  EMAIL = "EMAIL",
  PHONE = "PHONE",
}
registerEnumType(ContactOrderField, {
  name: "ContactOrderField",
  description:
    "A column the contacts list can be sorted by. Ties are broken by the contact's id, so every contact appears exactly once across pages.",
  valuesConfig: {
    CREATED_AT: { description: "When the contact was added. CREATED_AT DESC is the default order (newest first)." },
    NAME: {
      description:
        "The contact's name, in a language-neutral alphabetical order (ICU root collation: case and accents matter only between otherwise equal names).",
    },
    EMAIL: { description: "The contact's e-mail address (stored lower-cased); contacts without one come last." },
    PHONE: { description: "The contact's phone number (E.164); contacts without one come last." },
  },
});

@InputType({
  description:
    "An order for the contacts list: a field and a direction. Cursors are made for one order; using one under another is refused (BAD_USER_INPUT, reason CURSOR_ORDER_MISMATCH).",
})
export class ContactOrder {
  @Field(() => ContactOrderField, { description: "The column to sort by." })
  @IsEnum(ContactOrderField)
  field!: ContactOrderField;

  @Field(() => OrderDirection, {
    description: "ASC or DESC; contacts without a value for the field come last either way.",
  })
  @IsEnum(OrderDirection)
  direction!: OrderDirection;
}
