import type { ApolloClient } from "@apollo/client";
import { useQuery } from "@apollo/client/react";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { Link, Outlet, useOutletContext, useParams } from "react-router";

import { type WorkspaceHomeQuery } from "../../gql/graphql.ts";
import { AbilityContext, abilityFromPacked } from "../../platform/ability.tsx";
import { describeError, errorCode } from "../../platform/errors.ts";
import { Page } from "../../platform/page.tsx";
import { useSidebarCollapsed } from "../../platform/shell/use-collapsed.ts";
import { Button } from "../../platform/ui/index.ts";
import { WorkspaceHomeDocument } from "./operations.ts";
import { WorkspaceBreadcrumbs } from "./workspace-breadcrumbs.tsx";
import { WorkspaceSidebar } from "./workspace-sidebar.tsx";

export type CurrentWorkspace = WorkspaceHomeQuery["workspace"];

/**
 * The shell's query for `slug`, asked at load by routes/router.tsx (`preloadWorkspaceRoute`) as
 * soon as this chunk is there, beside `me`, so the shell finds it answered (or in flight: the same
 * request) when it mounts. `preload` (platform/apollo.ts): an expired session is left to `me`.
 */
export function preloadWorkspace(client: ApolloClient, slug: string): void {
  void client
    .query({ query: WorkspaceHomeDocument, variables: { slug }, context: { preload: true } })
    .catch(() => undefined);
}

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
  const { t } = useTranslation("workspaces");
  const { slug = "" } = useParams();
  const { data, loading, error, refetch } = useQuery(WorkspaceHomeDocument, { variables: { slug } });
  const workspace = data?.workspace;
  const ability = useMemo(() => abilityFromPacked(workspace?.permissions ?? "[]"), [workspace?.permissions]);
  const [collapsed] = useSidebarCollapsed();

  if (loading && workspace === undefined) {
    // The wait has a document title too (behind the step-up prompt, it can last).
    return (
      <>
        <title>{t("shell.loadingTitle")}</title>
        <p className="page-status">{t("shell.loading")}</p>
      </>
    );
  }
  if (error !== undefined || workspace === undefined) {
    if (errorCode(error) === "NOT_FOUND") {
      return (
        <Page title={t("shell.notFound")}>
          <p>{t("shell.notFoundBody", { slug })}</p>
          <Link to="/">{t("shell.back")}</Link>
        </Page>
      );
    }
    return (
      <section className="page" role="alert">
        <p>{describeError(error).message}</p>
        <Button variant="bare" onClick={() => void refetch()}>
          {t("shell.tryAgain")}
        </Button>
      </section>
    );
  }

  return (
    <AbilityContext.Provider value={ability}>
      <div className="workspace" data-sidebar-collapsed={collapsed ? "" : undefined}>
        <aside className="workspace__sidebar">
          <div className="workspace__identity">
            <Link to={`/w/${workspace.slug}`} className="workspace__name">
              {workspace.name}
            </Link>
            <p className="card__meta">
              <span className="badge">{t(`channels.${workspace.channel}`)}</span>
              <span className="badge">{t(`environments.${workspace.environment}`)}</span>
              <span className="badge badge--muted">{t(`roles.${workspace.myRole}`)}</span>
              {workspace.agentPaused && (
                <span
                  className="badge badge--warning"
                  data-testid="agent-paused-badge"
                  title={t("shell.agentPausedTitle")}
                >
                  {t("shell.agentPaused")}
                </span>
              )}
            </p>
          </div>
          <WorkspaceSidebar slug={workspace.slug} workspaceId={workspace.id} />
        </aside>
        <div className="workspace__content">
          <WorkspaceBreadcrumbs slug={workspace.slug} name={workspace.name} />
          <Outlet context={workspace} />
        </div>
      </div>
    </AbilityContext.Provider>
  );
}
