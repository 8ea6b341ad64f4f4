/**
 * The top bar's user menu (issue 48): who is signed in, account security, sessions, the theme
 * and language choices and signing out. The kit's Popover (Radix), so it loads with the first signed-in page,
 * not before the sign-in form.
 */
import { LogOut, Monitor, ShieldCheck } from "lucide-react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";

import { LanguagePicker } from "../language.tsx";
import { useMe, useSignOut } from "../session.tsx";
import { ThemePicker } from "../theme.tsx";
import { Button, Popover } from "../ui/index.ts";

const TRIGGER_CLASS = "button button--quiet topbar__user";
const userMenuTriggerProps = (me: { name: string; email: string }) =>
  ({ title: `${me.name} (${me.email})`, "data-testid": "user-menu" }) as never;

export function UserMenu() {
  const { t } = useTranslation("common");
  const me = useMe();
  const { signOut, signingOut } = useSignOut();
  return (
    <Popover
      label={t("userMenu.label", { name: me.name })}
      trigger={me.name}
      triggerClassName={TRIGGER_CLASS}
      triggerProps={userMenuTriggerProps(me)}
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
                {t("userMenu.security")}
              </Link>
            </li>
            <li>
              <Link to="/account/sessions" onClick={close}>
                <Monitor className="icon" width={16} height={16} aria-hidden="true" />
                {t("userMenu.sessions")}
              </Link>
            </li>
          </ul>
          <ThemePicker className="user-menu__theme" />
          <LanguagePicker className="user-menu__theme" />
          <Button className="user-menu__sign-out" disabled={signingOut} onClick={() => void signOut()}>
            <LogOut className="icon" width={16} height={16} aria-hidden="true" />
            {t("userMenu.signOut")}
          </Button>
        </div>
      )}
    </Popover>
  );
}
