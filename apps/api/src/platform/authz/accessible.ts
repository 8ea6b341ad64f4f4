// `accessibleBy` for our abilities: the rules that allow `action` on `subject` as a Prisma
// `where` fragment, so a list returns only rows the ability allows — each rule's conditions
// (`workspaceId`, `humanTakeover`, …) become the filter. Our abilities are CASL Mongo abilities
// with allow-rules only, whose conditions are plain field equalities (see @atrium/policies) and
// therefore valid Prisma `where` objects as they are; @casl/prisma's accessibleBy would need a
// PrismaAbility instead.
import type { Action, AppAbility, SubjectName } from "@atrium/policies";
import { forbidden } from "../errors.ts";

type Where = Record<string, unknown>;

/** The Prisma `where` of the rows `ability` allows; FORBIDDEN when it allows none (fail closed). */
export function accessibleWhere(ability: AppAbility, action: Action, subject: SubjectName): Where {
  const rules = ability.rulesFor(action, subject);
  const or: Where[] = [];
  for (const rule of rules) {
    // Fail closed on anything this translation does not model.
    if (rule.inverted || !rule.conditions || rule.fields) throw forbidden();
    or.push({ ...(rule.conditions as Where) });
  }
  if (or.length === 0) throw forbidden();
  return { AND: [{ OR: or }] };
}
