-- Integration credentials (I1, I2, S6): one card per provider and workspace. Secret fields are
-- stored only inside `secret_jwe` (JWE compact, dir + A256GCM, `kid` naming the platform key);
-- `settings` holds the non-secret fields. `key_id` repeats the JWE's kid so rotation and the
-- diagnostics count rows per key without decrypting anything.

CREATE TYPE integration_provider AS ENUM ('TWILIO', 'VAPI', 'CALCOM', 'OPENAI');

CREATE TABLE integrations (
  workspace_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  provider integration_provider NOT NULL,
  settings jsonb NOT NULL DEFAULT '{}',
  secret_jwe text NOT NULL,
  key_id text NOT NULL,
  updated_by_membership_id uuid,
  created_at timestamptz(3) NOT NULL DEFAULT now(),
  updated_at timestamptz(3) NOT NULL DEFAULT now(),
  CONSTRAINT integrations_pkey PRIMARY KEY (workspace_id, id),
  CONSTRAINT integrations_secret_is_jwe CHECK (secret_jwe ~ '^[A-Za-z0-9_-]+\.\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$'),
  CONSTRAINT integrations_workspace_id_fkey FOREIGN KEY (workspace_id) REFERENCES workspaces (id) ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT integrations_workspace_id_updated_by_membership_id_fkey FOREIGN KEY (workspace_id, updated_by_membership_id)
    REFERENCES memberships (workspace_id, id) ON DELETE SET NULL (updated_by_membership_id) ON UPDATE CASCADE
);
CREATE UNIQUE INDEX integrations_workspace_id_provider_key ON integrations (workspace_id, provider);
CREATE INDEX integrations_workspace_id_updated_by_membership_id_idx ON integrations (workspace_id, updated_by_membership_id);

ALTER TABLE integrations ENABLE ROW LEVEL SECURITY;
ALTER TABLE integrations FORCE ROW LEVEL SECURITY;
CREATE POLICY integrations_tenant ON integrations
  USING (workspace_id = (SELECT nullif(current_setting('app.workspace_id', true), '')::uuid))
  WITH CHECK (workspace_id = (SELECT nullif(current_setting('app.workspace_id', true), '')::uuid));
GRANT SELECT, INSERT, UPDATE, DELETE ON integrations TO atrium_app;

-- W8 diagnostics: how many secrets each platform key still protects, across workspaces. Counts
-- only: no row, workspace or ciphertext leaves this function.
CREATE FUNCTION integration_secrets_per_key() RETURNS TABLE (key_id text, secrets bigint)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS
  $$ SELECT key_id, count(*) FROM integrations GROUP BY key_id $$;
REVOKE ALL ON FUNCTION integration_secrets_per_key() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION integration_secrets_per_key() TO atrium_app;
