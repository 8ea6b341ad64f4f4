-- Campaigns (R5), analytics (R7), usage and plans (billing.read / billing.manage) — issue 13,
-- decision 0017. Tenant rules as everywhere: workspace_id leads every key and index, composite
-- FKs between tenant tables, RLS forced.

-- Opt-out (a contact who replied STOP is never sent a campaign). Tags, the other audience,
-- come from 20261123120000_contacts_phones_webhooks.
ALTER TABLE contacts ADD COLUMN opted_out_at timestamptz(3);

-- When a send's latest attempt started: a retry whose previous attempt left no outcome waits until
-- that attempt cannot still be in flight (provider timeout + margin) before asking Twilio for it.
ALTER TABLE messages ADD COLUMN last_attempt_at timestamptz(3);

-- A send beyond the plan's monthly quota waits with this status (never dropped).
ALTER TYPE message_status ADD VALUE IF NOT EXISTS 'HELD_QUOTA';
ALTER TYPE call_status ADD VALUE IF NOT EXISTS 'HELD_QUOTA';

-- Analytics: per-day counts of a workspace's messages by direction read the index only.
CREATE INDEX messages_workspace_id_created_at_direction_idx ON messages (workspace_id, created_at, direction);
CREATE INDEX bookings_workspace_id_created_at_idx ON bookings (workspace_id, created_at);

-- Analytics rollup: message counts of closed UTC days, filled on first read from the index above
-- (a closed day's messages never change: created_at is set once, at insert). Today is always
-- counted live. Decision 0017.
CREATE TABLE analytics_daily_messages (
  workspace_id uuid NOT NULL,
  day date NOT NULL,
  messages_in integer NOT NULL,
  messages_out integer NOT NULL,
  computed_at timestamptz(3) NOT NULL DEFAULT now(),
  CONSTRAINT analytics_daily_messages_pkey PRIMARY KEY (workspace_id, day),
  CONSTRAINT analytics_daily_messages_workspace_id_fkey FOREIGN KEY (workspace_id) REFERENCES workspaces (id) ON DELETE CASCADE ON UPDATE CASCADE
);

CREATE TYPE campaign_status AS ENUM ('DRAFT', 'SCHEDULED', 'RUNNING', 'PAUSED', 'COMPLETED', 'CANCELLED');
CREATE TABLE campaigns (
  workspace_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  name text NOT NULL,
  message text NOT NULL,
  status campaign_status NOT NULL DEFAULT 'DRAFT',
  audience_contact_ids uuid[] NOT NULL DEFAULT '{}',
  audience_tag text,
  scheduled_at timestamptz(3),
  started_at timestamptz(3),
  completed_at timestamptz(3),
  created_by_membership_id uuid,
  created_at timestamptz(3) NOT NULL DEFAULT now(),
  updated_at timestamptz(3) NOT NULL DEFAULT now(),
  CONSTRAINT campaigns_pkey PRIMARY KEY (workspace_id, id),
  CONSTRAINT campaigns_workspace_id_fkey FOREIGN KEY (workspace_id) REFERENCES workspaces (id) ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT campaigns_workspace_id_created_by_membership_id_fkey FOREIGN KEY (workspace_id, created_by_membership_id)
    REFERENCES memberships (workspace_id, id) ON DELETE SET NULL (created_by_membership_id) ON UPDATE CASCADE
);
CREATE INDEX campaigns_workspace_id_created_at_id_idx ON campaigns (workspace_id, created_at DESC, id DESC);
CREATE INDEX campaigns_workspace_id_created_by_membership_id_idx ON campaigns (workspace_id, created_by_membership_id);

-- One row per (campaign, contact), claimed transactionally: PENDING → QUEUED (its message and
-- send job written in the same transaction) or SKIPPED (opted out) or CANCELLED. The unique key
-- is the exactly-once guarantee across restarts and instances.
CREATE TYPE campaign_recipient_status AS ENUM ('PENDING', 'QUEUED', 'SKIPPED', 'CANCELLED');
CREATE TABLE campaign_recipients (
  workspace_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  campaign_id uuid NOT NULL,
  contact_id uuid NOT NULL,
  status campaign_recipient_status NOT NULL DEFAULT 'PENDING',
  message_id uuid,
  skip_reason text,
  created_at timestamptz(3) NOT NULL DEFAULT now(),
  updated_at timestamptz(3) NOT NULL DEFAULT now(),
  CONSTRAINT campaign_recipients_pkey PRIMARY KEY (workspace_id, id),
  CONSTRAINT campaign_recipients_workspace_id_fkey FOREIGN KEY (workspace_id) REFERENCES workspaces (id) ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT campaign_recipients_workspace_id_campaign_id_fkey FOREIGN KEY (workspace_id, campaign_id) REFERENCES campaigns (workspace_id, id) ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT campaign_recipients_workspace_id_contact_id_fkey FOREIGN KEY (workspace_id, contact_id) REFERENCES contacts (workspace_id, id) ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT campaign_recipients_workspace_id_message_id_fkey FOREIGN KEY (workspace_id, message_id) REFERENCES messages (workspace_id, id) ON DELETE SET NULL (message_id) ON UPDATE CASCADE
);
CREATE UNIQUE INDEX campaign_recipients_workspace_id_campaign_id_contact_id_key ON campaign_recipients (workspace_id, campaign_id, contact_id);
CREATE UNIQUE INDEX campaign_recipients_workspace_id_message_id_key ON campaign_recipients (workspace_id, message_id);
CREATE INDEX campaign_recipients_workspace_id_campaign_id_status_idx ON campaign_recipients (workspace_id, campaign_id, status);
CREATE INDEX campaign_recipients_workspace_id_contact_id_idx ON campaign_recipients (workspace_id, contact_id);

-- Plans: a platform catalog (the platform admin defines them). Quotas are per calendar month
-- (UTC); NULL means unlimited. Not secret: the app role may read them (a workspace shows the
-- plans it may switch to, and the quota check runs in the tenant transaction).
CREATE TABLE plans (
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  name text NOT NULL,
  monthly_messages integer,
  monthly_calls integer,
  monthly_leads integer,
  offered boolean NOT NULL DEFAULT true,
  created_at timestamptz(3) NOT NULL DEFAULT now(),
  updated_at timestamptz(3) NOT NULL DEFAULT now(),
  CONSTRAINT plans_pkey PRIMARY KEY (id),
  CONSTRAINT plans_quotas_not_negative CHECK (coalesce(monthly_messages, 0) >= 0 AND coalesce(monthly_calls, 0) >= 0 AND coalesce(monthly_leads, 0) >= 0)
);
CREATE UNIQUE INDEX plans_name_key ON plans (name);
GRANT SELECT ON plans TO atrium_app;

ALTER TABLE workspaces ADD COLUMN plan_id uuid,
  ADD CONSTRAINT workspaces_plan_id_fkey FOREIGN KEY (plan_id) REFERENCES plans (id) ON DELETE RESTRICT ON UPDATE CASCADE;
CREATE INDEX workspaces_plan_id_idx ON workspaces (plan_id);

-- Metered usage: one counter row per workspace, month (first day, UTC) and metric, incremented
-- atomically (INSERT … ON CONFLICT DO UPDATE … WHERE used < quota), so it is exact under
-- concurrency and across instances.
CREATE TYPE usage_metric AS ENUM ('MESSAGES', 'CALLS', 'LEADS');
CREATE TABLE usage_counters (
  workspace_id uuid NOT NULL,
  month date NOT NULL,
  metric usage_metric NOT NULL,
  used integer NOT NULL DEFAULT 0,
  updated_at timestamptz(3) NOT NULL DEFAULT now(),
  CONSTRAINT usage_counters_pkey PRIMARY KEY (workspace_id, month, metric),
  CONSTRAINT usage_counters_used_not_negative CHECK (used >= 0),
  CONSTRAINT usage_counters_workspace_id_fkey FOREIGN KEY (workspace_id) REFERENCES workspaces (id) ON DELETE CASCADE ON UPDATE CASCADE
);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['campaigns', 'campaign_recipients', 'usage_counters', 'analytics_daily_messages'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format($p$CREATE POLICY %I ON %I
      USING (workspace_id = (SELECT nullif(current_setting('app.workspace_id', true), '')::uuid))
      WITH CHECK (workspace_id = (SELECT nullif(current_setting('app.workspace_id', true), '')::uuid))$p$, t || '_tenant', t);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO atrium_app', t);
  END LOOP;
END
$$;
