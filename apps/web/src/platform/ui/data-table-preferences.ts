/** What a DataTable remembers per list in localStorage (`atrium.table.<key>.…`): its hidden columns and page size. */
import { type ColumnVisibilityState } from "@tanstack/react-table";
import { useState } from "react";

import { type PageSizeChoice } from "./data-table-types.ts";

const STORAGE_PREFIX = "atrium.table.";

/** The hidden columns remembered for `key` (none when storage is unavailable or holds garbage). */
export function readHiddenColumns(key: string | undefined): ColumnVisibilityState {
  if (key === undefined) return {};
  try {
    const stored: unknown = JSON.parse(window.localStorage.getItem(`${STORAGE_PREFIX}${key}.hidden`) ?? "[]");
    return Array.isArray(stored)
      ? Object.fromEntries(stored.filter((id): id is string => typeof id === "string").map((id) => [id, false]))
      : {};
  } catch {
    return {};
  }
}

export function writeHiddenColumns(key: string, visibility: ColumnVisibilityState): void {
  const hidden = Object.entries(visibility)
    .filter(([, visible]) => !visible)
    .map(([id]) => id);
  try {
    window.localStorage.setItem(`${STORAGE_PREFIX}${key}.hidden`, JSON.stringify(hidden));
  } catch {
    // Storage full or refused (a private window): the choice lasts for this page only.
  }
}

/** A page size remembered per list (`atrium.table.<key>.pageSize`), one of `options`. */
export function usePageSize(key: string, options: readonly number[], fallback: number): PageSizeChoice {
  const [value, setValue] = useState(() => {
    try {
      const stored = Number(window.localStorage.getItem(`${STORAGE_PREFIX}${key}.pageSize`));
      return options.includes(stored) ? stored : fallback;
    } catch {
      return fallback;
    }
  });
  return {
    value,
    options,
    onChange: (size) => {
      setValue(size);
      try {
        window.localStorage.setItem(`${STORAGE_PREFIX}${key}.pageSize`, String(size));
      } catch {
        // As above: this page only.
      }
    },
  };
}
