-- Workspace settings and lifecycle (issue 5: W3, W7, W10): slug reservation, persona.

-- W3: a retired slug stays reserved to its workspace for 30 days. Platform table (a slug is
-- global); the app role reaches it only through the two functions below.
CREATE TABLE retired_slugs (
  slug text NOT NULL,
  owner_workspace_id uuid NOT NULL,
  retired_at timestamptz(3) NOT NULL DEFAULT now(),
  CONSTRAINT retired_slugs_pkey PRIMARY KEY (slug)
);
CREATE INDEX retired_slugs_owner_workspace_id_idx ON retired_slugs (owner_workspace_id);

CREATE FUNCTION workspaces_retire_slug() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
  IF NEW.slug IS DISTINCT FROM OLD.slug THEN
    INSERT INTO retired_slugs (slug, owner_workspace_id, retired_at) VALUES (OLD.slug, OLD.id, now())
      ON CONFLICT (slug) DO UPDATE SET owner_workspace_id = EXCLUDED.owner_workspace_id, retired_at = EXCLUDED.retired_at;
    -- Taking a slug back un-retires it.
    DELETE FROM retired_slugs WHERE slug = NEW.slug AND owner_workspace_id = NEW.id;
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER workspaces_retire_slug AFTER UPDATE OF slug ON workspaces
  FOR EACH ROW EXECUTE FUNCTION workspaces_retire_slug();

-- Deleting a workspace frees its slugs (W9): retired ones go with it.
CREATE FUNCTION workspaces_free_slugs() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
  DELETE FROM retired_slugs WHERE owner_workspace_id = OLD.id;
  RETURN OLD;
END
$$;
CREATE TRIGGER workspaces_free_slugs AFTER DELETE ON workspaces
  FOR EACH ROW EXECUTE FUNCTION workspaces_free_slugs();

-- Whether `p_slug` is held by another workspace's recent rename (30 days).
CREATE FUNCTION slug_reserved_for_other(p_slug text, p_workspace uuid) RETURNS boolean
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS
  $$ SELECT EXISTS (SELECT 1 FROM retired_slugs WHERE slug = p_slug AND owner_workspace_id IS DISTINCT FROM p_workspace AND retired_at > now() - interval '30 days') $$;
REVOKE ALL ON FUNCTION slug_reserved_for_other(text, uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION slug_reserved_for_other(text, uuid) TO atrium_app;

-- W10: the agent persona.
ALTER TABLE workspaces ADD COLUMN agent_name text;
ALTER TABLE workspaces ADD COLUMN agent_role text;
ALTER TABLE workspaces ADD COLUMN agent_tone text;
ALTER TABLE workspaces ADD COLUMN qualification_questions text[] NOT NULL DEFAULT '{}';

-- W9: the deletion of a workspace is recorded in the platform audit trail in the same
-- transaction as the deletion (append only: no read, update or delete for the app role).
GRANT INSERT ON platform_audit_events TO atrium_app;
