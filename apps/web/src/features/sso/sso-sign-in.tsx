/**
 * The sign-in page's single sign-on entry (issue 49): "Sign in with SSO" takes the e-mail typed
 * above to /sso/start, which sends the browser to the organisation's provider (a full page
 * navigation: the provider's login page is its own). When a password sign-in was refused because
 * the domain requires SSO (the form's banner says so), the button becomes the primary action.
 */
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { Button } from "../../platform/ui/index.ts";

/** UNAUTHENTICATED with this reason: the address's domain requires single sign-on. */
export const SSO_REQUIRED_REASON = "SSO_REQUIRED";

export function ssoStartUrl(email: string): string {
  return `/sso/start?email=${encodeURIComponent(email.trim())}`;
}

export function SsoSignInEntry({ email, required = false }: { email: string; required?: boolean }) {
  const { t } = useTranslation("sso");
  const [missing, setMissing] = useState(false);
  const go = () => {
    if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email.trim())) {
      setMissing(true);
      return;
    }
    window.location.assign(ssoStartUrl(email));
  };
  return (
    <div className="form" data-testid="sso-entry">
      {missing && (
        <p className="field__error" role="alert">
          {t("signIn.missing")}
        </p>
      )}
      <Button variant={required ? "primary" : "secondary"} onClick={go}>
        {t("signIn.button")}
      </Button>
    </div>
  );
}
