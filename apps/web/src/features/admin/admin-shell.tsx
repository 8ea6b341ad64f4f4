import { NavLink, Outlet } from "react-router";
import { Page } from "../../platform/page.tsx";
import { NavMenuRegion } from "../../platform/ui/index.ts";
import { useMe } from "../../platform/session.tsx";

/** /admin/* — platform administration (SPEC M8), for global ADMINs only. */
export function AdminShell() {
  const me = useMe();
  if (me.globalRole !== "ADMIN") {
    return (
      <Page title="Not available">
        <p role="alert">Platform administration is only available to platform administrators.</p>
      </Page>
    );
  }
  return (
    <div className="workspace">
      <aside className="workspace__sidebar">
        <p className="workspace__name">Platform admin</p>
        <NavMenuRegion id="admin-nav">
          <nav aria-label="Platform admin">
            <ul className="workspace__nav">
              <li>
                <NavLink to="/admin/users">Users</NavLink>
              </li>
              <li>
                <NavLink to="/admin/registration">Registration</NavLink>
              </li>
              <li>
                <NavLink to="/admin/plans">Plans</NavLink>
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
