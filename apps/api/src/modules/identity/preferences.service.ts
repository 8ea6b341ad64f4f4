// A user's own preferences (issue 48, decision 0040): read and written by the user themselves,
// through the tenant client (users_update_self: RLS lets a user update only their own row; the
// app role may write only `theme` and `locale` of it, and `name`).
import type { Db, TenantTx } from "@atrium/db";
import { isThemeChoice, type ThemeChoice } from "@atrium/validation";

import { inTenant, type Caller } from "../../platform/data.ts";
import { badInput } from "../../platform/errors.ts";
import { preferencesRepository as repo } from "./preferences.repository.ts";

export interface Preferences {
  theme: ThemeChoice;
  locale: string | null;
}

export interface PreferencesChange {
  /** Undefined: unchanged. */
  theme?: ThemeChoice;
  /** Undefined: unchanged; null: follow the browser. */
  locale?: string | null;
}

async function read(tx: TenantTx, userId: string): Promise<Preferences | null> {
  const row = await repo.read(tx, userId);
  if (!row) return null;
  // The column's CHECK allows only the three; anything else reads as the default.
  return { theme: isThemeChoice(row.theme) ? row.theme : "system", locale: row.locale };
}

export function createPreferencesService({ db }: { db: Db }) {
  return {
    /** The user's preferences (null: no such user, or not visible to the caller). */
    async get(userId: string, caller: Caller): Promise<Preferences | null> {
      return inTenant(db, caller, { userId }, (tx) => read(tx, userId));
    },

    /** Changes the signed-in user's own preferences; what was left out stays as it was. */
    async update(userId: string, change: PreferencesChange, caller: Caller): Promise<Preferences> {
      return inTenant(db, caller, { userId }, async (tx) => {
        const data: { theme?: string; locale?: string | null } = {};
        if (change.theme !== undefined) data.theme = change.theme;
        if (change.locale !== undefined) data.locale = change.locale;
        const changed = await repo.write(tx, userId, data);
        const after = changed === 1 ? await read(tx, userId) : null;
        if (!after) throw badInput("Your account could not be found.", { user: "missing" });
        return after;
      });
    },
  };
}

export type PreferencesService = ReturnType<typeof createPreferencesService>;
