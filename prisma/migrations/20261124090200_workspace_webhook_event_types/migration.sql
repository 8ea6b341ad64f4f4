-- The event types a workspace's enabled webhook endpoints subscribe to, kept on the workspace row
-- (issue 15): the tenant transaction's first statement reads them with the tenant settings, so
-- emitting an event nobody subscribed to costs no statement (submitLead: 9 → 8 statements).
-- Derived data: a trigger on webhook_endpoints recomputes it in the transaction of every change.
ALTER TABLE workspaces ADD COLUMN webhook_event_types text[] NOT NULL DEFAULT '{}';

-- What the column holds, computed from the endpoints (the trigger and the backfill below).
CREATE FUNCTION webhook_event_types_of(p_workspace uuid) RETURNS text[]
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS
  $$ SELECT COALESCE(array_agg(DISTINCT t ORDER BY t), '{}') FROM webhook_endpoints e, unnest(e.events) AS t
     WHERE e.workspace_id = p_workspace AND e.enabled $$;
REVOKE ALL ON FUNCTION webhook_event_types_of(uuid) FROM PUBLIC;

-- The workspace row is locked first (NO KEY UPDATE: compatible with the KEY SHARE locks that
-- foreign-key checks of inserts hold), so two concurrent endpoint changes serialise here and the
-- second one's recount — a fresh snapshot in READ COMMITTED — sees the first one's change.
-- During a workspace deletion the row is already gone: nothing to keep.
CREATE FUNCTION workspaces_recount_webhook_event_types() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS
$$
DECLARE
  ws uuid := COALESCE(NEW.workspace_id, OLD.workspace_id);
BEGIN
  PERFORM 1 FROM workspaces WHERE id = ws FOR NO KEY UPDATE;
  IF NOT FOUND THEN
    RETURN NULL;
  END IF;
  UPDATE workspaces SET webhook_event_types = webhook_event_types_of(ws) WHERE id = ws;
  RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION workspaces_recount_webhook_event_types() FROM PUBLIC;
CREATE TRIGGER webhook_endpoints_recount_event_types AFTER INSERT OR DELETE OR UPDATE OF events, enabled ON webhook_endpoints
  FOR EACH ROW EXECUTE FUNCTION workspaces_recount_webhook_event_types();

-- Read beside the tenant settings in one statement, like workspace_auth_version.
CREATE FUNCTION workspace_webhook_event_types(p_workspace uuid) RETURNS text[]
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS
  $$ SELECT webhook_event_types FROM workspaces WHERE id = p_workspace $$;
REVOKE ALL ON FUNCTION workspace_webhook_event_types(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION workspace_webhook_event_types(uuid) TO atrium_app;

UPDATE workspaces SET webhook_event_types = webhook_event_types_of(id);
