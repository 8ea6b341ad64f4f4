-- Issue 15 (decision 0014): a per-workspace version of everything a cached principal depends on.
-- API instances cache an API key's principal (key + its creator's membership) and a member's
-- access to a workspace; every tenant transaction of a request reads the workspace's version in
-- its first statement (the one that sets the tenant settings) and re-checks the cached principal
-- when the version moved. Triggers bump it in the same transaction as any change that can
-- reduce power, so no code path can forget to: a membership's role or policies changed or the
-- membership removed; a key revoked, re-scoped, given an expiry or deleted; the workspace's
-- environment or step-up requirement/lifetime changed (idle timeout, S7). Promotions bump it too (harmless: one re-check).
ALTER TABLE workspaces ADD COLUMN auth_version integer NOT NULL DEFAULT 0;

-- The app role reads the version before the tenant settings of the same statement apply, so
-- not through RLS: a counter, nothing else, for a workspace id the caller already holds.
CREATE FUNCTION workspace_auth_version(p_workspace uuid) RETURNS integer
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS
  $$ SELECT auth_version FROM workspaces WHERE id = p_workspace $$;
REVOKE ALL ON FUNCTION workspace_auth_version(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION workspace_auth_version(uuid) TO atrium_app;

CREATE FUNCTION bump_workspace_auth_version() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS
$$
BEGIN
  -- During a workspace deletion the row is already gone: nothing to bump.
  UPDATE workspaces SET auth_version = auth_version + 1 WHERE id = OLD.workspace_id;
  RETURN NULL;
END;
$$;
REVOKE ALL ON FUNCTION bump_workspace_auth_version() FROM PUBLIC;

CREATE TRIGGER memberships_auth_version_update AFTER UPDATE OF role, policies ON memberships
  FOR EACH ROW WHEN (OLD.role IS DISTINCT FROM NEW.role OR OLD.policies IS DISTINCT FROM NEW.policies)
  EXECUTE FUNCTION bump_workspace_auth_version();
CREATE TRIGGER memberships_auth_version_delete AFTER DELETE ON memberships
  FOR EACH ROW EXECUTE FUNCTION bump_workspace_auth_version();
CREATE TRIGGER api_keys_auth_version_update AFTER UPDATE OF revoked_at, expires_at, scopes, environment, persisted_only, secret_hash ON api_keys
  FOR EACH ROW WHEN (OLD.revoked_at IS DISTINCT FROM NEW.revoked_at OR OLD.expires_at IS DISTINCT FROM NEW.expires_at OR OLD.scopes IS DISTINCT FROM NEW.scopes
    OR OLD.environment IS DISTINCT FROM NEW.environment OR OLD.persisted_only IS DISTINCT FROM NEW.persisted_only OR OLD.secret_hash IS DISTINCT FROM NEW.secret_hash)
  EXECUTE FUNCTION bump_workspace_auth_version();
CREATE TRIGGER api_keys_auth_version_delete AFTER DELETE ON api_keys
  FOR EACH ROW EXECUTE FUNCTION bump_workspace_auth_version();

-- The workspace's own settings a cached membership carries: its environment (idle timeout) and
-- its step-up requirement and lifetime (S7, columns added by 20261123110000_step_up_sessions).
-- Read through jsonb so this trigger does not depend on the order those migrations run in
-- (a column not there yet reads as null on both sides).
CREATE FUNCTION bump_own_auth_version() RETURNS trigger LANGUAGE plpgsql AS
$$
DECLARE
  o jsonb := to_jsonb(OLD);
  n jsonb := to_jsonb(NEW);
BEGIN
  IF (o -> 'environment', o -> 'require_step_up', o -> 'step_up_lifetime_minutes')
     IS DISTINCT FROM (n -> 'environment', n -> 'require_step_up', n -> 'step_up_lifetime_minutes') THEN
    NEW.auth_version := OLD.auth_version + 1;
  END IF;
  RETURN NEW;
END;
$$;
CREATE TRIGGER workspaces_auth_version_settings BEFORE UPDATE ON workspaces
  FOR EACH ROW EXECUTE FUNCTION bump_own_auth_version();
