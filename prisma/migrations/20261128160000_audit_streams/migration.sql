-- Issue 50, audit streaming (decision 0052): per workspace, at most one HTTPS endpoint that
-- receives the workspace's audit events as JSON lines in batches, signed per Standard Webhooks.
-- The stream keeps its cursor (the last event delivered, by (created_at, id): the audit log's own
-- order and index) and the batch in flight (its id is the webhook-id of every attempt, and its
-- last event bounds what a retry sends, so a retry sends the same events).
CREATE TABLE audit_streams (
  workspace_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  url text NOT NULL,
  enabled boolean NOT NULL DEFAULT true,
  secret_jwe text NOT NULL,
  previous_secret_jwe text,
  previous_secret_expires_at timestamptz(3),
  cursor_created_at timestamptz(3),
  cursor_id uuid,
  batch_id uuid,
  batch_last_created_at timestamptz(3),
  batch_last_id uuid,
  batch_size integer,
  batch_attempts integer NOT NULL DEFAULT 0,
  consecutive_failures integer NOT NULL DEFAULT 0,
  last_error text,
  last_response_status integer,
  last_attempt_at timestamptz(3),
  last_delivered_at timestamptz(3),
  next_attempt_at timestamptz(3),
  delivered_events bigint NOT NULL DEFAULT 0,
  created_at timestamptz(3) NOT NULL DEFAULT now(),
  updated_at timestamptz(3) NOT NULL DEFAULT now(),
  CONSTRAINT audit_streams_pkey PRIMARY KEY (workspace_id, id),
  CONSTRAINT audit_streams_workspace_id_fkey FOREIGN KEY (workspace_id) REFERENCES workspaces (id) ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT audit_streams_cursor_check CHECK ((cursor_created_at IS NULL) = (cursor_id IS NULL)),
  CONSTRAINT audit_streams_batch_check CHECK ((batch_id IS NULL) = (batch_last_id IS NULL) AND (batch_last_id IS NULL) = (batch_last_created_at IS NULL))
);
-- One stream per workspace.
CREATE UNIQUE INDEX audit_streams_workspace_id_key ON audit_streams (workspace_id);

ALTER TABLE audit_streams ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_streams FORCE ROW LEVEL SECURITY;
CREATE POLICY audit_streams_tenant ON audit_streams
  USING (workspace_id = (SELECT nullif(current_setting('app.workspace_id', true), '')::uuid))
  WITH CHECK (workspace_id = (SELECT nullif(current_setting('app.workspace_id', true), '')::uuid));
GRANT SELECT, INSERT, UPDATE, DELETE ON audit_streams TO atrium_app;
