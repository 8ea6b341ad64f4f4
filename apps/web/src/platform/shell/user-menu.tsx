/**
 * The top bar's user menu (issue 48): who is signed in, account security, sessions, the theme
 * choice and signing out. The kit's Popover (Radix), so it loads with the first signed-in page,
 * not before the sign-in form.
 */
import { LogOut, Monitor, ShieldCheck } from "lucide-react";
import { Link } from "react-router";
import { useMe, useSignOut } from "../session.tsx";
import { ThemePicker } from "../theme.tsx";
import { Popover } from "../ui/index.ts";

export function UserMenu() {
  const me = useMe();
  const { signOut, signingOut } = useSignOut();
  return (
    <Popover
      label={`Account: ${me.name}`}
      trigger={me.name}
      triggerClassName="button button--quiet topbar__user"
      triggerProps={{ title: `${me.name} (${me.email})`, "data-testid": "user-menu" } as never}
      title={me.name}
      className="user-menu"
    >
      {(close) => (
        <div className="user-menu__body">
          <p className="muted user-menu__email">{me.email}</p>
          <ul className="user-menu__links">
            <li>
              <Link to="/account/security" onClick={close}>
                <ShieldCheck className="icon" width={16} height={16} aria-hidden="true" />
                Account and security
              </Link>
            </li>
            <li>
              <Link to="/account/sessions" onClick={close}>
                <Monitor className="icon" width={16} height={16} aria-hidden="true" />
                Sessions
              </Link>
            </li>
          </ul>
          <ThemePicker className="user-menu__theme" />
          <button type="button" className="button user-menu__sign-out" disabled={signingOut} onClick={() => void signOut()}>
            <LogOut className="icon" width={16} height={16} aria-hidden="true" />
            Sign out
          </button>
        </div>
      )}
    </Popover>
  );
}
