/**
 * Persisted documents an integrator registers for its workspace (issue 51): the limits the API
 * enforces and documents in the schema, shared with the web app.
 */

/** A name: 1–100 characters of letters, digits, `.`, `_` and `-` (for example `submit-lead.v2`). */
export const PERSISTED_DOCUMENT_NAME_MAX = 100;
export const PERSISTED_DOCUMENT_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
/** A document's text, at most this many characters (the limit of every text argument). */
export const PERSISTED_DOCUMENT_MAX = 10_000;
/** Registered documents per workspace. */
export const PERSISTED_DOCUMENTS_PER_WORKSPACE = 200;
