// Mail through the job queue (issue 10: "every send goes through a job"). A service queues a mail
// inside the transaction that makes it true — the verification row, the invitation — so the mail
// and its reason commit or roll back together; a worker sends it, retried with backoff per the
// send policy, and a mail that fails for good is recorded (platform audit `mail.failed`, and the
// workspace's audit log when it belongs to one), never dropped in silence.
//
// The job's payload holds links with bearer tokens (verification, invitation), and pg-boss keeps
// payloads after the job is done, so the mail is sealed: JWE dir + A256GCM under a key derived
// (HKDF) from AUTH_SECRET — which production always has — newest first, so a rotated secret still
// opens the mails queued before the rotation.
//
// Never twice: the job id is the mail's id. The dev mailbox inserts with that id and skips a
// duplicate; over SMTP it is the Message-ID, so a retry after a send whose acknowledgement was
// lost is recognisable by the receiving side.
import { hkdfSync, randomUUID } from "node:crypto";

import type { Db } from "@atrium/db";

import { recordPlatformAudit, recordWorkspaceAudit, type Actor } from "../audit/audit.ts";
import { sha256Hex } from "../crypto/digest.ts";
import { SecretBox } from "../crypto/secret-box.ts";
import { QUEUES, type JobQueue, type JobTx } from "../jobs/job-queue.ts";
import { countSend } from "../observability/metrics.ts";
import type { Mail, Mailer } from "./mailer.ts";

/** What a queued mail is about: shown in the failure record, never the mail's text. */
export interface MailPurpose {
  kind:
    | "email-verification"
    | "sign-up-attempt"
    | "invitation"
    | "notification"
    | "notification-digest"
    | "password-reset"
    | "email-change"
    | "account-notice";
  /** The workspace the mail belongs to (invitations), whose audit log records a failure. */
  workspaceId?: string;
  targetType?: string;
  targetId?: string;
}

interface MailJob extends MailPurpose {
  sealed: string;
}

const BINDING = { workspaceId: "platform", provider: "mail-outbox" };
const WORKER_ACTOR: Actor = { userId: null, ip: null, userAgent: null, requestId: "mail-worker" };

/** nodemailer's error for a 5xx reply carries the server's `responseCode`. */
export function isPermanentSmtpFailure(err: unknown): boolean {
  const code = (err as { responseCode?: unknown } | null)?.responseCode;
  return typeof code === "number" && code >= 500 && code < 600;
}

/** One 256-bit key per AUTH_SECRET entry (newest first), named by a hash of the secret. */
export function outboxKeys(authSecrets: readonly string[]) {
  return authSecrets.map((secret) => ({
    kid: `mail-${sha256Hex(secret).slice(0, 12)}`,
    key: new Uint8Array(hkdfSync("sha256", secret, "atrium", "mail outbox v1", 32)),
  }));
}

export function createMailOutbox(deps: {
  db: Db;
  jobs: JobQueue;
  mailer: Mailer;
  authSecrets: readonly string[];
  log: (msg: string, data?: object) => void;
}) {
  const box = new SecretBox(outboxKeys(deps.authSecrets));
  const domainOf = (to: string) => to.slice(to.lastIndexOf("@") + 1);

  async function recordFailure(job: MailJob, to: string, error: string): Promise<void> {
    const data = { kind: job.kind, toDomain: domainOf(to), error: error.slice(0, 500) };
    await recordPlatformAudit(deps.db.system, WORKER_ACTOR, {
      action: "mail.failed",
      workspaceId: job.workspaceId,
      targetId: job.targetId,
      data,
    });
    const workspaceId = job.workspaceId;
    if (workspaceId) {
      await deps.db.tenant({ workspaceId }, (tx) =>
        recordWorkspaceAudit(tx, workspaceId, WORKER_ACTOR, {
          action: "mail.failed",
          targetType: job.targetType,
          targetId: job.targetId,
          data: { kind: job.kind, to, error: data.error },
        }),
      );
    }
  }

  return {
    /**
     * Queues `mail` inside `tx` (a tenant transaction or the system client's): it is sent once the
     * transaction commits, never if it rolls back. Call `notify()` after the commit to send at once.
     */
    async queue(tx: JobTx, mail: Mail, purpose: MailPurpose): Promise<void> {
      const { jwe } = await box.seal({ to: mail.to, subject: mail.subject, text: mail.text }, BINDING);
      await deps.jobs.enqueue(tx, QUEUES.sendMail, randomUUID(), { ...purpose, sealed: jwe } satisfies MailJob);
    },

    /** Wakes this process's mail workers (after the queuing transaction committed). */
    notify(): void {
      deps.jobs.notify(QUEUES.sendMail);
    },

    async startWorkers(opts: { concurrency?: number } = {}): Promise<void> {
      const provider = deps.mailer.devMailbox ? "dev-mailbox" : "smtp";
      await deps.jobs.work<MailJob>(
        QUEUES.sendMail,
        async (job, meta) => {
          const mail = (await box.open(job.sealed, BINDING)) as unknown as Mail;
          try {
            await deps.mailer.send({ ...mail, id: meta.id });
            countSend(provider, "sent");
          } catch (err) {
            const message = err instanceof Error ? err.message : String(err);
            // SMTP 5xx is the server's final word (no such mailbox, rejected): trying again only
            // hammers it. Anything else (4xx, a refused connection, a timeout) is retried.
            const permanent = isPermanentSmtpFailure(err);
            const forGood = permanent || meta.lastAttempt;
            deps.log(forGood ? "a mail failed for good" : "a mail failed; it will be retried", {
              id: meta.id,
              kind: job.kind,
              toDomain: domainOf(mail.to),
              attempt: meta.retryCount + 1,
              error: message,
            });
            countSend(provider, forGood ? "failed" : "retry");
            if (forGood) await recordFailure(job, mail.to, message);
            if (permanent) return { sent: false, error: message };
            throw err;
          }
          return { sent: true };
        },
        { concurrency: opts.concurrency ?? 2, pollingIntervalSeconds: 0.5 },
      );
    },
  };
}

export type MailOutbox = ReturnType<typeof createMailOutbox>;
