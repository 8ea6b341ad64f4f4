// Data-subject requests (issue 50, decision 0051). A request names one person by e-mail and/or
// phone and either EXPORTs everything the workspace holds about them (one zip, downloadable for
// 7 days through a signed link) or ERASEs it. Both run as a job (QUEUES.dataSubjectRequest) and
// show their progress on the request (`processed`/`total`).
//
// Erasure invariants:
// - it runs in numbered steps recorded on the request (`step`); each step is idempotent and
//   commits with the step counter, so a process killed mid-way resumes at the step it was in,
//   and completing (tombstones, audit record, the subject's clear address dropped) happens once;
// - provider-side deletions come first (their ids are read from rows about to go), each target
//   marked done as it is deleted; a target asked again after a crash answers 404, taken as done;
// - rows go leaves first, contacts last: every step finds its rows again from the person's
//   contacts and leads, which exist until the final steps.
import { createHmac, timingSafeEqual } from "node:crypto";

import type { Db, TenantTx } from "@atrium/db";

import type { AppConfig } from "../../env.ts";
import { recordWorkspaceAudit, type Actor } from "../../platform/audit/audit.ts";
import { inWorkspace, UUID_RE, type WorkspaceAccess } from "../../platform/authz/access.ts";
import { authorizeRow } from "../../platform/authz/accessible.ts";
import { asJob, inTenant, NO_REQUEST, type Caller } from "../../platform/data.ts";
import { badInput, notFound } from "../../platform/errors.ts";
import { QUEUES, type JobQueue } from "../../platform/jobs/job-queue.ts";
import type {
  createIntegrationsService,
  createProviderAdapters,
  CredentialsOf,
} from "../integrations/integrations.service.ts";
import { IntegrationProvider } from "../integrations/integrations.types.ts";
import { normaliseContactEmail, normalisePhone } from "../leads/contact-identity.ts";
import { buildExportArchive } from "./privacy-archive.ts";
import { eraseFromAudit as eraseSubjectFromAudit } from "./privacy-audit-erasure.ts";
import {
  ENTITIES,
  privacyRepository as repo,
  type Entity,
  type ProviderTarget,
  type RequestKind,
  type RequestRow,
  type Subject,
} from "./privacy.repository.ts";

/** How long an export stays downloadable. */
export const EXPORT_TTL_MS = 7 * 86_400_000;
export const DOWNLOAD_PATH = "/api/privacy/exports/:workspaceId/:id";

/** The erasure's SQL steps after the provider deletions, in order (then the final step). */
const ERASE_TABLE_STEPS: readonly Entity[] = ENTITIES;
const STEP_COLLECT = 0;
const STEP_PROVIDERS = 1;
const FIRST_TABLE_STEP = 2;
const STEP_FINAL = FIRST_TABLE_STEP + ERASE_TABLE_STEPS.length;

export interface DataSubjectRequestInput {
  kind: RequestKind;
  email?: string | null;
  phone?: string | null;
}

type Hash = { kind: "EMAIL" | "PHONE"; valueHash: string };

type Integrations = Pick<ReturnType<typeof createIntegrationsService>, "credentials">;

export function createPrivacyService(deps: {
  db: Db;
  config: Pick<AppConfig, "erasureHashSecret" | "authSecrets" | "publicUrl">;
  jobs?: Pick<JobQueue, "enqueue" | "work">;
  integrations?: Integrations;
  providers?: Pick<ReturnType<typeof createProviderAdapters>, "twilio" | "vapi" | "calcom">;
  /** Tests: called after each erasure step commits (a crash test kills the process here). */
  afterStep?: (requestId: string, step: number) => Promise<void> | void;
}) {
  const { db, config } = deps;

  /** The keyed hash of a normalised e-mail or E.164 phone (tombstones and requests keep only this). */
  const keyedHash = (value: string): string =>
    createHmac("sha256", config.erasureHashSecret).update(value).digest("hex");
  const hashesOf = (s: Subject): Hash[] => [
    ...(s.email ? [{ kind: "EMAIL" as const, valueHash: keyedHash(s.email) }] : []),
    ...(s.phone ? [{ kind: "PHONE" as const, valueHash: keyedHash(s.phone) }] : []),
  ];

  const signingKey = config.authSecrets[0]!;
  const signature = (workspaceId: string, id: string, expires: number) =>
    createHmac("sha256", signingKey).update(`dsr-export:${workspaceId}:${id}:${expires}`).digest("base64url");

  function normaliseSubject(input: { email?: string | null; phone?: string | null }): Subject {
    const s = { email: normaliseContactEmail(input.email), phone: normalisePhone(input.phone) };
    if (!s.email && !s.phone)
      throw badInput("Give the person's e-mail or phone.", {
        email: "Give an e-mail or a phone.",
        phone: "Give an e-mail or a phone.",
      });
    return s;
  }

  const subjectOf = (row: RequestRow): Subject | null =>
    row.subjectEmail || row.subjectPhone ? { email: row.subjectEmail, phone: row.subjectPhone } : null;

  async function setProgress(workspaceId: string, id: string, data: Parameters<typeof repo.update>[3]): Promise<void> {
    await asJob(db, { workspaceId }, (tx) => repo.update(tx, workspaceId, id, data));
  }

  /** Pushes one deletion to its provider (no card for it: nothing held there through us). */
  async function pushDeletion(workspaceId: string, target: ProviderTarget): Promise<void> {
    const { integrations, providers } = deps;
    if (!integrations || !providers) return;
    const creds = await asJob(db, { workspaceId }, (tx) =>
      integrations.credentials(tx, workspaceId, IntegrationProvider[target.provider]),
    );
    if (!creds) return;
    switch (target.provider) {
      case "TWILIO":
        return providers.twilio.deleteMessage(creds as CredentialsOf["TWILIO"], target.id);
      case "VAPI":
        return providers.vapi.deleteCall(creds as CredentialsOf["VAPI"], target.id);
      case "CALCOM":
        await providers.calcom
          .cancel(creds as CredentialsOf["CALCOM"], target.id, "Erased on the person's request")
          .catch((err: unknown) => {
            // Already cancelled (a resumed erasure): Cal.com refuses a second cancel with a 4xx.
            if (!((err as { status?: number }).status && (err as { status: number }).status < 500)) throw err;
          });
        return;
    }
  }

  const eraseFromAudit = (workspaceId: string, s: Subject): Promise<number> =>
    eraseSubjectFromAudit(db, workspaceId, s);

  async function runExport(row: RequestRow, s: Subject): Promise<void> {
    const ws = row.workspaceId;
    const data = await asJob(db, { workspaceId: ws }, (tx) => repo.collect(tx, ws, s));
    const counts = Object.fromEntries(ENTITIES.map((e) => [e, data[e].length]));
    const archive = buildExportArchive(data, { requestId: row.id, createdAt: row.createdAt });
    await asJob(db, { workspaceId: ws }, async (tx) => {
      const done = await repo.complete(tx, ws, row.id, {
        counts,
        archive,
        downloadExpiresAt: new Date(Date.now() + EXPORT_TTL_MS),
      });
      if (done)
        await recordWorkspaceAudit(tx, ws, jobActor(row), {
          action: "privacy.export.completed",
          targetType: "DataSubjectRequest",
          targetId: row.id,
          data: { counts },
        });
    });
    await setProgress(ws, row.id, { processed: ENTITIES.length, total: ENTITIES.length });
  }

  async function runErase(row: RequestRow, s: Subject): Promise<void> {
    const ws = row.workspaceId;
    let step = row.step;
    let targets = row.providerTargets as unknown as ProviderTarget[];
    const counts = { ...(row.counts as Record<string, number>) };
    const total = () => targets.length + ERASE_TABLE_STEPS.length + 1;
    const processed = () =>
      targets.filter((t) => t.done).length + Math.max(0, Math.min(step, STEP_FINAL) - FIRST_TABLE_STEP);
    const commitStep = async (next: number, extra: Parameters<typeof repo.update>[3] = {}) => {
      step = next;
      await setProgress(ws, row.id, { step: next, counts, processed: processed(), total: total(), ...extra });
      await deps.afterStep?.(row.id, next);
    };

    if (step === STEP_COLLECT) {
      targets = await asJob(db, { workspaceId: ws }, (tx) => repo.providerTargets(tx, ws, s, new Date()));
      await commitStep(STEP_PROVIDERS, { providerTargets: targets as unknown as object[] });
    }
    if (step === STEP_PROVIDERS) {
      for (const target of targets) {
        if (target.done) continue;
        await pushDeletion(ws, target);
        target.done = true;
        counts[`provider_${target.provider.toLowerCase()}`] =
          (counts[`provider_${target.provider.toLowerCase()}`] ?? 0) + 1;
        await setProgress(ws, row.id, {
          providerTargets: targets as unknown as object[],
          counts,
          processed: processed(),
          total: total(),
        });
      }
      await commitStep(FIRST_TABLE_STEP);
    }
    while (step < STEP_FINAL) {
      const entity = ERASE_TABLE_STEPS[step - FIRST_TABLE_STEP]!;
      if (entity === "audit_entries") {
        counts[entity] = (counts[entity] ?? 0) + (await eraseFromAudit(ws, s));
        await commitStep(step + 1);
        continue;
      }
      // The deletion and the step counter commit together: a crash repeats a whole step or none.
      const next = step + 1;
      await asJob(db, { workspaceId: ws }, async (tx) => {
        counts[entity] = (counts[entity] ?? 0) + (await repo.eraseEntity(tx, ws, s, entity));
        step = next;
        await repo.update(tx, ws, row.id, { step: next, counts, processed: processed(), total: total() });
      });
      await deps.afterStep?.(row.id, next);
    }
    const hashes = hashesOf(s);
    await asJob(db, { workspaceId: ws }, async (tx) => {
      await repo.dropArchives(tx, ws, { emailHash: row.emailHash, phoneHash: row.phoneHash });
      await repo.addTombstones(tx, ws, row.id, hashes);
      const done = await repo.complete(tx, ws, row.id, { counts });
      if (done)
        await recordWorkspaceAudit(tx, ws, jobActor(row), {
          action: "privacy.erase.completed",
          targetType: "DataSubjectRequest",
          targetId: row.id,
          data: { counts },
        });
      await repo.update(tx, ws, row.id, { processed: total(), total: total() });
    });
  }

  const jobActor = (row: RequestRow): Actor => ({
    userId: row.requestedByUserId,
    ip: null,
    userAgent: null,
    requestId: `dsr:${row.id}`,
  });

  async function load(workspaceId: string, id: string): Promise<RequestRow | null> {
    if (!UUID_RE.test(workspaceId) || !UUID_RE.test(id)) return null;
    return asJob(db, { workspaceId }, (tx) => repo.find(tx, workspaceId, id));
  }

  const service = {
    keyedHash,
    hashesOf,
    eraseFromAudit,

    async create(access: WorkspaceAccess, actor: Actor, input: DataSubjectRequestInput): Promise<RequestRow> {
      authorizeRow(access.ability, "create", "DataSubjectRequest", { workspaceId: access.workspaceId });
      if (input.kind !== "EXPORT" && input.kind !== "ERASE")
        throw badInput("kind: EXPORT or ERASE.", { kind: "EXPORT or ERASE." });
      const s = normaliseSubject(input);
      const [emailHash, phoneHash] = [s.email ? keyedHash(s.email) : null, s.phone ? keyedHash(s.phone) : null];
      return inWorkspace(db, access, async (tx) => {
        const row = await repo.create(tx, {
          workspaceId: access.workspaceId,
          kind: input.kind,
          subject: s,
          emailHash,
          phoneHash,
          userId: access.userId,
          membershipId: access.membershipId,
        });
        // The audit entry names the request, never the person.
        await recordWorkspaceAudit(tx, access.workspaceId, actor, {
          action: `privacy.${input.kind.toLowerCase()}.requested`,
          actorMembershipId: access.membershipId,
          targetType: "DataSubjectRequest",
          targetId: row.id,
        });
        await deps.jobs?.enqueue(tx, QUEUES.dataSubjectRequest, row.id, {
          workspaceId: access.workspaceId,
          requestId: row.id,
        });
        return row;
      });
    },

    /**
     * The platform-wide variant (platform admins): one request per workspace holding the person
     * (`holding` lists them), each run by its own job like a workspace's own request.
     */
    async createPlatformWide(
      actor: Actor,
      input: DataSubjectRequestInput,
      holding: (person: Subject) => Promise<string[]>,
    ): Promise<RequestRow[]> {
      if (input.kind !== "EXPORT" && input.kind !== "ERASE")
        throw badInput("kind: EXPORT or ERASE.", { kind: "EXPORT or ERASE." });
      const s = normaliseSubject(input);
      const [emailHash, phoneHash] = [s.email ? keyedHash(s.email) : null, s.phone ? keyedHash(s.phone) : null];
      const rows: RequestRow[] = [];
      for (const workspaceId of await holding(s)) {
        rows.push(
          await inTenant(db, actor, { workspaceId }, async (tx) => {
            const row = await repo.create(tx, {
              workspaceId,
              kind: input.kind,
              subject: s,
              emailHash,
              phoneHash,
              userId: actor.userId,
              membershipId: null,
            });
            await recordWorkspaceAudit(tx, workspaceId, actor, {
              action: `privacy.${input.kind.toLowerCase()}.requested`,
              targetType: "DataSubjectRequest",
              targetId: row.id,
              data: { platformWide: true },
            });
            await deps.jobs?.enqueue(tx, QUEUES.dataSubjectRequest, row.id, { workspaceId, requestId: row.id });
            return row;
          }),
        );
      }
      return rows;
    },

    async get(access: WorkspaceAccess, id: string): Promise<RequestRow> {
      authorizeRow(access.ability, "read", "DataSubjectRequest", { workspaceId: access.workspaceId });
      // Not a UUID: no such request (the database would refuse the cast with a 500).
      if (!UUID_RE.test(id)) throw notFound("Data-subject request");
      const row = await inWorkspace(db, access, (tx) => repo.find(tx, access.workspaceId, id));
      if (!row) throw notFound("Data-subject request");
      return row;
    },

    async list(access: WorkspaceAccess, take = 50): Promise<RequestRow[]> {
      authorizeRow(access.ability, "read", "DataSubjectRequest", { workspaceId: access.workspaceId });
      return inWorkspace(db, access, (tx) => repo.list(tx, access.workspaceId, take));
    },

    /** The signed download link of a completed export still within its 7 days, else null. */
    downloadUrl(row: RequestRow, now = Date.now()): string | null {
      if (
        row.kind !== "EXPORT" ||
        row.status !== "COMPLETED" ||
        !row.downloadExpiresAt ||
        row.downloadExpiresAt.getTime() <= now
      )
        return null;
      const expires = Math.floor(row.downloadExpiresAt.getTime() / 1000);
      return `${config.publicUrl}/api/privacy/exports/${row.workspaceId}/${row.id}?expires=${expires}&sig=${signature(row.workspaceId, row.id, expires)}`;
    },

    /** Checks a download link's signature and expiry; the archive, or null (expired, forged, erased since). */
    async download(
      workspaceId: string,
      id: string,
      expires: string,
      sig: string,
      caller: Caller = NO_REQUEST,
      now = Date.now(),
    ): Promise<Uint8Array | null> {
      const exp = Number(expires);
      if (!Number.isSafeInteger(exp) || exp * 1000 <= now) return null;
      const want = Buffer.from(signature(workspaceId, id, exp));
      const got = Buffer.from(sig);
      if (want.length !== got.length || !timingSafeEqual(want, got)) return null;
      const row = await inTenant(db, caller, { workspaceId }, (tx) => repo.archive(tx, workspaceId, id));
      if (!row?.archive || !row.downloadExpiresAt || row.downloadExpiresAt.getTime() <= now) return null;
      return row.archive;
    },

    /**
     * Runs (or resumes) a request: the job's handler. Completed requests are left alone, so a job
     * delivered twice does the work once.
     */
    async run(workspaceId: string, id: string): Promise<{ status: string }> {
      let row = await load(workspaceId, id);
      if (!row) return { status: "GONE" };
      if (row.status === "COMPLETED") return { status: row.status };
      const s = subjectOf(row);
      if (!s) return { status: row.status };
      if (row.status !== "RUNNING") {
        await setProgress(workspaceId, id, { status: "RUNNING", error: null });
        row = { ...row, status: "RUNNING" };
      }
      try {
        if (row.kind === "EXPORT") await runExport(row, s);
        else await runErase(row, s);
      } catch (err) {
        await setProgress(workspaceId, id, { error: err instanceof Error ? err.message.slice(0, 500) : "failed" });
        throw err;
      }
      return { status: "COMPLETED" };
    },

    /** Marks a request FAILED after its job's last attempt (it can be run again). */
    async fail(workspaceId: string, id: string, message: string): Promise<void> {
      await setProgress(workspaceId, id, { status: "FAILED", error: message.slice(0, 500) });
    },

    /** Imports and campaigns: which of these addresses were erased on request (their hashes). */
    async erasedAmong(tx: TenantTx, workspaceId: string, people: Subject[]): Promise<Set<string>> {
      return repo.tombstoned(
        tx,
        workspaceId,
        people.flatMap((p) => hashesOf(p)),
      );
    },

    /** Campaigns: a contact to skip because the person was erased on request and has not come back on their own. */
    async erasedWithoutNewConsent(
      tx: TenantTx,
      workspaceId: string,
      contact: { id: string; email: string | null; phone: string | null },
    ): Promise<boolean> {
      return repo.erasedWithoutNewConsent(
        tx,
        workspaceId,
        contact.id,
        hashesOf({ email: contact.email?.toLowerCase() ?? null, phone: contact.phone }),
      );
    },

    async startWorkers(): Promise<void> {
      await deps.jobs?.work(
        QUEUES.dataSubjectRequest,
        async (data: { workspaceId: string; requestId: string }, meta) => {
          try {
            return await service.run(data.workspaceId, data.requestId);
          } catch (err) {
            if (meta.lastAttempt)
              await service.fail(data.workspaceId, data.requestId, err instanceof Error ? err.message : String(err));
            throw err;
          }
        },
      );
    },
  };
  return service;
}

export type PrivacyService = ReturnType<typeof createPrivacyService>;
