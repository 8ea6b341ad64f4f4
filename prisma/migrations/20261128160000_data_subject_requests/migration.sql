-- Issue 50 (decision 0051): data-subject requests. A request exports (one zip, downloadable for
-- 7 days) or erases everything a workspace holds about one person, named by e-mail and/or phone.
-- The subject's address is kept in clear only while the request runs (the job needs it to find
-- the rows) and is cleared when it finishes; what stays is its keyed hash (HMAC-SHA-256 under a
-- platform secret). An erasure runs in recorded steps (`step`), each idempotent, so a process
-- killed mid-way resumes where it stopped and finishes once.
-- A tombstone is the keyed hash of an erased e-mail or phone: imports and campaigns consult it so
-- the person is not re-contacted unknowingly.

CREATE TABLE data_subject_requests (
  workspace_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  kind text NOT NULL CHECK (kind IN ('EXPORT', 'ERASE')),
  status text NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'RUNNING', 'COMPLETED', 'FAILED')),
  subject_email text,
  subject_phone text,
  email_hash text,
  phone_hash text,
  requested_by_user_id uuid,
  requested_by_membership_id uuid,
  step integer NOT NULL DEFAULT 0,
  processed integer NOT NULL DEFAULT 0,
  total integer NOT NULL DEFAULT 0,
  counts jsonb NOT NULL DEFAULT '{}',
  provider_targets jsonb NOT NULL DEFAULT '[]',
  archive bytea,
  download_expires_at timestamptz(3),
  error text,
  completed_at timestamptz(3),
  created_at timestamptz(3) NOT NULL DEFAULT now(),
  updated_at timestamptz(3) NOT NULL DEFAULT now(),
  CONSTRAINT data_subject_requests_pkey PRIMARY KEY (workspace_id, id),
  CONSTRAINT data_subject_requests_workspace_id_fkey FOREIGN KEY (workspace_id) REFERENCES workspaces (id) ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT data_subject_requests_workspace_id_requested_by_membership_id_fkey FOREIGN KEY (workspace_id, requested_by_membership_id)
    REFERENCES memberships (workspace_id, id) ON DELETE SET NULL (requested_by_membership_id) ON UPDATE CASCADE,
  CONSTRAINT data_subject_requests_subject_check CHECK (email_hash IS NOT NULL OR phone_hash IS NOT NULL)
);
CREATE INDEX data_subject_requests_workspace_id_created_at_id_idx ON data_subject_requests (workspace_id, created_at DESC, id DESC);
CREATE INDEX data_subject_requests_workspace_id_requested_by_membership_id_idx ON data_subject_requests (workspace_id, requested_by_membership_id);

ALTER TABLE data_subject_requests ENABLE ROW LEVEL SECURITY;
ALTER TABLE data_subject_requests FORCE ROW LEVEL SECURITY;
CREATE POLICY data_subject_requests_tenant ON data_subject_requests
  USING (workspace_id = (SELECT nullif(current_setting('app.workspace_id', true), '')::uuid))
  WITH CHECK (workspace_id = (SELECT nullif(current_setting('app.workspace_id', true), '')::uuid));
GRANT SELECT, INSERT, UPDATE, DELETE ON data_subject_requests TO atrium_app;

CREATE TABLE erasure_tombstones (
  workspace_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  kind text NOT NULL CHECK (kind IN ('EMAIL', 'PHONE')),
  value_hash text NOT NULL,
  request_id uuid,
  created_at timestamptz(3) NOT NULL DEFAULT now(),
  CONSTRAINT erasure_tombstones_pkey PRIMARY KEY (workspace_id, id),
  CONSTRAINT erasure_tombstones_workspace_id_fkey FOREIGN KEY (workspace_id) REFERENCES workspaces (id) ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT erasure_tombstones_workspace_id_request_id_fkey FOREIGN KEY (workspace_id, request_id)
    REFERENCES data_subject_requests (workspace_id, id) ON DELETE SET NULL (request_id) ON UPDATE CASCADE
);
CREATE UNIQUE INDEX erasure_tombstones_workspace_id_kind_value_hash_key ON erasure_tombstones (workspace_id, kind, value_hash);
CREATE INDEX erasure_tombstones_workspace_id_request_id_idx ON erasure_tombstones (workspace_id, request_id);

ALTER TABLE erasure_tombstones ENABLE ROW LEVEL SECURITY;
ALTER TABLE erasure_tombstones FORCE ROW LEVEL SECURITY;
CREATE POLICY erasure_tombstones_tenant ON erasure_tombstones
  USING (workspace_id = (SELECT nullif(current_setting('app.workspace_id', true), '')::uuid))
  WITH CHECK (workspace_id = (SELECT nullif(current_setting('app.workspace_id', true), '')::uuid));
GRANT SELECT, INSERT, DELETE ON erasure_tombstones TO atrium_app;
