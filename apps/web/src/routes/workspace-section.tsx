import { AuditLog } from "../features/audit/audit-log.tsx";
import { MembersPage } from "../features/members/members-page.tsx";
import { type WorkspaceSectionPath, findSection } from "../features/workspaces/workspace-sections.ts";
import { useCurrentWorkspace } from "../features/workspaces/workspace-shell.tsx";
import { useAbility } from "../platform/ability.tsx";
import { Page } from "../platform/page.tsx";

/**
 * One workspace section. Opening a section's URL directly does not bypass the navigation
 * rule: without the ability the page says so (and the API would refuse the data anyway).
 */
export function WorkspaceSectionPage({ path }: { path: WorkspaceSectionPath }) {
  const workspace = useCurrentWorkspace();
  const ability = useAbility();
  const section = findSection(path);
  if (!section.allowed(ability)) {
    return (
      <Page title={section.label}>
        <p role="alert">You don&apos;t have access to {section.label.toLowerCase()} in this workspace.</p>
      </Page>
    );
  }
  return (
    <Page title={section.label}>
      {path === "audit-log" ? (
        <AuditLog workspaceId={workspace.id} />
      ) : path === "members" ? (
        <MembersPage workspace={workspace} />
      ) : (
        <p className="muted">Coming soon.</p>
      )}
    </Page>
  );
}
