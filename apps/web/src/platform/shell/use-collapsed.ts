import { useCallback, useSyncExternalStore } from "react";

/** Where the sidebar's collapsed state is remembered, per browser (decision 0042). */
export const SIDEBAR_KEY = "atrium.sidebar.collapsed";

const listeners = new Set<() => void>();

function read(): boolean {
  try {
    return window.localStorage.getItem(SIDEBAR_KEY) === "1";
  } catch {
    return false;
  }
}

/** The wide sidebar collapsed to its icons, remembered in localStorage; `toggle` flips it. */
export function useSidebarCollapsed(): [boolean, () => void] {
  const collapsed = useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    read,
    () => false,
  );
  const toggle = useCallback(() => {
    try {
      window.localStorage.setItem(SIDEBAR_KEY, read() ? "0" : "1");
    } catch {
      // Private mode without storage: the choice lasts for this page only.
    }
    for (const listener of listeners) listener();
  }, []);
  return [collapsed, toggle];
}
