/**
 * The shell's keyboard layer (issue 48, decision 0042), loaded with the first signed-in page: ⌘K /
 * Ctrl+K opens the command palette (its own lazy chunk, cmdk), "g" then a letter goes to a section
 * the viewer may open, "?" lists the shortcuts. The handler (platform/shell/shortcuts.ts) never
 * acts while the reader types or a dialog is open.
 */
import { useQuery } from "@apollo/client/react";
import { createMongoAbility } from "@casl/ability";
import { type AppAbility } from "@atrium/policies";
import { Suspense, lazy, useEffect, useMemo, useRef, useState } from "react";
import { useLocation, useMatch, useNavigate } from "react-router";
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
  const { data } = useQuery(WorkspaceHomeDocument, { variables: { slug: slug ?? "" }, skip: slug === undefined, fetchPolicy: "cache-first" });
  const packed = slug === undefined ? undefined : data?.workspace.permissions;
  return useMemo(() => (packed === undefined ? NO_ABILITY : abilityFromPacked(packed)), [packed]);
}

/** Clicks the page's own button for an action once it is shown (or gives up quietly). */
function clickWhenShown(opens: RegExp): () => void {
  const started = Date.now();
  let frame = 0;
  const look = () => {
    const button = Array.from(document.querySelectorAll<HTMLButtonElement>("main button")).find((b) => opens.test(b.textContent?.trim() ?? "") && !b.disabled);
    if (button) button.click();
    else if (Date.now() - started < ACTION_WAIT_MS) frame = requestAnimationFrame(look);
  };
  frame = requestAnimationFrame(look);
  return () => cancelAnimationFrame(frame);
}

export function ShellKeys() {
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
    for (const page of shellPages(slug, ability, me.globalRole === "ADMIN")) {
      const key = page.group === "Workspace" ? SECTION_KEYS[page.section ?? (page.id === "overview" ? "overview" : ("" as never))] : undefined;
      if (key !== undefined) list.push({ keys: ["g", key], label: page.label, run: () => void navigate(page.to) });
    }
    list.push({ keys: ["g", "w"], label: "Your workspaces", run: () => void navigate("/") });
    list.push({ keys: ["?"], label: "Keyboard shortcuts", run: () => setHelp(true) });
    return list;
  }, [slug, ability, me.globalRole, navigate]);

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
    stopWaiting.current = clickWhenShown(pendingAction.opens);
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
        <Dialog title="Keyboard shortcuts" onClose={() => setHelp(false)}>
          <dl className="shortcut-list" data-testid="shortcut-list">
            <div>
              <dt>
                <kbd>Ctrl</kbd> / <kbd>⌘</kbd> + <kbd>K</kbd>
              </dt>
              <dd>Open the command palette</dd>
            </div>
            {bindings.map((binding) => (
              <div key={binding.keys.join(" ")}>
                <dt>
                  {binding.keys.map((k, i) => (
                    <span key={k + String(i)}>
                      {i > 0 && " then "}
                      <kbd>{k}</kbd>
                    </span>
                  ))}
                </dt>
                <dd>{binding.keys[0] === "g" ? `Go to ${binding.label}` : binding.label}</dd>
              </div>
            ))}
          </dl>
          <p className="muted">Shortcuts do nothing while you type in a field or a dialog is open.</p>
        </Dialog>
      )}
    </>
  );
}
