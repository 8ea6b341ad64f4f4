import { useTranslation } from "react-i18next";
import { NavLink, Outlet } from "react-router";

import { Page } from "../../platform/page.tsx";
import { useMe } from "../../platform/session.tsx";
import { NavMenuRegion } from "../../platform/ui/index.ts";
import { PlatformSsoNavLink } from "./platform-sso.tsx";

/** /admin/* — platform administration (SPEC M8), for global ADMINs only. */
export function AdminShell() {
  const { t } = useTranslation("admin");
  const me = useMe();
  if (me.globalRole !== "ADMIN") {
    return (
      <Page title={t("shell.notAvailableTitle")}>
        <p role="alert">{t("shell.notAvailable")}</p>
      </Page>
    );
  }
  return (
    <div className="workspace">
      <aside className="workspace__sidebar">
        <p className="workspace__name">{t("shell.title")}</p>
        <NavMenuRegion id="admin-nav">
          <nav aria-label={t("shell.title")}>
            <ul className="workspace__nav">
              <li>
                <NavLink to="/admin/users">{t("shell.nav.users")}</NavLink>
              </li>
              <li>
                <NavLink to="/admin/registration">{t("shell.nav.registration")}</NavLink>
              </li>
              <li>
                <NavLink to="/admin/plans">{t("shell.nav.plans")}</NavLink>
              </li>
              <li>
                <PlatformSsoNavLink />
              </li>
            </ul>
          </nav>
        </NavMenuRegion>
      </aside>
      <div className="workspace__content">
        <Outlet />
      </div>
    </div>
  );
}
