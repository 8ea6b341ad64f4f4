/**
 * The English texts the first page needs, bundled with the entry (decision 0045): the shell and
 * every platform/ and routes/ text ("common"), the sign-in page ("auth", "sso", "dev-mailbox")
 * and the step-up prompt main.tsx mounts ("step-up"). The other namespaces (./en.ts) arrive with
 * the first lazily loaded page (index.ts `loadTexts`), so the JavaScript before the sign-in form
 * stays within its budget (scripts/check-budget.mjs).
 */
import auth from "./locales/en/auth.json" with { type: "json" };
import common from "./locales/en/common.json" with { type: "json" };
import devMailbox from "./locales/en/dev-mailbox.json" with { type: "json" };
import sso from "./locales/en/sso.json" with { type: "json" };
import stepUp from "./locales/en/step-up.json" with { type: "json" };

export const enInitial = { common, auth, sso, "step-up": stepUp, "dev-mailbox": devMailbox };
