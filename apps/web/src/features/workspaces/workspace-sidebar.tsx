import {
  BarChart3,
  CalendarDays,
  ClipboardCheck,
  Contact,
  Gauge,
  House,
  Inbox,
  KeyRound,
  Megaphone,
  PanelLeftClose,
  PanelLeftOpen,
  Phone,
  ScrollText,
  Settings,
  ShieldAlert,
  UserRound,
  Users,
  Webhook,
  type LucideIcon,
} from "lucide-react";
import { useTranslation } from "react-i18next";
import { NavLink } from "react-router";

import { useAbility } from "../../platform/ability.tsx";
import { formatTotal } from "../../platform/format.ts";
import { useSidebarCollapsed } from "../../platform/shell/use-collapsed.ts";
import { Button, NavMenuRegion } from "../../platform/ui/index.ts";
import { useShellCounts, type ShellCount, type ShellCounts } from "./shell-counts.ts";
import { sectionLabel, visibleSections, type WorkspaceSectionPath } from "./workspace-sections.ts";

/** One icon per section (lucide-react, the app's one icon set); decoration beside the label. */
export const SECTION_ICONS: Readonly<Record<WorkspaceSectionPath, LucideIcon>> = {
  leads: UserRound,
  contacts: Contact,
  conversations: Inbox,
  review: ClipboardCheck,
  bookings: CalendarDays,
  campaigns: Megaphone,
  analytics: BarChart3,
  "phone-numbers": Phone,
  webhooks: Webhook,
  safety: ShieldAlert,
  usage: Gauge,
  members: Users,
  "api-keys": KeyRound,
  settings: Settings,
  "audit-log": ScrollText,
};

/**
 * A section's count: the badge inside its link (hidden from assistive technology) and, beside the
 * link, the words its `aria-describedby` reads ("3 unassigned"), so the link's name stays the
 * section's name ("Inbox") whatever the count.
 */
function Count({ value, testId }: { readonly value: ShellCount | null; readonly testId: string }) {
  if (value === null) return null;
  return (
    <span
      className="shell-count"
      data-testid={testId}
      data-zero={value.totalCount === 0 ? "" : undefined}
      aria-hidden="true"
    >
      {value.totalCount > 99 ? "99+" : value.totalCount}
    </span>
  );
}
function CountWords({
  id,
  value,
  kind,
}: {
  readonly id: string;
  readonly value: ShellCount | null;
  readonly kind: "unassigned" | "open";
}) {
  const { t } = useTranslation("workspaces");
  if (value === null) return null;
  return (
    <span id={id} className="visually-hidden">
      {t(`sidebar.${kind}`, { count: value.totalCount, amount: formatTotal(value) })}
    </span>
  );
}

/** The id of the words beside a section's count, when it shows one. */
function countWordsId(path: WorkspaceSectionPath, counts: ShellCounts): string | undefined {
  if (path === "conversations" && counts.unassigned !== null) return "count-unassigned-words";
  if (path === "review" && counts.review !== null) return "count-review-words";
  return undefined;
}

/**
 * The workspace's sections as a sidebar with icons and counts (issue 48): collapsible to its icons
 * on a wide screen (remembered in this browser), folded behind the top bar's Menu button on a phone.
 */
export function WorkspaceSidebar({ slug, workspaceId }: { readonly slug: string; readonly workspaceId: string }) {
  const { t } = useTranslation("workspaces");
  const ability = useAbility();
  const sections = visibleSections(ability);
  const counts = useShellCounts(workspaceId);
  const [collapsed, toggle] = useSidebarCollapsed();
  const link = (
    to: string,
    label: string,
    Icon: LucideIcon,
    extra?: React.ReactNode,
    end = false,
    describedBy?: string,
  ) => (
    <NavLink
      to={to}
      end={end}
      title={collapsed ? label : undefined}
      className="shell-nav__link"
      aria-describedby={describedBy}
    >
      <Icon className="icon shell-nav__icon" width={16} height={16} aria-hidden="true" focusable="false" />
      <span className="shell-nav__label">{label}</span>
      {extra}
    </NavLink>
  );
  return (
    <div className="shell-sidebar" data-collapsed={collapsed ? "" : undefined}>
      <Button
        variant="ghost"
        size="small"
        className="shell-sidebar__toggle"
        aria-expanded={!collapsed}
        aria-controls="workspace-nav"
        onClick={toggle}
        data-testid="sidebar-toggle"
      >
        {collapsed ? (
          <PanelLeftOpen className="icon" width={16} height={16} aria-hidden="true" />
        ) : (
          <PanelLeftClose className="icon" width={16} height={16} aria-hidden="true" />
        )}
        <span className={collapsed ? "visually-hidden" : undefined}>
          {collapsed ? t("sidebar.expand") : t("sidebar.collapse")}
        </span>
      </Button>
      {/* On a phone the sections fold into the top bar's menu, so the page starts on the first screen. */}
      <NavMenuRegion id="workspace-nav">
        <nav aria-label={t("sidebar.nav")}>
          <ul className="workspace__nav shell-nav">
            <li>{link(`/w/${slug}`, t("sidebar.overview"), House, undefined, true)}</li>
            {sections.map((section) => (
              <li key={section.path}>
                {link(
                  `/w/${slug}/${section.path}`,
                  sectionLabel(section.path, t),
                  SECTION_ICONS[section.path],
                  section.path === "conversations" ? (
                    <Count value={counts.unassigned} testId="count-unassigned" />
                  ) : section.path === "review" ? (
                    <Count value={counts.review} testId="count-review" />
                  ) : undefined,
                  false,
                  countWordsId(section.path, counts),
                )}
                {section.path === "conversations" && (
                  <CountWords id="count-unassigned-words" value={counts.unassigned} kind="unassigned" />
                )}
                {section.path === "review" && <CountWords id="count-review-words" value={counts.review} kind="open" />}
              </li>
            ))}
          </ul>
        </nav>
      </NavMenuRegion>
    </div>
  );
}
