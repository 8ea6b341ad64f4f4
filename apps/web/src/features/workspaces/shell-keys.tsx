/**
 * The shell's keyboard layer (issue 48, decision 0042), loaded with the first signed-in page: ⌘K /
 * Ctrl+K opens the command palette (its own lazy chunk, cmdk), "g" then a letter goes to a section
 * the viewer may open, "?" lists the shortcuts. The handler (platform/shell/shortcuts.ts) never
 * acts while the reader types or a dialog is open.
 */
import { useQuery } from "@apollo/client/react";
import { createMongoAbility } from "@casl/ability";
import { lazy, Suspense, useEffect, useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { useLocation, useMatch, useNavigate } from "react-router";

import { type AppAbility } from "@atrium/policies";

import { abilityFromPacked } from "../../platform/ability.tsx";
import { useMe } from "../../platform/session.tsx";
import { createShortcutHandler, type ShortcutBinding } from "../../platform/shell/shortcuts.ts";
import { Dialog } from "../../platform/ui/index.ts";
import { WorkspaceHomeDocument } from "./operations.ts";
import { SECTION_KEYS, shellPages, type ShellAction } from "./shell-commands.ts";

const CommandPalette = lazy(() => import("./command-palette.tsx").then((m) => ({ default: m.CommandPalette })));

const NO_ABILITY = createMongoAbility<AppAbility>([]);
/** How long an action waits for its page to show the button that opens its form. */
const ACTION_WAIT_MS = 5_000;

/** The viewer's ability in the workspace of the URL (the shell's own query, from the cache). */
function useShellAbility(slug: string | undefined): AppAbility {
  const { data } = useQuery(WorkspaceHomeDocument, {
    variables: { slug: slug ?? "" },
    skip: slug === undefined,
    fetchPolicy: "cache-first",
  });
  const packed = slug === undefined ? undefined : data?.workspace.permissions;
  return useMemo(() => (packed === undefined ? NO_ABILITY : abilityFromPacked(packed)), [packed]);
}

/**
 * Clicks the page's own button for an action once it is shown (or gives up quietly): the button
 * with the English text `opens` matches, or reading the action's label in the current language.
 */
function clickWhenShown(opens: RegExp, label: string): () => void {
  const started = Date.now();
  let frame = 0;
  const look = () => {
    const button = Array.from(document.querySelectorAll<HTMLButtonElement>("main button")).find((b) => {
      const text = b.textContent?.trim() ?? "";
      return (opens.test(text) || text === label) && !b.disabled;
    });
    if (button) button.click();
    else if (Date.now() - started < ACTION_WAIT_MS) frame = requestAnimationFrame(look);
  };
  frame = requestAnimationFrame(look);
  return () => cancelAnimationFrame(frame);
}

export function ShellKeys() {
  const { t } = useTranslation("workspaces");
  const me = useMe();
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const slug = useMatch("/w/:slug/*")?.params.slug;
  const ability = useShellAbility(slug);
  const [palette, setPalette] = useState(false);
  const [help, setHelp] = useState(false);
  const [pendingAction, setPendingAction] = useState<ShellAction | null>(null);

  const bindings = useMemo<ShortcutBinding[]>(() => {
    const list: ShortcutBinding[] = [];
    for (const page of shellPages(slug, ability, me.globalRole === "ADMIN", t)) {
      const key =
        page.group === "Workspace"
          ? SECTION_KEYS[page.section ?? (page.id === "overview" ? "overview" : ("" as never))]
          : undefined;
      if (key !== undefined) list.push({ keys: ["g", key], label: page.label, run: () => void navigate(page.to) });
    }
    list.push({ keys: ["g", "w"], label: t("pages.workspaces"), run: () => void navigate("/") });
    list.push({ keys: ["?"], label: t("shortcuts.title"), run: () => setHelp(true) });
    return list;
  }, [slug, ability, me.globalRole, navigate, t]);

  const latest = useRef(bindings);
  useEffect(() => {
    latest.current = bindings;
  });
  useEffect(() => {
    const handle = createShortcutHandler({ bindings: () => latest.current, openPalette: () => setPalette(true) });
    const listener = (event: KeyboardEvent) => void handle(event);
    window.addEventListener("keydown", listener);
    return () => window.removeEventListener("keydown", listener);
  }, []);

  // An action from the palette: on its page, the page's own button opens the form.
  // (The wait is stopped by a newer action or on unmount, not by this state being cleared.)
  const stopWaiting = useRef<() => void>(() => undefined);
  useEffect(() => () => stopWaiting.current(), []);
  useEffect(() => {
    if (pendingAction === null || pathname !== pendingAction.to.split("?")[0]) return;
    stopWaiting.current();
    stopWaiting.current = clickWhenShown(pendingAction.opens, pendingAction.label);
    setPendingAction(null);
  }, [pendingAction, pathname]);

  return (
    <>
      {palette && (
        <Suspense fallback={null}>
          <CommandPalette
            slug={slug}
            workspaceId={me.memberships.find((m) => m.workspace.slug === slug)?.workspace.id}
            ability={ability}
            admin={me.globalRole === "ADMIN"}
            workspaces={me.memberships.map((m) => m.workspace)}
            onClose={() => setPalette(false)}
            onNavigate={(to) => {
              setPalette(false);
              void navigate(to);
            }}
            onAction={(action) => {
              setPalette(false);
              setPendingAction(action);
              void navigate(action.to);
            }}
          />
        </Suspense>
      )}
      {help && (
        <Dialog title={t("shortcuts.title")} onClose={() => setHelp(false)}>
          <dl className="shortcut-list" data-testid="shortcut-list">
            <div>
              <dt>
                <kbd>{t("shortcuts.ctrl")}</kbd> / <kbd>{t("shortcuts.cmd")}</kbd> + <kbd>K</kbd>
              </dt>
              <dd>{t("shortcuts.openPalette")}</dd>
            </div>
            {bindings.map((binding) => (
              <div key={binding.keys.join(" ")}>
                <dt>
                  {binding.keys.map((k, i) => (
                    <span key={k + String(i)}>
                      {i > 0 && ` ${t("shortcuts.then")} `}
                      <kbd>{k}</kbd>
                    </span>
                  ))}
                </dt>
                <dd>{binding.keys[0] === "g" ? t("shortcuts.goTo", { page: binding.label }) : binding.label}</dd>
              </div>
            ))}
          </dl>
          <p className="muted">{t("shortcuts.note")}</p>
        </Dialog>
      )}
    </>
  );
}
