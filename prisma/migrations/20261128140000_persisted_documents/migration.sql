-- Issue 51: persisted documents an integrator registers for its workspace (apikey.manage). A
-- document is stored exactly as sent and named by the SHA-256 of that text (lowercase hex), the id
-- a client sends instead of the document (`documentId`, or APQ's `extensions.persistedQuery`).
-- API keys held to persisted operations may run the platform manifest's documents and their own
-- workspace's registered ones.
CREATE TABLE persisted_documents (
  workspace_id uuid NOT NULL,
  sha256 text NOT NULL,
  name text NOT NULL,
  body text NOT NULL,
  operation_names text[] NOT NULL DEFAULT '{}',
  created_at timestamptz(3) NOT NULL DEFAULT now(),
  CONSTRAINT persisted_documents_pkey PRIMARY KEY (workspace_id, sha256),
  CONSTRAINT persisted_documents_sha256_check CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  CONSTRAINT persisted_documents_workspace_id_fkey FOREIGN KEY (workspace_id) REFERENCES workspaces (id) ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX persisted_documents_workspace_id_name_key ON persisted_documents (workspace_id, name);

ALTER TABLE persisted_documents ENABLE ROW LEVEL SECURITY;
ALTER TABLE persisted_documents FORCE ROW LEVEL SECURITY;
CREATE POLICY persisted_documents_tenant ON persisted_documents
  USING (workspace_id = (SELECT nullif(current_setting('app.workspace_id', true), '')::uuid))
  WITH CHECK (workspace_id = (SELECT nullif(current_setting('app.workspace_id', true), '')::uuid));
-- Documents are immutable (a change is a new hash): no UPDATE.
GRANT SELECT, INSERT, DELETE ON persisted_documents TO atrium_app;
