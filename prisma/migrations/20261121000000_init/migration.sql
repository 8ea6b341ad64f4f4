-- Atrium initial schema: identity, workspaces, memberships, audit.
-- Tenancy invariants (docs/security/tenancy.md):
--   * tenant tables carry workspace_id NOT NULL in their primary key, uniques, indexes and FKs;
--   * RLS is ENABLED and FORCED; policies read app.workspace_id / app.user_id through
--     (select nullif(current_setting(..., true), '')::uuid): no setting => NULL => zero rows;
--   * the API logs in as atrium_app: owns nothing, NOBYPASSRLS, DML grants only.

CREATE EXTENSION IF NOT EXISTS pgcrypto;

-- The schema owner runs the system client (identity look-ups, platform jobs), which must see
-- through the FORCEd policies on users/workspaces/memberships: it needs SUPERUSER or BYPASSRLS.
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = current_user AND (rolsuper OR rolbypassrls)) THEN
    RAISE EXCEPTION 'the migrating (owner) role % needs SUPERUSER or BYPASSRLS: ALTER ROLE % BYPASSRLS', current_user, current_user;
  END IF;
END
$$;

DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'atrium_app') THEN
    CREATE ROLE atrium_app LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOINHERIT;
  END IF;
END
$$;

GRANT USAGE ON SCHEMA public TO atrium_app;

CREATE TYPE channel AS ENUM ('WHATSAPP', 'VOICE');
CREATE TYPE environment AS ENUM ('DEVELOPMENT', 'STAGING', 'PRODUCTION');
CREATE TYPE membership_role AS ENUM ('OWNER', 'ADMIN', 'AGENT');
CREATE TYPE global_role AS ENUM ('ADMIN', 'USER');

-- ---------------------------------------------------------------- identity (platform tables)
CREATE TABLE users (
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  email text NOT NULL,
  name text NOT NULL,
  password_hash text NOT NULL,
  email_verified_at timestamptz(3),
  global_role global_role NOT NULL DEFAULT 'USER',
  disabled_at timestamptz(3),
  created_at timestamptz(3) NOT NULL DEFAULT now(),
  updated_at timestamptz(3) NOT NULL DEFAULT now(),
  CONSTRAINT users_pkey PRIMARY KEY (id),
  CONSTRAINT users_email_lowercase CHECK (email = lower(email))
);
CREATE UNIQUE INDEX users_email_key ON users (email);

CREATE TABLE email_verifications (
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL,
  token_hash text NOT NULL,
  expires_at timestamptz(3) NOT NULL,
  used_at timestamptz(3),
  created_at timestamptz(3) NOT NULL DEFAULT now(),
  CONSTRAINT email_verifications_pkey PRIMARY KEY (id),
  CONSTRAINT email_verifications_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX email_verifications_token_hash_key ON email_verifications (token_hash);
CREATE INDEX email_verifications_user_id_idx ON email_verifications (user_id);

CREATE TABLE sessions (
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL,
  created_at timestamptz(3) NOT NULL DEFAULT now(),
  last_seen_at timestamptz(3) NOT NULL DEFAULT now(),
  revoked_at timestamptz(3),
  user_agent text,
  ip text,
  CONSTRAINT sessions_pkey PRIMARY KEY (id),
  CONSTRAINT sessions_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX sessions_user_id_idx ON sessions (user_id);

CREATE TABLE refresh_tokens (
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  session_id uuid NOT NULL,
  token_hash text NOT NULL,
  expires_at timestamptz(3) NOT NULL,
  rotated_at timestamptz(3),
  created_at timestamptz(3) NOT NULL DEFAULT now(),
  CONSTRAINT refresh_tokens_pkey PRIMARY KEY (id),
  CONSTRAINT refresh_tokens_session_id_fkey FOREIGN KEY (session_id) REFERENCES sessions (id) ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX refresh_tokens_token_hash_key ON refresh_tokens (token_hash);
CREATE INDEX refresh_tokens_session_id_idx ON refresh_tokens (session_id);

CREATE TABLE platform_audit_events (
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  actor_user_id uuid,
  workspace_id uuid,
  action text NOT NULL,
  data jsonb NOT NULL DEFAULT '{}',
  ip text,
  request_id text,
  created_at timestamptz(3) NOT NULL DEFAULT now(),
  CONSTRAINT platform_audit_events_pkey PRIMARY KEY (id)
);
CREATE INDEX platform_audit_events_created_at_idx ON platform_audit_events (created_at);

CREATE TABLE dev_mails (
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  "to" text NOT NULL,
  subject text NOT NULL,
  text text NOT NULL,
  created_at timestamptz(3) NOT NULL DEFAULT now(),
  CONSTRAINT dev_mails_pkey PRIMARY KEY (id)
);
CREATE INDEX dev_mails_to_created_at_idx ON dev_mails ("to", created_at DESC);

CREATE TABLE rate_limit_buckets (
  key text NOT NULL,
  count integer NOT NULL,
  reset_at timestamptz(3) NOT NULL,
  CONSTRAINT rate_limit_buckets_pkey PRIMARY KEY (key)
);
CREATE INDEX rate_limit_buckets_reset_at_idx ON rate_limit_buckets (reset_at);

-- Platform tables are reached only through the system client (owner role). The app role gets
-- no grants on them, except reading users that share its current workspace (below).

-- ---------------------------------------------------------------- workspaces (tenant root)
CREATE TABLE workspaces (
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  slug text NOT NULL,
  name text NOT NULL,
  description text,
  channel channel NOT NULL,
  environment environment NOT NULL DEFAULT 'DEVELOPMENT',
  agent_paused boolean NOT NULL DEFAULT false,
  retention_days integer,
  created_at timestamptz(3) NOT NULL DEFAULT now(),
  updated_at timestamptz(3) NOT NULL DEFAULT now(),
  CONSTRAINT workspaces_pkey PRIMARY KEY (id),
  CONSTRAINT workspaces_slug_format CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND length(slug) BETWEEN 3 AND 48),
  CONSTRAINT workspaces_retention_days_positive CHECK (retention_days IS NULL OR retention_days > 0)
);
CREATE UNIQUE INDEX workspaces_slug_key ON workspaces (slug);

-- W2: the channel is chosen at creation and never changes, whoever issues the UPDATE.
CREATE FUNCTION workspaces_channel_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.channel IS DISTINCT FROM OLD.channel THEN
    RAISE EXCEPTION 'workspace channel is immutable' USING ERRCODE = 'check_violation', CONSTRAINT = 'workspaces_channel_immutable';
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER workspaces_channel_immutable BEFORE UPDATE OF channel ON workspaces
  FOR EACH ROW EXECUTE FUNCTION workspaces_channel_immutable();

CREATE TABLE memberships (
  workspace_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL,
  role membership_role NOT NULL,
  policies text[] NOT NULL DEFAULT '{}',
  created_at timestamptz(3) NOT NULL DEFAULT now(),
  updated_at timestamptz(3) NOT NULL DEFAULT now(),
  CONSTRAINT memberships_pkey PRIMARY KEY (workspace_id, id),
  CONSTRAINT memberships_workspace_id_fkey FOREIGN KEY (workspace_id) REFERENCES workspaces (id) ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT memberships_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX memberships_workspace_id_user_id_key ON memberships (workspace_id, user_id);
CREATE INDEX memberships_user_id_idx ON memberships (user_id);

CREATE TABLE audit_events (
  workspace_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  actor_user_id uuid,
  actor_membership_id uuid,
  actor_api_key_id uuid,
  action text NOT NULL,
  target_type text,
  target_id text,
  data jsonb NOT NULL DEFAULT '{}',
  ip text,
  user_agent text,
  request_id text,
  created_at timestamptz(3) NOT NULL DEFAULT now(),
  CONSTRAINT audit_events_pkey PRIMARY KEY (workspace_id, id),
  CONSTRAINT audit_events_workspace_id_fkey FOREIGN KEY (workspace_id) REFERENCES workspaces (id) ON DELETE CASCADE ON UPDATE CASCADE,
  -- Composite: the acting membership must belong to the same workspace. Removing the member keeps
  -- the event (only the membership link is cleared).
  CONSTRAINT audit_events_workspace_id_actor_membership_id_fkey FOREIGN KEY (workspace_id, actor_membership_id)
    REFERENCES memberships (workspace_id, id) ON DELETE SET NULL (actor_membership_id) ON UPDATE CASCADE
);
CREATE INDEX audit_events_workspace_id_actor_membership_id_idx ON audit_events (workspace_id, actor_membership_id);
CREATE INDEX audit_events_workspace_id_created_at_id_idx ON audit_events (workspace_id, created_at DESC, id DESC);

-- ---------------------------------------------------------------- row-level security
ALTER TABLE workspaces ENABLE ROW LEVEL SECURITY;
ALTER TABLE workspaces FORCE ROW LEVEL SECURITY;
ALTER TABLE memberships ENABLE ROW LEVEL SECURITY;
ALTER TABLE memberships FORCE ROW LEVEL SECURITY;
ALTER TABLE audit_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_events FORCE ROW LEVEL SECURITY;
ALTER TABLE users ENABLE ROW LEVEL SECURITY;
ALTER TABLE users FORCE ROW LEVEL SECURITY;

-- A membership row is visible inside its workspace, and to its own user (the workspace list).
CREATE POLICY memberships_tenant ON memberships
  USING (
    workspace_id = (SELECT nullif(current_setting('app.workspace_id', true), '')::uuid)
    OR user_id = (SELECT nullif(current_setting('app.user_id', true), '')::uuid)
  )
  WITH CHECK (workspace_id = (SELECT nullif(current_setting('app.workspace_id', true), '')::uuid));

-- A workspace is visible in its own context and to its members; writable only in its context.
CREATE POLICY workspaces_select ON workspaces FOR SELECT
  USING (
    id = (SELECT nullif(current_setting('app.workspace_id', true), '')::uuid)
    OR EXISTS (
      SELECT 1 FROM memberships m
      WHERE m.workspace_id = workspaces.id
        AND m.user_id = (SELECT nullif(current_setting('app.user_id', true), '')::uuid)
    )
  );
CREATE POLICY workspaces_insert ON workspaces FOR INSERT
  WITH CHECK (id = (SELECT nullif(current_setting('app.workspace_id', true), '')::uuid));
CREATE POLICY workspaces_update ON workspaces FOR UPDATE
  USING (id = (SELECT nullif(current_setting('app.workspace_id', true), '')::uuid))
  WITH CHECK (id = (SELECT nullif(current_setting('app.workspace_id', true), '')::uuid));
CREATE POLICY workspaces_delete ON workspaces FOR DELETE
  USING (id = (SELECT nullif(current_setting('app.workspace_id', true), '')::uuid));

CREATE POLICY audit_events_tenant ON audit_events
  USING (workspace_id = (SELECT nullif(current_setting('app.workspace_id', true), '')::uuid))
  WITH CHECK (workspace_id = (SELECT nullif(current_setting('app.workspace_id', true), '')::uuid));

-- Users: yourself, and the members of the workspace in context. Sign-in and sign-up go through
-- the system client.
CREATE POLICY users_select ON users FOR SELECT
  USING (
    id = (SELECT nullif(current_setting('app.user_id', true), '')::uuid)
    OR EXISTS (
      SELECT 1 FROM memberships m
      WHERE m.user_id = users.id
        AND m.workspace_id = (SELECT nullif(current_setting('app.workspace_id', true), '')::uuid)
    )
  );
CREATE POLICY users_update_self ON users FOR UPDATE
  USING (id = (SELECT nullif(current_setting('app.user_id', true), '')::uuid))
  WITH CHECK (id = (SELECT nullif(current_setting('app.user_id', true), '')::uuid));

GRANT SELECT, INSERT, UPDATE, DELETE ON workspaces, memberships TO atrium_app;
GRANT SELECT, INSERT ON audit_events TO atrium_app;
GRANT SELECT (id, email, name, email_verified_at, global_role, disabled_at, created_at, updated_at) ON users TO atrium_app;
GRANT UPDATE (name, updated_at) ON users TO atrium_app;
