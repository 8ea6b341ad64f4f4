-- Issue 46 (decision 0031): live updates fanned out across API instances through LISTEN/NOTIFY.
-- Triggers send one notification per changed row on the channel `atrium_live`, in the
-- transaction of the change, so it is delivered only when that transaction commits (and never
-- when it rolls back). A notification carries ids only — workspace, kind, entity, its parent —
-- and every instance loads the entity through the tenant client, with RLS, for each subscriber.
-- PostgreSQL folds identical notifications of one transaction into one.
--
-- Payload: {"w": workspace id, "k": kind, "id": entity id, "p": parent id or null, "op": "insert" | "update" | "delete"}
-- Kinds: message (p: conversation), conversation, lead, campaign, delivery (p: endpoint), booking,
-- auth (the workspace's auth_version moved or the workspace went), session (p: user), user.

CREATE FUNCTION live_notify() RETURNS trigger LANGUAGE plpgsql AS
$$
DECLARE
  r record;
  parent text;
BEGIN
  IF TG_OP = 'DELETE' THEN r := OLD; ELSE r := NEW; END IF;
  IF TG_NARGS > 1 THEN parent := to_jsonb(r) ->> TG_ARGV[1]; END IF;
  PERFORM pg_notify('atrium_live', json_build_object('w', r.workspace_id, 'k', TG_ARGV[0], 'id', r.id, 'p', parent, 'op', lower(TG_OP))::text);
  RETURN NULL;
END;
$$;

CREATE TRIGGER messages_live AFTER INSERT OR UPDATE OF status, error_code, error_message, provider_message_id ON messages
  FOR EACH ROW EXECUTE FUNCTION live_notify('message', 'conversation_id');
CREATE TRIGGER conversations_live AFTER INSERT OR UPDATE ON conversations
  FOR EACH ROW EXECUTE FUNCTION live_notify('conversation');
CREATE TRIGGER leads_live AFTER INSERT OR UPDATE OR DELETE ON leads
  FOR EACH ROW EXECUTE FUNCTION live_notify('lead');
CREATE TRIGGER campaigns_live AFTER INSERT OR UPDATE ON campaigns
  FOR EACH ROW EXECUTE FUNCTION live_notify('campaign');
CREATE TRIGGER webhook_deliveries_live AFTER INSERT OR UPDATE ON webhook_deliveries
  FOR EACH ROW EXECUTE FUNCTION live_notify('delivery', 'endpoint_id');
CREATE TRIGGER bookings_live AFTER INSERT OR UPDATE ON bookings
  FOR EACH ROW EXECUTE FUNCTION live_notify('booking');

-- A campaign's progress moves with its recipients (claimed, skipped, cancelled) and with the
-- status of the messages they were sent (sent, delivered, failed): one notification for the
-- campaign, folded per transaction however many rows a batch touched.
CREATE FUNCTION live_notify_campaign_of_recipient() RETURNS trigger LANGUAGE plpgsql AS
$$
BEGIN
  PERFORM pg_notify('atrium_live', json_build_object('w', NEW.workspace_id, 'k', 'campaign', 'id', NEW.campaign_id, 'p', NULL, 'op', 'update')::text);
  RETURN NULL;
END;
$$;
CREATE TRIGGER campaign_recipients_live AFTER INSERT OR UPDATE ON campaign_recipients
  FOR EACH ROW EXECUTE FUNCTION live_notify_campaign_of_recipient();

CREATE FUNCTION live_notify_campaign_of_message() RETURNS trigger LANGUAGE plpgsql AS
$$
DECLARE
  c uuid;
BEGIN
  SELECT campaign_id INTO c FROM campaign_recipients WHERE workspace_id = NEW.workspace_id AND message_id = NEW.id;
  IF c IS NOT NULL THEN
    PERFORM pg_notify('atrium_live', json_build_object('w', NEW.workspace_id, 'k', 'campaign', 'id', c, 'p', NULL, 'op', 'update')::text);
  END IF;
  RETURN NULL;
END;
$$;
CREATE TRIGGER messages_campaign_live AFTER UPDATE OF status ON messages
  FOR EACH ROW WHEN (NEW.direction = 'OUTBOUND' AND OLD.status IS DISTINCT FROM NEW.status)
  EXECUTE FUNCTION live_notify_campaign_of_message();

-- Power moved: every instance re-checks its subscribers in the workspace (demotion, removal, a
-- key revoked or re-scoped, the environment or step-up requirement changed, the workspace gone).
CREATE FUNCTION live_notify_auth() RETURNS trigger LANGUAGE plpgsql AS
$$
BEGIN
  PERFORM pg_notify('atrium_live', json_build_object('w', OLD.id, 'k', 'auth', 'id', OLD.id, 'p', NULL, 'op', lower(TG_OP))::text);
  RETURN NULL;
END;
$$;
CREATE TRIGGER workspaces_live_auth AFTER UPDATE OF auth_version ON workspaces
  FOR EACH ROW WHEN (OLD.auth_version IS DISTINCT FROM NEW.auth_version)
  EXECUTE FUNCTION live_notify_auth();
CREATE TRIGGER workspaces_live_deleted AFTER DELETE ON workspaces
  FOR EACH ROW EXECUTE FUNCTION live_notify_auth();
-- bump_own_auth_version sets auth_version in a BEFORE trigger on the same UPDATE, which an
-- `UPDATE OF auth_version` trigger does not see (the column was not in the statement's SET list):
-- the settings it versions notify here too.
CREATE TRIGGER workspaces_live_settings AFTER UPDATE OF environment, require_step_up, step_up_lifetime_minutes ON workspaces
  FOR EACH ROW WHEN (OLD.auth_version IS DISTINCT FROM NEW.auth_version)
  EXECUTE FUNCTION live_notify_auth();

-- A session signed out or revoked, a user disabled: their connections end.
CREATE FUNCTION live_notify_session() RETURNS trigger LANGUAGE plpgsql AS
$$
BEGIN
  PERFORM pg_notify('atrium_live', json_build_object('w', NULL, 'k', 'session', 'id', NEW.id, 'p', NEW.user_id, 'op', 'update')::text);
  RETURN NULL;
END;
$$;
CREATE TRIGGER sessions_live AFTER UPDATE OF revoked_at ON sessions
  FOR EACH ROW WHEN (OLD.revoked_at IS NULL AND NEW.revoked_at IS NOT NULL)
  EXECUTE FUNCTION live_notify_session();

CREATE FUNCTION live_notify_user() RETURNS trigger LANGUAGE plpgsql AS
$$
BEGIN
  PERFORM pg_notify('atrium_live', json_build_object('w', NULL, 'k', 'user', 'id', OLD.id, 'p', NULL, 'op', lower(TG_OP))::text);
  RETURN NULL;
END;
$$;
CREATE TRIGGER users_live_disabled AFTER UPDATE OF disabled_at ON users
  FOR EACH ROW WHEN (OLD.disabled_at IS NULL AND NEW.disabled_at IS NOT NULL)
  EXECUTE FUNCTION live_notify_user();
CREATE TRIGGER users_live_deleted AFTER DELETE ON users
  FOR EACH ROW EXECUTE FUNCTION live_notify_user();
