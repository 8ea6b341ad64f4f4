/**
 * A contact's WhatsApp consent in the contacts table (issue 56): "Opted out" once they replied
 * STOP (nothing business-initiated reaches them until START), and the opt-in the public form
 * recorded. The date is written out, not only in the title: a phone has no hover.
 */
import { useTranslation } from "react-i18next";

import { formatTime } from "../../platform/format.ts";

/** The day alone, in the page's language (an unparseable value is shown as received). */
const formatDay = (iso: string, language: string) => {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : new Intl.DateTimeFormat(language, { dateStyle: "medium" }).format(date);
};

interface Consent {
  readonly optedOutAt?: string | null;
  readonly optInAt?: string | null;
  readonly optInText?: string | null;
}

export function WhatsAppConsent({ contact }: { contact: Consent }) {
  const { t, i18n } = useTranslation("contacts");
  const { optedOutAt, optInAt, optInText } = contact;
  if (optedOutAt == null && optInAt == null) return <span className="muted">—</span>;
  return (
    <div className="contact-consent">
      {optedOutAt != null && (
        <div
          className="contact-consent__item"
          data-testid="contact-opted-out"
          title={t("consent.optedOutTitle", { date: formatTime(optedOutAt) })}
        >
          <span className="badge badge--warning">{t("consent.optedOut")}</span>{" "}
          <time className="muted small" dateTime={optedOutAt}>
            {formatDay(optedOutAt, i18n.language)}
          </time>
        </div>
      )}
      {optInAt != null && (
        <div
          className="contact-consent__item"
          data-testid="contact-opt-in"
          title={
            optInText != null && optInText !== ""
              ? t("consent.optInTitleText", { date: formatTime(optInAt), text: optInText })
              : t("consent.optInTitle", { date: formatTime(optInAt) })
          }
        >
          <span className="badge badge--ok">{t("consent.optIn")}</span>{" "}
          <time className="muted small" dateTime={optInAt}>
            {formatDay(optInAt, i18n.language)}
          </time>
        </div>
      )}
    </div>
  );
}
