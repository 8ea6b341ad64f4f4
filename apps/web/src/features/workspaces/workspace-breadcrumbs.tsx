import { type TFunction } from "i18next";
import { ChevronRight } from "lucide-react";
import { Fragment } from "react";
import { useTranslation } from "react-i18next";
import { Link, useLocation } from "react-router";

import { sectionLabel, WORKSPACE_SECTIONS } from "./workspace-sections.ts";

interface Crumb {
  readonly label: string;
  readonly to?: string;
}

type DetailKey = "lead" | "contact" | "conversation" | "whatsappTemplates";

/** Deeper pages below a section, by their path segment after it: the workspaces namespace's `crumbs.<key>`. */
const DETAIL_LABELS: Readonly<Record<string, Readonly<Record<string, DetailKey>>>> = {
  leads: { "*": "lead" },
  contacts: { "*": "contact" },
  conversations: { "*": "conversation" },
  settings: { "whatsapp-templates": "whatsappTemplates" },
};

/** The trail of a path below /w/:slug, in the current language (exported for its test). */
export function crumbsFor(pathname: string, slug: string, name: string, t: TFunction<"workspaces">): Crumb[] {
  const base = `/w/${slug}`;
  const rest = pathname.startsWith(base) ? pathname.slice(base.length).split("/").filter(Boolean) : [];
  const crumbs: Crumb[] = [
    { label: t("crumbs.workspaces"), to: "/" },
    { label: name, to: base },
  ];
  const [sectionPath, detail] = rest;
  const section = WORKSPACE_SECTIONS.find((candidate) => candidate.path === sectionPath);
  if (section === undefined) return crumbs;
  crumbs.push({ label: sectionLabel(section.path, t), to: `${base}/${section.path}` });
  if (detail !== undefined) {
    const labels = DETAIL_LABELS[section.path];
    const key = labels?.[detail] ?? labels?.["*"];
    if (key !== undefined) crumbs.push({ label: t(`crumbs.${key}`) });
  }
  return crumbs;
}

/**
 * Breadcrumbs on workspace pages (issue 48): Workspaces › the workspace › the section › the record.
 * The last is the current page (aria-current), the rest are links.
 */
export function WorkspaceBreadcrumbs({ slug, name }: { readonly slug: string; readonly name: string }) {
  const { t } = useTranslation("workspaces");
  const { pathname } = useLocation();
  const crumbs = crumbsFor(pathname, slug, name, t);
  return (
    <nav aria-label={t("crumbs.label")} className="breadcrumbs">
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
                {!last && (
                  <ChevronRight
                    className="icon breadcrumbs__sep"
                    width={14}
                    height={14}
                    aria-hidden="true"
                    focusable="false"
                  />
                )}
              </li>
            </Fragment>
          );
        })}
      </ol>
    </nav>
  );
}
