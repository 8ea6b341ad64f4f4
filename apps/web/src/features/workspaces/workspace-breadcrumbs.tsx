import { ChevronRight } from "lucide-react";
import { Fragment } from "react";
import { Link, useLocation } from "react-router";
import { WORKSPACE_SECTIONS } from "./workspace-sections.ts";

interface Crumb {
  readonly label: string;
  readonly to?: string;
}

/** Deeper pages below a section, by their path segment after it. */
const DETAIL_LABELS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  leads: { "*": "Lead" },
  conversations: { "*": "Conversation" },
  settings: { "whatsapp-templates": "WhatsApp templates" },
};

/** The trail of a path below /w/:slug (exported for its test). */
export function crumbsFor(pathname: string, slug: string, name: string): Crumb[] {
  const base = `/w/${slug}`;
  const rest = pathname.startsWith(base) ? pathname.slice(base.length).split("/").filter(Boolean) : [];
  const crumbs: Crumb[] = [{ label: "Workspaces", to: "/" }, { label: name, to: base }];
  const [sectionPath, detail] = rest;
  const section = WORKSPACE_SECTIONS.find((candidate) => candidate.path === sectionPath);
  if (section === undefined) return crumbs;
  crumbs.push({ label: section.label, to: `${base}/${section.path}` });
  if (detail !== undefined) {
    const labels = DETAIL_LABELS[section.path];
    const label = labels?.[detail] ?? labels?.["*"];
    if (label !== undefined) crumbs.push({ label });
  }
  return crumbs;
}

/**
 * Breadcrumbs on workspace pages (issue 48): Workspaces › the workspace › the section › the record.
 * The last is the current page (aria-current), the rest are links.
 */
export function WorkspaceBreadcrumbs({ slug, name }: { readonly slug: string; readonly name: string }) {
  const { pathname } = useLocation();
  const crumbs = crumbsFor(pathname, slug, name);
  return (
    <nav aria-label="Breadcrumb" className="breadcrumbs">
      <ol>
        {crumbs.map((crumb, index) => {
          const last = index === crumbs.length - 1;
          return (
            <Fragment key={`${crumb.label}-${index}`}>
              <li>
                {last || crumb.to === undefined ? (
                  <span aria-current={last ? "page" : undefined}>{crumb.label}</span>
                ) : (
                  <Link to={crumb.to}>{crumb.label}</Link>
                )}
                {!last && <ChevronRight className="icon breadcrumbs__sep" width={14} height={14} aria-hidden="true" focusable="false" />}
              </li>
            </Fragment>
          );
        })}
      </ol>
    </nav>
  );
}
