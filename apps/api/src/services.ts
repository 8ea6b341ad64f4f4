// The service graph, built once per process. Each factory declares exactly what it uses.
// type-graphql's decorators need the metadata polyfill before any feature module loads: first,
// whatever imports this file (main.ts, the test harness, the benches), and whatever order the
// imports below are sorted in.
import "reflect-metadata";

import type { Db } from "@atrium/db";

import type { AppConfig } from "./env.ts";
import { createAccessExplainerService } from "./modules/access-explainer/access-explainer.service.ts";
import { createAnalyticsService } from "./modules/analytics/analytics.service.ts";
import { createApiKeysService } from "./modules/api-keys/api-keys.service.ts";
import { createAuditChainService } from "./modules/audit/audit-chain.service.ts";
import { createAuditStreamService } from "./modules/audit/audit-stream.service.ts";
import { createAuditService } from "./modules/audit/audit.service.ts";
import { createBookingsService } from "./modules/bookings/bookings.service.ts";
import { createCampaignsService } from "./modules/campaigns/campaigns.service.ts";
import { createContactTimelineService } from "./modules/contacts/contact-timeline.service.ts";
import { createContactsService } from "./modules/contacts/contacts.service.ts";
import { createConversationsService } from "./modules/conversations/conversations.service.ts";
import { createHomeService } from "./modules/home/home.service.ts";
import { createAccountService } from "./modules/identity/account.service.ts";
import { createIdentityService } from "./modules/identity/identity.service.ts";
import { createPreferencesService } from "./modules/identity/preferences.service.ts";
import { createIntegrationsService, createProviderAdapters } from "./modules/integrations/integrations.service.ts";
import { createLeadsTimelineService } from "./modules/leads/leads-timeline.service.ts";
import { createLeadsService } from "./modules/leads/leads.service.ts";
import { createMembersService } from "./modules/members/members.service.ts";
import { createMessagingService } from "./modules/messaging/messaging.service.ts";
import { createVoiceService } from "./modules/messaging/voice.service.ts";
import { createOperatorsService } from "./modules/operators/operators.service.ts";
import { createPersistedDocumentsService } from "./modules/persisted-documents/persisted-documents.service.ts";
import { createPhoneConfigsService } from "./modules/phone-configs/phone-configs.service.ts";
import { createPlatformAdminService } from "./modules/platform-admin/platform-admin.service.ts";
import { createPrivacyService } from "./modules/privacy/privacy.service.ts";
import { createRetentionService } from "./modules/retention/retention.service.ts";
import { createSearchService } from "./modules/search/search.service.ts";
import { createChallengeResolver } from "./modules/sso/dns-challenge.ts";
import { createDiscoveryCache } from "./modules/sso/oidc.ts";
import { createPlatformSsoService } from "./modules/sso/platform-sso.service.ts";
import { createSsoSignIn, type SsoSignIn } from "./modules/sso/sso-sign-in.ts";
import { createSsoService } from "./modules/sso/sso.service.ts";
import { createStepUpService } from "./modules/step-up/step-up.service.ts";
import { createTemplatesService } from "./modules/templates/templates.service.ts";
import { createUsageService } from "./modules/usage/usage.service.ts";
import { webhookTenantFacts } from "./modules/webhooks/webhooks.repository.ts";
import { createWebhooksService } from "./modules/webhooks/webhooks.service.ts";
import { createWorkspaceSettingsService } from "./modules/workspace-settings/workspace-settings.service.ts";
import { createWorkspacesService } from "./modules/workspaces/workspaces.service.ts";
import { AccessTokens } from "./platform/auth/tokens.ts";
import { createPrincipalCaches } from "./platform/authz/principal-cache.ts";
import { SecretBox } from "./platform/crypto/secret-box.ts";
import { JobQueue } from "./platform/jobs/job-queue.ts";
import { LiveHub } from "./platform/live/hub.ts";
import { createMailer } from "./platform/mail/mailer.ts";
import { createMailOutbox } from "./platform/mail/outbox.ts";
import { createTracing, type Tracing } from "./platform/observability/tracing.ts";
import { RateLimiter } from "./platform/rate-limit.ts";

/**
 * `opts.tracing`: in place of the one the configuration asks for (the bench's, with its own exporter).
 * `opts.jobsElsewhere`: the API process of JOBS_PROCESS=separate — its queue only enqueues, wakes
 * the jobs process's workers and reads the queue's figures; expiry and cron run over there.
 */
export function createServices(config: AppConfig, db: Db, opts: { tracing?: Tracing; jobsElsewhere?: boolean } = {}) {
  // Traces (decision 0035): off unless OTEL_EXPORTER_OTLP_ENDPOINT is set.
  const tracing = opts.tracing ?? createTracing(config);
  if (tracing.enabled) db.traceStatements(tracing.statements);
  const tokens = new AccessTokens(config.authSecrets, config.accessTokenTtlSeconds);
  const mailer = createMailer({ smtpUrl: config.smtpUrl, from: config.mailFrom, system: db.system });
  const rateLimiter = new RateLimiter(db.system);
  // Per process: two instances in one process (tests) keep separate caches, as two processes do.
  const principalCaches = createPrincipalCaches();
  const secretBox = new SecretBox(config.integrationKeys);
  const jobs = new JobQueue({
    ownerUrl: db.ownerUrl,
    supervise: config.jobsEnabled && !opts.jobsElsewhere,
    wakeOtherProcesses: opts.jobsElsewhere,
    retry: config.sendRetry,
    timing: config.jobTiming,
    webhookTimeoutMs: config.webhooks.timeoutMs,
    tracing,
    log: (msg, data) => {
      if (config.logLevel !== "silent") console.error(`[jobs] ${msg}`, data ?? "");
    },
  });
  // Mail goes out through a job queued in the transaction that makes it true (platform/mail/outbox.ts).
  const mail = createMailOutbox({
    db,
    jobs,
    mailer,
    authSecrets: config.authSecrets,
    log: (msg, data) => {
      if (config.logLevel !== "silent") console.error(`[mail] ${msg}`, data ?? "");
    },
  });
  // Outbound webhooks (A5): `webhooks.emit(tx, workspaceId, type, data)` inside the change's transaction.
  const webhooks = createWebhooksService({ db, config, jobs, box: secretBox });
  // Every tenant transaction reads the workspace's subscribed event types with its settings.
  db.readTenantFacts(webhookTenantFacts);
  const emit = webhooks.emit;
  const members = createMembersService({ config, db, mail, emit });
  const providers = createProviderAdapters(config);
  const integrations = createIntegrationsService({ db, box: secretBox, adapters: providers });
  const usage = createUsageService({ db, jobs });
  // Issue 47: safety rules, the review queue, notifications, assignment, Live Call Control.
  const operators = createOperatorsService({ db, config, jobs, mail, providers });
  const messaging = createMessagingService({
    db,
    config,
    jobs,
    integrations,
    providers,
    emit,
    quota: usage,
    operators,
  });
  const templates = createTemplatesService({ db, messaging });
  // Issue 50: data-subject requests (export, erasure), run by their job; imports and campaigns consult its tombstones.
  const privacy = createPrivacyService({ db, config, jobs, integrations, providers });
  const campaigns = createCampaignsService({
    db,
    config,
    jobs,
    messaging,
    emit,
    releaseHeld: usage.releaseHeld,
    erasure: privacy,
  });
  const leads = createLeadsService({
    db,
    followUp: {
      mayAct: (lead) => messaging.followsUpOnLead(lead),
      run: (tx, lead) => messaging.onLeadCreated(tx, lead),
    },
    notify: (queues) => messaging.notify(queues),
    emit,
  });
  const bookings = createBookingsService({ db, integrations, providers, leads, emit });
  const voice = createVoiceService({ db, integrations, leads, bookings, operators });
  const stepUp = createStepUpService({ config, db, box: secretBox, rateLimiter });
  // Single sign-on (issue 49): identity asks SSO's rule at password sign-in; SSO's sign-in makes
  // identity's accounts and sessions. The rule is bound once both exist.
  const bound: { ssoSignIn?: SsoSignIn } = {};
  // Providers' discovered configurations, shared by sign-in and the settings that change them.
  const ssoDiscovery = createDiscoveryCache();
  const ssoChallenges = createChallengeResolver({ servers: config.sso.dnsServers, timeoutMs: config.sso.timeoutMs });
  const identity = createIdentityService({
    config,
    db,
    tokens,
    mail,
    rateLimiter,
    members,
    secondFactor: stepUp,
    passwordGate: (user, actor) => bound.ssoSignIn!.passwordGate(user, actor),
  });
  const ssoSignIn = (bound.ssoSignIn = createSsoSignIn({
    config,
    db,
    box: secretBox,
    rateLimiter,
    identity,
    members,
    discovery: ssoDiscovery,
  }));
  const audit = createAuditService({ db });
  return {
    config,
    db,
    tracing,
    tokens,
    mailer,
    mail,
    rateLimiter,
    principalCaches,
    identity,
    sso: createSsoService({ config, db, box: secretBox, resolver: ssoChallenges, discovery: ssoDiscovery }),
    platformSso: createPlatformSsoService({
      config,
      db,
      box: secretBox,
      resolver: ssoChallenges,
      discovery: ssoDiscovery,
    }),
    ssoSignIn,
    ssoDiscovery,
    account: createAccountService({ config, db, mail, rateLimiter }),
    members,
    preferences: createPreferencesService({ db }),
    platformAdmin: createPlatformAdminService({ db }),
    apiKeys: createApiKeysService({ config, db, rateLimiter, caches: principalCaches }),
    persistedDocuments: createPersistedDocumentsService({ db, maxTokens: config.graphqlLimits.maxTokens }),
    leads,
    leadTimeline: createLeadsTimelineService({ db }),
    conversations: createConversationsService({ db, messaging, operators }),
    operators,
    templates,
    workspaceSettings: createWorkspaceSettingsService({ config, db, integrations, providers }),
    retention: createRetentionService({ db }),
    workspaces: createWorkspacesService({ db }),
    search: createSearchService({ db }),
    audit,
    // Issue 50: the workspace's audit stream (JSON lines to an HTTPS endpoint, Standard Webhooks).
    auditStream: createAuditStreamService({ db, config, jobs, box: secretBox }),
    // Issue 50: the audit hash chain's status and its signed checkpoints (decision 0053).
    auditChain: createAuditChainService({ db, config }),
    secretBox,
    stepUp,
    accessExplainer: createAccessExplainerService({ db }),
    jobs,
    providers,
    integrations,
    messaging,
    bookings,
    voice,
    webhooks,
    contacts: createContactsService({ db, erasure: privacy }),
    contactTimeline: createContactTimelineService({ db, erasure: privacy }),
    phoneConfigs: createPhoneConfigsService({ db }),
    usage,
    campaigns,
    privacy,
    analytics: createAnalyticsService({ db }),
    home: createHomeService({ db, audit }),
    // Subscriptions' fan-out (issue 46): LISTENs on first use only.
    live: new LiveHub({
      url: db.ownerUrl,
      log: (msg, data) => {
        if (config.logLevel !== "silent") console.error(`[live] ${msg}`, data ?? "");
      },
    }),
  };
}

export type Services = ReturnType<typeof createServices>;
