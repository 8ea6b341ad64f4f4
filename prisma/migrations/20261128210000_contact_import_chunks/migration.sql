-- Issue 52, large CSV imports (decision 0055): a file of any size is sent in chunks of at most
-- CONTACT_IMPORT_MAX_ROWS rows, each with the import's id (chosen by the client) and its number.
-- A chunk's row here is written in the transaction that writes its contacts, so it exists exactly
-- when the chunk is committed: the import's progress is these rows, a crash loses at most the
-- chunk in flight (rolled back whole), and a chunk sent again is answered from here, never applied
-- twice (unless its rows differ: CONFLICT IMPORT_CHUNK_DIFFERS). The outcome is kept as counts and
-- the rows refused (what the file's author must fix).
CREATE TABLE contact_import_chunks (
  workspace_id uuid NOT NULL,
  import_id uuid NOT NULL,
  chunk integer NOT NULL,
  chunks integer NOT NULL,
  rows integer NOT NULL,
  created integer NOT NULL,
  updated integer NOT NULL,
  skipped integer NOT NULL,
  failed integer NOT NULL,
  on_conflict text NOT NULL,
  plan_id text NOT NULL,
  -- A digest of the chunk's rows and conflict mode: a chunk number sent again with other rows is refused.
  digest text NOT NULL,
  errors jsonb NOT NULL DEFAULT '[]',
  created_at timestamptz(3) NOT NULL DEFAULT now(),
  CONSTRAINT contact_import_chunks_pkey PRIMARY KEY (workspace_id, import_id, chunk),
  CONSTRAINT contact_import_chunks_workspace_id_fkey FOREIGN KEY (workspace_id) REFERENCES workspaces (id) ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT contact_import_chunks_chunk_check CHECK (chunk >= 0 AND chunk < chunks)
);

ALTER TABLE contact_import_chunks ENABLE ROW LEVEL SECURITY;
ALTER TABLE contact_import_chunks FORCE ROW LEVEL SECURITY;
CREATE POLICY contact_import_chunks_tenant ON contact_import_chunks
  USING (workspace_id = (SELECT nullif(current_setting('app.workspace_id', true), '')::uuid))
  WITH CHECK (workspace_id = (SELECT nullif(current_setting('app.workspace_id', true), '')::uuid));
GRANT SELECT, INSERT, DELETE ON contact_import_chunks TO atrium_app;
