-- Members, invitations, ownership invariant, platform settings (issue 3: M1–M9).

-- ---------------------------------------------------------------- invitations (tenant table)
CREATE TABLE invitations (
  workspace_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  email text NOT NULL,
  role membership_role NOT NULL,
  policies text[] NOT NULL DEFAULT '{}',
  token_hash text NOT NULL,
  invited_by_membership_id uuid,
  expires_at timestamptz(3) NOT NULL,
  accepted_at timestamptz(3),
  accepted_by_user_id uuid,
  revoked_at timestamptz(3),
  created_at timestamptz(3) NOT NULL DEFAULT now(),
  updated_at timestamptz(3) NOT NULL DEFAULT now(),
  CONSTRAINT invitations_pkey PRIMARY KEY (workspace_id, id),
  CONSTRAINT invitations_email_lowercase CHECK (email = lower(email)),
  CONSTRAINT invitations_workspace_id_fkey FOREIGN KEY (workspace_id) REFERENCES workspaces (id) ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT invitations_workspace_id_invited_by_membership_id_fkey FOREIGN KEY (workspace_id, invited_by_membership_id)
    REFERENCES memberships (workspace_id, id) ON DELETE SET NULL (invited_by_membership_id) ON UPDATE CASCADE
);
CREATE UNIQUE INDEX invitations_workspace_id_token_hash_key ON invitations (workspace_id, token_hash);
CREATE INDEX invitations_workspace_id_email_idx ON invitations (workspace_id, email);
CREATE INDEX invitations_workspace_id_invited_by_membership_id_idx ON invitations (workspace_id, invited_by_membership_id);

ALTER TABLE invitations ENABLE ROW LEVEL SECURITY;
ALTER TABLE invitations FORCE ROW LEVEL SECURITY;
CREATE POLICY invitations_tenant ON invitations
  USING (workspace_id = (SELECT nullif(current_setting('app.workspace_id', true), '')::uuid))
  WITH CHECK (workspace_id = (SELECT nullif(current_setting('app.workspace_id', true), '')::uuid));
GRANT SELECT, INSERT, UPDATE, DELETE ON invitations TO atrium_app;

-- ---------------------------------------------------------------- M6: never zero owners
-- Checked at commit (deferred), so a transfer may promote and demote in either order. The
-- workspace row is locked first (NO KEY UPDATE: compatible with the KEY SHARE locks that FK
-- checks of audit inserts hold, so no deadlock), two transactions demoting each other's owners serialise, and
-- the second one's count (a fresh snapshot in READ COMMITTED) sees the first one's change.
-- A workspace being deleted (row already gone) is exempt.
CREATE FUNCTION memberships_keep_an_owner() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.role <> 'OWNER' OR (TG_OP = 'UPDATE' AND NEW.role = 'OWNER' AND NEW.workspace_id = OLD.workspace_id) THEN
    RETURN NULL;
  END IF;
  PERFORM 1 FROM workspaces WHERE id = OLD.workspace_id FOR NO KEY UPDATE;
  IF NOT FOUND THEN
    RETURN NULL;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM memberships WHERE workspace_id = OLD.workspace_id AND role = 'OWNER') THEN
    RAISE EXCEPTION 'a workspace must keep at least one owner' USING ERRCODE = 'check_violation', CONSTRAINT = 'memberships_keep_an_owner';
  END IF;
  RETURN NULL;
END
$$;
CREATE CONSTRAINT TRIGGER memberships_keep_an_owner AFTER UPDATE OR DELETE ON memberships
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION memberships_keep_an_owner();

-- ---------------------------------------------------------------- platform settings (M9)
CREATE TYPE registration_mode AS ENUM ('OPEN', 'ALLOWED_DOMAINS', 'INVITATION_ONLY', 'CLOSED');

CREATE TABLE platform_settings (
  id integer NOT NULL DEFAULT 1,
  registration_mode registration_mode NOT NULL DEFAULT 'OPEN',
  allowed_email_domains text[] NOT NULL DEFAULT '{}',
  updated_at timestamptz(3) NOT NULL DEFAULT now(),
  updated_by_user_id uuid,
  CONSTRAINT platform_settings_pkey PRIMARY KEY (id),
  CONSTRAINT platform_settings_singleton CHECK (id = 1)
);
INSERT INTO platform_settings (id) VALUES (1);
