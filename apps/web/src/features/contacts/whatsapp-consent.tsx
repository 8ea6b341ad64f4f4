/**
 * A contact's WhatsApp consent in the contacts table (issue 56): "Opted out" once they replied
 * STOP (nothing business-initiated reaches them until START), and the opt-in the public form
 * recorded. The date is written out, not only in the title: a phone has no hover.
 */
import { formatTime } from "../../platform/format.ts";

const day = new Intl.DateTimeFormat(undefined, { dateStyle: "medium" });
const formatDay = (iso: string) => {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : day.format(date);
};

interface Consent {
  readonly optedOutAt?: string | null;
  readonly optInAt?: string | null;
  readonly optInText?: string | null;
}

export function WhatsAppConsent({ contact }: { contact: Consent }) {
  const { optedOutAt, optInAt, optInText } = contact;
  if (optedOutAt == null && optInAt == null) return <span className="muted">—</span>;
  return (
    <div className="contact-consent">
      {optedOutAt != null && (
        <div className="contact-consent__item" data-testid="contact-opted-out" title={`Replied STOP on ${formatTime(optedOutAt)}: no WhatsApp message reaches them until they send START.`}>
          <span className="badge badge--warning">Opted out</span>{" "}
          <time className="muted small" dateTime={optedOutAt}>
            {formatDay(optedOutAt)}
          </time>
        </div>
      )}
      {optInAt != null && (
        <div className="contact-consent__item" data-testid="contact-opt-in" title={`Agreed on the public form on ${formatTime(optInAt)}${optInText != null && optInText !== "" ? `: “${optInText}”` : ""}`}>
          <span className="badge badge--ok">WhatsApp opt-in</span>{" "}
          <time className="muted small" dateTime={optInAt}>
            {formatDay(optInAt)}
          </time>
        </div>
      )}
    </div>
  );
}
