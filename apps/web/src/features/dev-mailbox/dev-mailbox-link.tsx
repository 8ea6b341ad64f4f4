import { useEffect, useState } from "react";
import { Trans } from "react-i18next";
import { Link } from "react-router";

import { devMailboxPath, fetchDevMailbox } from "./dev-mailbox.ts";

/** "Open the development mailbox" — rendered only when the server has one (never in production). */
export function DevMailboxLink({ email }: { email: string }) {
  const [available, setAvailable] = useState(false);
  useEffect(() => {
    const controller = new AbortController();
    fetchDevMailbox(email, controller.signal)
      .then((mails) => setAvailable(mails !== undefined))
      .catch(() => setAvailable(false));
    return () => controller.abort();
  }, [email]);
  if (!available) return null;
  return (
    <p className="note">
      <Trans ns="dev-mailbox" i18nKey="link" components={{ anchor: <Link to={devMailboxPath(email)} /> }} />
    </p>
  );
}
