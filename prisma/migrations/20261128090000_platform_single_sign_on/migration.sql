-- Issue 49, the platform-wide variant (decision 0039, addendum): the platform admin connects one
-- OpenID Connect provider for the whole platform (client secret sealed like a workspace's, bound
-- to "platform" / "sso") and claims e-mail domains for it, each proven by the same DNS TXT
-- record (token stored hashed). Platform data like platform_settings: no workspace_id, no
-- privilege for the app role (the system client reads and writes them).
--
-- A domain is verified in one place at most: one workspace, or the platform. Workspaces learn
-- whether the platform holds a domain through a SECURITY DEFINER yes or no (the app role cannot
-- read these tables); the platform side reads sso_domains as the owner.

CREATE TABLE platform_sso_connections (
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  -- One provider for the platform: the only value is 1.
  slot smallint NOT NULL DEFAULT 1,
  issuer_url text NOT NULL,
  client_id text NOT NULL,
  secret_jwe text NOT NULL,
  key_id text NOT NULL,
  created_at timestamptz(3) NOT NULL DEFAULT now(),
  updated_at timestamptz(3) NOT NULL DEFAULT now(),
  CONSTRAINT platform_sso_connections_pkey PRIMARY KEY (id),
  CONSTRAINT platform_sso_connections_one CHECK (slot = 1)
);
CREATE UNIQUE INDEX platform_sso_connections_slot_key ON platform_sso_connections (slot);

CREATE TABLE platform_sso_domains (
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  connection_id uuid NOT NULL,
  domain text NOT NULL,
  token_hash text NOT NULL,
  verified_at timestamptz(3),
  require_sso boolean NOT NULL DEFAULT false,
  created_at timestamptz(3) NOT NULL DEFAULT now(),
  CONSTRAINT platform_sso_domains_pkey PRIMARY KEY (id),
  CONSTRAINT platform_sso_domains_connection_id_fkey FOREIGN KEY (connection_id) REFERENCES platform_sso_connections (id) ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX platform_sso_domains_domain_key ON platform_sso_domains (domain);
CREATE INDEX platform_sso_domains_connection_id_idx ON platform_sso_domains (connection_id);

-- A sign-in in flight is a workspace's or the platform's: exactly one of the two references.
ALTER TABLE sso_sign_ins ALTER COLUMN workspace_id DROP NOT NULL;
ALTER TABLE sso_sign_ins ALTER COLUMN connection_id DROP NOT NULL;
ALTER TABLE sso_sign_ins ADD COLUMN platform_connection_id uuid;
ALTER TABLE sso_sign_ins ADD CONSTRAINT sso_sign_ins_platform_connection_id_fkey FOREIGN KEY (platform_connection_id) REFERENCES platform_sso_connections (id) ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE sso_sign_ins ADD CONSTRAINT sso_sign_ins_one_connection CHECK (
  (workspace_id IS NOT NULL AND connection_id IS NOT NULL AND platform_connection_id IS NULL)
  OR (workspace_id IS NULL AND connection_id IS NULL AND platform_connection_id IS NOT NULL));
CREATE INDEX sso_sign_ins_platform_connection_id_idx ON sso_sign_ins (platform_connection_id);

-- Whether the platform holds `p_domain` verified: a yes or no for workspace owners (adding and
-- verifying a workspace domain refuse a domain the platform holds).
CREATE FUNCTION sso_domain_verified_by_platform(p_domain text) RETURNS boolean
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS
  $$ SELECT EXISTS (SELECT 1 FROM platform_sso_domains WHERE domain = p_domain AND verified_at IS NOT NULL) $$;
REVOKE ALL ON FUNCTION sso_domain_verified_by_platform(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION sso_domain_verified_by_platform(text) TO atrium_app;
