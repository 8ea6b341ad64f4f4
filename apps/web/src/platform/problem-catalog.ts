/**
 * @atrium/validation's message catalog for `translateProblem` (platform/problems.ts), in a module
 * of its own so that only the chunk of a language other than English imports it (i18n/es.ts): the
 * catalog reaches every schema module of the package, which the sign-in page does not need.
 */
import { fillTemplate, messageRecogniser, recogniseValidationMessage, VALIDATION_MESSAGES } from "@atrium/validation";

import { type ProblemCatalog } from "./problems.ts";

export const problemCatalog: ProblemCatalog = {
  messages: VALIDATION_MESSAGES,
  recogniseEnglish: recogniseValidationMessage,
  recogniser: messageRecogniser,
  fill: fillTemplate,
};
