-- Issue 49: single sign-on with OpenID Connect on verified e-mail domains (decision 0039).
-- A workspace connects one provider (issuer, client id, client secret sealed like integration
-- credentials) and claims e-mail domains, each proven by a DNS TXT record whose token is stored
-- hashed. A sign-in in flight (state, nonce, PKCE verifier) is identity data: the app role never
-- sees it; the system client creates it at /sso/start and spends it at /sso/callback.

CREATE TABLE sso_connections (
  workspace_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  issuer_url text NOT NULL,
  client_id text NOT NULL,
  secret_jwe text NOT NULL,
  key_id text NOT NULL,
  default_preset text NOT NULL,
  created_at timestamptz(3) NOT NULL DEFAULT now(),
  updated_at timestamptz(3) NOT NULL DEFAULT now(),
  CONSTRAINT sso_connections_pkey PRIMARY KEY (workspace_id, id),
  CONSTRAINT sso_connections_workspace_id_fkey FOREIGN KEY (workspace_id) REFERENCES workspaces (id) ON DELETE CASCADE ON UPDATE CASCADE
);
-- One provider per workspace.
CREATE UNIQUE INDEX sso_connections_workspace_id_key ON sso_connections (workspace_id);

CREATE TABLE sso_domains (
  workspace_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  connection_id uuid NOT NULL,
  domain text NOT NULL,
  token_hash text NOT NULL,
  verified_at timestamptz(3),
  require_sso boolean NOT NULL DEFAULT false,
  created_at timestamptz(3) NOT NULL DEFAULT now(),
  CONSTRAINT sso_domains_pkey PRIMARY KEY (workspace_id, id),
  CONSTRAINT sso_domains_workspace_id_fkey FOREIGN KEY (workspace_id) REFERENCES workspaces (id) ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT sso_domains_workspace_id_connection_id_fkey FOREIGN KEY (workspace_id, connection_id) REFERENCES sso_connections (workspace_id, id) ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX sso_domains_workspace_id_domain_key ON sso_domains (workspace_id, domain);
CREATE INDEX sso_domains_workspace_id_connection_id_idx ON sso_domains (workspace_id, connection_id);
-- Sign-in routes an e-mail's domain to its workspace before any tenant context exists.
CREATE INDEX sso_domains_domain_idx ON sso_domains (domain);

ALTER TABLE sso_connections ENABLE ROW LEVEL SECURITY;
ALTER TABLE sso_connections FORCE ROW LEVEL SECURITY;
CREATE POLICY sso_connections_tenant ON sso_connections
  USING (workspace_id = (SELECT nullif(current_setting('app.workspace_id', true), '')::uuid))
  WITH CHECK (workspace_id = (SELECT nullif(current_setting('app.workspace_id', true), '')::uuid));
GRANT SELECT, INSERT, UPDATE, DELETE ON sso_connections TO atrium_app;

ALTER TABLE sso_domains ENABLE ROW LEVEL SECURITY;
ALTER TABLE sso_domains FORCE ROW LEVEL SECURITY;
CREATE POLICY sso_domains_tenant ON sso_domains
  USING (workspace_id = (SELECT nullif(current_setting('app.workspace_id', true), '')::uuid))
  WITH CHECK (workspace_id = (SELECT nullif(current_setting('app.workspace_id', true), '')::uuid));
GRANT SELECT, INSERT, UPDATE, DELETE ON sso_domains TO atrium_app;

-- Whether another workspace already holds `p_domain` verified: a yes or no, nothing else, for
-- the workspace of the caller's tenant context (verification refuses a domain taken elsewhere).
CREATE FUNCTION sso_domain_verified_elsewhere(p_domain text) RETURNS boolean
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS
  $$ SELECT EXISTS (SELECT 1 FROM sso_domains
                     WHERE domain = p_domain AND verified_at IS NOT NULL
                       AND workspace_id IS DISTINCT FROM nullif(current_setting('app.workspace_id', true), '')::uuid) $$;
REVOKE ALL ON FUNCTION sso_domain_verified_elsewhere(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION sso_domain_verified_elsewhere(text) TO atrium_app;

-- A sign-in in flight: found by the hash of its state, spent once (used_at), 10 minutes.
CREATE TABLE sso_sign_ins (
  state_hash text NOT NULL,
  workspace_id uuid NOT NULL,
  connection_id uuid NOT NULL,
  nonce text NOT NULL,
  code_verifier text NOT NULL,
  created_at timestamptz(3) NOT NULL DEFAULT now(),
  expires_at timestamptz(3) NOT NULL,
  used_at timestamptz(3),
  CONSTRAINT sso_sign_ins_pkey PRIMARY KEY (state_hash),
  CONSTRAINT sso_sign_ins_workspace_id_connection_id_fkey FOREIGN KEY (workspace_id, connection_id) REFERENCES sso_connections (workspace_id, id) ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX sso_sign_ins_workspace_id_connection_id_idx ON sso_sign_ins (workspace_id, connection_id);
CREATE INDEX sso_sign_ins_expires_at_idx ON sso_sign_ins (expires_at);
