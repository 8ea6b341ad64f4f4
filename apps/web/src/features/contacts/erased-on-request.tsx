/**
 * Issue 50: a person erased on request (a data-subject erasure) who was added again later. The
 * contact is flagged by the API's `Contact.erasedOnRequest` (the single contact read): campaigns
 * skip them until they get in touch on their own again — a new lead from the public form or the
 * API after the erasure (privacy.service `erasedWithoutNewConsent`).
 */
import { useQuery } from "@apollo/client/react";
import { useTranslation } from "react-i18next";

import { ContactDocument } from "./operations.ts";

/** The notice, shown when `erased`. */
export function ErasedOnRequestNotice({ erased }: { erased: boolean | null | undefined }) {
  const { t } = useTranslation("contacts");
  if (erased !== true) return null;
  return (
    <div
      className="banner banner--warning contact-erased"
      role="note"
      data-testid="contact-erased"
      aria-labelledby="contact-erased-title"
    >
      <p>
        <span className="badge badge--warning">{t("detail.erasedBadge")}</span>{" "}
        <strong id="contact-erased-title">{t("detail.erasedTitle")}</strong>
      </p>
      <p>{t("detail.erasedBody")}</p>
    </div>
  );
}

/** The notice for a contact shown inside another page (a lead's): one read of the contact, as its own page reads it. */
export function ContactErasedNotice({ workspaceId, contactId }: { workspaceId: string; contactId: string }) {
  const { data } = useQuery(ContactDocument, { variables: { workspaceId, id: contactId } });
  return <ErasedOnRequestNotice erased={data?.contact.erasedOnRequest} />;
}
