import { useQuery } from "@apollo/client/react";
import { useMemo } from "react";
import { Link, NavLink, Outlet, useOutletContext, useParams } from "react-router";
import { type WorkspaceHomeQuery } from "../../gql/graphql.ts";
import { AbilityContext, abilityFromPacked } from "../../platform/ability.tsx";
import { describeError, errorCode } from "../../platform/errors.ts";
import { Page } from "../../platform/page.tsx";
import { NavMenuRegion } from "../../platform/ui/index.ts";
import { CHANNEL_LABELS, ENVIRONMENT_LABELS, ROLE_LABELS } from "./labels.ts";
import { WorkspaceHomeDocument } from "./operations.ts";
import { visibleSections } from "./workspace-sections.ts";

export type CurrentWorkspace = WorkspaceHomeQuery["workspace"];

/** For pages below the workspace shell: the workspace they belong to. */
export function useCurrentWorkspace(): CurrentWorkspace {
  return useOutletContext<CurrentWorkspace>();
}

/**
 * /w/:slug — loads the workspace, rebuilds the user's ability in it, and shows only the
 * sections that ability allows. A workspace the user is not a member of is NOT_FOUND, the
 * same as one that does not exist (SPEC S1).
 */
export function WorkspaceShell() {
  const { slug = "" } = useParams();
  const { data, loading, error, refetch } = useQuery(WorkspaceHomeDocument, { variables: { slug } });
  const workspace = data?.workspace;
  const ability = useMemo(() => abilityFromPacked(workspace?.permissions ?? "[]"), [workspace?.permissions]);

  if (loading && workspace === undefined) {
    // The wait has a document title too (behind the step-up prompt, it can last).
    return (
      <>
        <title>Loading · Atrium</title>
        <p className="page-status">Loading workspace…</p>
      </>
    );
  }
  if (error !== undefined || workspace === undefined) {
    if (errorCode(error) === "NOT_FOUND") {
      return (
        <Page title="Workspace not found">
          <p>There is no workspace at /w/{slug}, or you are not a member of it.</p>
          <Link to="/">Back to your workspaces</Link>
        </Page>
      );
    }
    return (
      <section className="page" role="alert">
        <p>{describeError(error).message}</p>
        <button type="button" onClick={() => void refetch()}>
          Try again
        </button>
      </section>
    );
  }

  const sections = visibleSections(ability);
  return (
    <AbilityContext.Provider value={ability}>
      <div className="workspace">
        <aside className="workspace__sidebar">
          <div className="workspace__identity">
            <Link to={`/w/${workspace.slug}`} className="workspace__name">
              {workspace.name}
            </Link>
            <p className="card__meta">
              <span className="badge">{CHANNEL_LABELS[workspace.channel]}</span>
              <span className="badge">{ENVIRONMENT_LABELS[workspace.environment]}</span>
              <span className="badge badge--muted">{ROLE_LABELS[workspace.myRole]}</span>
              {workspace.agentPaused && (
                <span className="badge badge--warning" data-testid="agent-paused-badge" title="Leads still arrive; nothing is sent.">
                  Agent paused
                </span>
              )}
            </p>
          </div>
          {/* On a phone the sections fold into the top bar's menu, so the page starts on the first screen. */}
          <NavMenuRegion id="workspace-nav">
            <nav aria-label="Workspace">
              <ul className="workspace__nav">
                <li>
                  <NavLink to={`/w/${workspace.slug}`} end>
                    Overview
                  </NavLink>
                </li>
                {sections.map((section) => (
                  <li key={section.path}>
                    <NavLink to={`/w/${workspace.slug}/${section.path}`}>{section.label}</NavLink>
                  </li>
                ))}
              </ul>
            </nav>
          </NavMenuRegion>
        </aside>
        <div className="workspace__content">
          <Outlet context={workspace} />
        </div>
      </div>
    </AbilityContext.Provider>
  );
}
