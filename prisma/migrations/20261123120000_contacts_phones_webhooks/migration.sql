-- Contacts (R2: tags), phone configurations (R6) and outbound webhooks (A5). Tenant rules as
-- everywhere: workspace_id leads every key and index, composite FKs between tenant tables,
-- RLS enabled and forced with the same policy shape.

-- R2: free-form tags on contacts (lower-case, trimmed; filtered with `tags @> ARRAY[tag]`).
ALTER TABLE contacts
  ADD COLUMN tags text[] NOT NULL DEFAULT '{}',
  ADD CONSTRAINT contacts_tags_bounded CHECK (cardinality(tags) <= 20);

-- R6: the numbers a workspace sends and calls from. One default sender per provider.
CREATE TYPE phone_provider AS ENUM ('TWILIO', 'VAPI');
CREATE TABLE phone_configs (
  workspace_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  number text NOT NULL,
  provider phone_provider NOT NULL,
  label text NOT NULL,
  provider_ref text,
  is_default boolean NOT NULL DEFAULT false,
  created_at timestamptz(3) NOT NULL DEFAULT now(),
  updated_at timestamptz(3) NOT NULL DEFAULT now(),
  CONSTRAINT phone_configs_pkey PRIMARY KEY (workspace_id, id),
  CONSTRAINT phone_configs_number_e164 CHECK (number ~ '^\+[1-9][0-9]{6,14}$'),
  CONSTRAINT phone_configs_workspace_id_fkey FOREIGN KEY (workspace_id) REFERENCES workspaces (id) ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX phone_configs_workspace_id_number_key ON phone_configs (workspace_id, number);
CREATE UNIQUE INDEX phone_configs_one_default_per_provider ON phone_configs (workspace_id, provider) WHERE is_default;

-- A5: endpoints. The signing secret is sealed (JWE, like integration credentials); during a
-- rotation the previous secret stays valid (and is signed with too) until previous_secret_expires_at.
CREATE TABLE webhook_endpoints (
  workspace_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  url text NOT NULL,
  events text[] NOT NULL,
  enabled boolean NOT NULL DEFAULT true,
  disabled_reason text,
  secret_jwe text NOT NULL,
  previous_secret_jwe text,
  previous_secret_expires_at timestamptz(3),
  consecutive_failures integer NOT NULL DEFAULT 0,
  failing_since timestamptz(3),
  created_at timestamptz(3) NOT NULL DEFAULT now(),
  updated_at timestamptz(3) NOT NULL DEFAULT now(),
  CONSTRAINT webhook_endpoints_pkey PRIMARY KEY (workspace_id, id),
  CONSTRAINT webhook_endpoints_events_nonempty CHECK (cardinality(events) > 0),
  CONSTRAINT webhook_endpoints_workspace_id_fkey FOREIGN KEY (workspace_id) REFERENCES workspaces (id) ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX webhook_endpoints_workspace_id_created_at_idx ON webhook_endpoints (workspace_id, created_at DESC);

-- The outbox: an event is written in the transaction of the change it reports.
CREATE TABLE webhook_events (
  workspace_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  type text NOT NULL,
  payload jsonb NOT NULL,
  created_at timestamptz(3) NOT NULL DEFAULT now(),
  CONSTRAINT webhook_events_pkey PRIMARY KEY (workspace_id, id),
  CONSTRAINT webhook_events_workspace_id_fkey FOREIGN KEY (workspace_id) REFERENCES workspaces (id) ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX webhook_events_workspace_id_created_at_idx ON webhook_events (workspace_id, created_at DESC);

-- One delivery per (event, endpoint); its pg-boss job has the delivery's id per attempt.
CREATE TYPE webhook_delivery_status AS ENUM ('PENDING', 'SUCCEEDED', 'FAILED');
CREATE TABLE webhook_deliveries (
  workspace_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  endpoint_id uuid NOT NULL,
  event_id uuid NOT NULL,
  event_type text NOT NULL,
  status webhook_delivery_status NOT NULL DEFAULT 'PENDING',
  attempts integer NOT NULL DEFAULT 0,
  response_status integer,
  last_error text,
  first_attempt_at timestamptz(3),
  last_attempt_at timestamptz(3),
  next_attempt_at timestamptz(3),
  delivered_at timestamptz(3),
  created_at timestamptz(3) NOT NULL DEFAULT now(),
  updated_at timestamptz(3) NOT NULL DEFAULT now(),
  CONSTRAINT webhook_deliveries_pkey PRIMARY KEY (workspace_id, id),
  CONSTRAINT webhook_deliveries_workspace_id_fkey FOREIGN KEY (workspace_id) REFERENCES workspaces (id) ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT webhook_deliveries_workspace_id_endpoint_id_fkey FOREIGN KEY (workspace_id, endpoint_id) REFERENCES webhook_endpoints (workspace_id, id) ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT webhook_deliveries_workspace_id_event_id_fkey FOREIGN KEY (workspace_id, event_id) REFERENCES webhook_events (workspace_id, id) ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX webhook_deliveries_workspace_id_event_id_endpoint_id_key ON webhook_deliveries (workspace_id, event_id, endpoint_id);
CREATE INDEX webhook_deliveries_workspace_id_endpoint_id_created_at_idx ON webhook_deliveries (workspace_id, endpoint_id, created_at DESC, id DESC);

-- The delivery log: one row per attempt (request, response status, latency).
CREATE TABLE webhook_delivery_attempts (
  workspace_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  delivery_id uuid NOT NULL,
  attempt integer NOT NULL,
  manual boolean NOT NULL DEFAULT false,
  request_url text NOT NULL,
  request_headers jsonb NOT NULL,
  request_body text NOT NULL,
  response_status integer,
  response_body text,
  error text,
  latency_ms integer NOT NULL,
  created_at timestamptz(3) NOT NULL DEFAULT now(),
  CONSTRAINT webhook_delivery_attempts_pkey PRIMARY KEY (workspace_id, id),
  CONSTRAINT webhook_delivery_attempts_workspace_id_fkey FOREIGN KEY (workspace_id) REFERENCES workspaces (id) ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT webhook_delivery_attempts_workspace_id_delivery_id_fkey FOREIGN KEY (workspace_id, delivery_id) REFERENCES webhook_deliveries (workspace_id, id) ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX webhook_delivery_attempts_workspace_id_delivery_id_idx ON webhook_delivery_attempts (workspace_id, delivery_id, attempt);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['phone_configs', 'webhook_endpoints', 'webhook_events', 'webhook_deliveries', 'webhook_delivery_attempts'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format($p$CREATE POLICY %I ON %I
      USING (workspace_id = (SELECT nullif(current_setting('app.workspace_id', true), '')::uuid))
      WITH CHECK (workspace_id = (SELECT nullif(current_setting('app.workspace_id', true), '')::uuid))$p$, t || '_tenant', t);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO atrium_app', t);
  END LOOP;
END
$$;
