/**
 * @atrium/validation — what the API and the web app both say about input (issue 10, decision
 * 0020): the Contract's error codes and the reasons beside them (issue 51), and zod schemas with their messages for the fields and forms
 * they share. Built on `zod/mini` (small in the browser bundle); environment-neutral, so Vite
 * bundles it as-is and the API imports it as TypeScript source.
 */
export * from "./error-codes.ts";
export * from "./error-reasons.ts";
export * from "./error-reasons-doc.ts";
export * from "./problems.ts";
export * from "./email.ts";
export * from "./phone.ts";
export * from "./slug.ts";
export * from "./fields.ts";
export * from "./webhooks.ts";
export * from "./integrations.ts";
export * from "./forms.ts";
export * from "./sign-in-factor.ts";
export * from "./csv.ts";
export * from "./safety.ts";
export * from "./whatsapp.ts";
export * from "./agent.ts";
export * from "./preferences.ts";
export * from "./sso.ts";
export * from "./account.ts";
export * from "./messages.ts";
export * from "./persisted-documents.ts";
