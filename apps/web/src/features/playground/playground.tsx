/**
 * /playground (SPEC A4): GraphiQL bundled into the app (Monaco and its workers are built by
 * Vite and served from this origin; nothing is loaded from a CDN). Requests go out as the
 * signed-in user with the session cookies and the CSRF header; the current workspace's ID is
 * prefilled in the variables. This module is loaded on demand, so the rest of the app does
 * not carry the editor.
 */
import "graphiql/setup-workers/vite";
import "graphiql/style.css";

import { GraphiQL } from "graphiql";
import { useEffect, useId, useMemo, useRef, useState, type ComponentProps, type RefObject } from "react";
import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router";

import { refreshSession } from "../../platform/apollo.ts";
import { sessionFetch } from "../../platform/csrf.ts";
import { useMe } from "../../platform/session.tsx";
import { useResolvedTheme } from "../../platform/theme-state.ts";
import { Input, SelectInput } from "../../platform/ui/index.ts";
import { errorReasonsPlugin } from "./error-reasons-plugin.tsx";
import { examplesPlugin } from "./examples-plugin.tsx";
import { createPlaygroundFetcher, DEFAULT_PLAYGROUND_QUERY, defaultPlaygroundVariables } from "./fetcher.ts";
import { subscribeOverWebSocket } from "./live.ts";

type Fetcher = ComponentProps<typeof GraphiQL>["fetcher"];

/** GraphiQL's tabs and history live in localStorage under their own prefix. */
const storage: Storage = {
  get length() {
    return localStorage.length;
  },
  clear: () => localStorage.clear(),
  key: (index) => localStorage.key(index),
  getItem: (key) => localStorage.getItem(`atrium-playground:${key}`),
  setItem: (key, value) => localStorage.setItem(`atrium-playground:${key}`, value),
  removeItem: (key) => localStorage.removeItem(`atrium-playground:${key}`),
};

/**
 * GraphiQL 5.4 (@graphiql/react's Tab) puts role="tab" on the <li> around the tab's button — and,
 * with several tabs, its close button: interactive controls inside a tab, which assistive
 * technology cannot reach as such (axe nested-interactive). No prop changes that markup, so once
 * rendered the strip is exposed as what it works like: a list (still named "Select active
 * operation") of buttons, the current one marked aria-current, and the editor below it a region
 * named by that button. A MutationObserver keeps it so: React sets aria-selected again when the
 * tab changes, and new tabs arrive with the old roles. Idempotent, so its own changes settle.
 */
function useTabStripAsButtons(container: RefObject<HTMLElement | null>): void {
  useEffect(() => {
    const root = container.current;
    if (root === null) return;
    const apply = () => {
      for (const list of root.querySelectorAll('ul[role="tablist"]')) list.removeAttribute("role");
      for (const tab of root.querySelectorAll("li.graphiql-tab")) {
        if (tab.hasAttribute("role")) tab.removeAttribute("role");
        if (tab.hasAttribute("aria-selected")) tab.removeAttribute("aria-selected");
        const button = tab.querySelector(".graphiql-tab-button");
        const current = tab.classList.contains("graphiql-tab-active");
        if (button !== null && button.hasAttribute("aria-current") !== current) {
          if (current) button.setAttribute("aria-current", "true");
          else button.removeAttribute("aria-current");
        }
      }
      root.querySelector('[role="tabpanel"]')?.setAttribute("role", "region");
    };
    apply();
    const observer = new MutationObserver(apply);
    observer.observe(root, {
      subtree: true,
      childList: true,
      attributes: true,
      attributeFilter: ["role", "aria-selected", "class"],
    });
    return () => observer.disconnect();
  }, [container]);
}

export default function Playground() {
  const { t } = useTranslation("playground");
  const me = useMe();
  const [searchParams, setSearchParams] = useSearchParams();
  const requested = searchParams.get("workspace");
  const memberships = me.memberships;
  const current = memberships.find((membership) => membership.workspace.slug === requested) ?? memberships[0];
  const workspace = current?.workspace;

  // Trying an API key (issue 51): typed here (never stored), or an Authorization header in the
  // headers editor; either sends the requests as the key alone.
  const [apiKey, setApiKey] = useState("");
  const latestKey = useRef(apiKey);
  useEffect(() => {
    latestKey.current = apiKey;
  });
  const keyId = useId();
  const fetcher = useMemo(
    () =>
      createPlaygroundFetcher({
        fetch: sessionFetch,
        refreshSession,
        subscribe: subscribeOverWebSocket,
        apiKey: () => latestKey.current,
      }) as unknown as Fetcher,
    [],
  );
  const plugins = useMemo(
    () => [examplesPlugin(t("examples.title"), workspace?.id), errorReasonsPlugin(t("reasons.title"))],
    [t, workspace?.id],
  );
  // GraphiQL follows the app's theme (decision 0040): the person's choice, or the system's under
  // "System", live. GraphiQL reads it once, when it mounts; switched later, Monaco would keep the
  // other theme (light tokens on a dark panel, 2.9:1) — `forcedTheme` keeps both in step.
  const scheme = useResolvedTheme();
  const editor = useRef<HTMLDivElement>(null);
  useTabStripAsButtons(editor);

  return (
    <section className="playground">
      <title>{t("page.documentTitle")}</title>
      <div className="toolbar">
        <h1 className="playground__title">{t("page.title")}</h1>
        <span className="muted">{t("page.signedInAs", { email: me.email })}</span>
        <span className="toolbar__spacer" />
        {memberships.length > 0 && (
          <label className="toolbar__field">
            <span>{t("page.workspace")}</span>
            <SelectInput
              aria-label={t("page.workspaceLabel")}
              value={workspace?.slug ?? ""}
              onChange={(event) => setSearchParams({ workspace: event.target.value }, { replace: true })}
            >
              {memberships.map((membership) => (
                <option key={membership.workspace.id} value={membership.workspace.slug}>
                  {membership.workspace.name}
                </option>
              ))}
            </SelectInput>
          </label>
        )}
        {workspace !== undefined && (
          <span className="muted" data-testid="playground-workspace-id">
            {t("page.id")} <code>{workspace.id}</code>
          </span>
        )}
        {workspace !== undefined && <Link to={`/w/${workspace.slug}/api-keys`}>{t("page.apiKeys")}</Link>}
        <label className="toolbar__field" htmlFor={keyId}>
          <span>{t("page.runAs")}</span>
          <Input
            id={keyId}
            type="password"
            autoComplete="off"
            spellCheck={false}
            placeholder={t("page.apiKeyPlaceholder")}
            aria-describedby={`${keyId}-hint`}
            value={apiKey}
            onChange={(event) => setApiKey(event.target.value)}
          />
        </label>
        <span id={`${keyId}-hint`} className="muted" data-testid="playground-principal">
          {apiKey.trim() === "" ? t("page.asYourself") : t("page.asKey")}
        </span>
      </div>
      {workspace === undefined && <p className="note">{t("page.noWorkspace")}</p>}
      <div className="playground__editor" ref={editor}>
        <GraphiQL
          // A new workspace starts a fresh editor with that workspace's ID in the variables.
          key={workspace?.id ?? "none"}
          fetcher={fetcher}
          storage={storage}
          defaultQuery={DEFAULT_PLAYGROUND_QUERY}
          initialQuery={DEFAULT_PLAYGROUND_QUERY}
          initialVariables={defaultPlaygroundVariables(workspace?.id)}
          defaultEditorToolsVisibility="variables"
          isHeadersEditorEnabled
          // Headers may hold an API key: kept for the tab, never written to localStorage.
          shouldPersistHeaders={false}
          plugins={plugins}
          forcedTheme={scheme}
        />
      </div>
    </section>
  );
}
