// Outgoing mail: nodemailer over SMTP_URL when set; otherwise the dev mailbox table, which
// GET /dev/mailbox shows outside production. nodemailer is imported at the first mail (load-once.ts).
import type { SystemClient } from "@atrium/db";

import { loadOnce } from "../load-once.ts";

export interface Mail {
  to: string;
  subject: string;
  text: string;
  /** Idempotency key (the send job's id): the dev mailbox keeps one mail per id; SMTP's Message-ID. */
  id?: string;
}

export interface Mailer {
  send(mail: Mail): Promise<void>;
  readonly devMailbox: boolean;
}

export function createMailer(opts: { smtpUrl: string | undefined; from: string; system: SystemClient }): Mailer {
  const smtpUrl = opts.smtpUrl;
  if (smtpUrl) {
    const transport = loadOnce(async () => (await import("nodemailer")).default.createTransport(smtpUrl));
    return {
      devMailbox: false,
      async send(mail) {
        await (
          await transport()
        ).sendMail({
          from: opts.from,
          to: mail.to,
          subject: mail.subject,
          text: mail.text,
          ...(mail.id ? { messageId: `<${mail.id}@atrium.mail>` } : {}),
        });
      },
    };
  }
  return {
    devMailbox: true,
    async send(mail) {
      await opts.system.devMail.createMany({
        data: {
          ...(mail.id ? { id: mail.id } : {}),
          to: mail.to.toLowerCase(),
          subject: mail.subject,
          text: mail.text,
        },
        skipDuplicates: true,
      });
    },
  };
}
