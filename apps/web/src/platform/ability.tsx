/**
 * The signed-in user's ability in the current workspace, rebuilt from the packed CASL rules
 * the API sends (`Workspace.permissions`) with the same factory the API uses. The web app
 * only hides what the API would refuse; the API checks every operation again.
 */
import { createMongoAbility } from "@casl/ability";
import { createContext, useContext } from "react";

import { unpackAbility, type AppAbility } from "@atrium/policies";

/** Fail closed: rules that cannot be read grant nothing. */
export function abilityFromPacked(packed: string): AppAbility {
  try {
    return unpackAbility(packed);
  } catch {
    return createMongoAbility<AppAbility>([]);
  }
}

export const AbilityContext = createContext<AppAbility>(createMongoAbility<AppAbility>([]));

export function useAbility(): AppAbility {
  return useContext(AbilityContext);
}
