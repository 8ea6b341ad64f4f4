-- Issue 52, the reads at scale (decision 0054, addendum "Fixes and scale 1").
--
-- 1. Contacts search. Under row-level security the planner will not use a trigram index for
--    ILIKE / LIKE (not leakproof: never evaluated before the policy's condition), so at 1 M
--    contacts a search was a sequential scan of every workspace's contacts. `search_contacts`
--    runs the list's own filter — the same patterns, tag, order and keyset — as the owner,
--    restricted to the workspace it is given, which must be the tenant context's (the setting the
--    policies read): passing another workspace's id returns nothing. Dynamic SQL, so each call is
--    planned with its own patterns: a rare term (a phone number) is a BitmapOr of the trigram
--    indexes; a frequent one (5 % of the workspace) walks (workspace_id, created_at DESC, id DESC)
--    and stops at the page. The e-mail arm needs its own trigram index (without one the OR cannot
--    be a bitmap). The count is capped: `search_contacts_count` stops at p_cap.
CREATE INDEX contacts_email_trgm_idx ON contacts USING gin (email gin_trgm_ops);

-- p_name: ILIKE pattern of the name; p_email: LIKE pattern of the e-mail; p_phone: LIKE pattern
-- of the phone (null: not searched); p_tag: a tag the contact must have (null: any); p_at/p_id:
-- the keyset cursor (null: the first page); p_oldest_first: a backward page, oldest first;
-- at most p_limit rows (1..101).
CREATE FUNCTION search_contacts(p_workspace uuid, p_name text, p_email text, p_phone text, p_tag text, p_at timestamptz, p_id uuid, p_oldest_first boolean, p_limit integer)
  RETURNS SETOF contacts
  LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS
$$
DECLARE
  ws uuid := nullif(current_setting('app.workspace_id', true), '')::uuid;
  lim integer := least(greatest(coalesce(p_limit, 0), 0), 101);
BEGIN
  IF ws IS NULL OR p_workspace IS DISTINCT FROM ws OR p_name IS NULL OR p_email IS NULL THEN RETURN; END IF;
  RETURN QUERY EXECUTE format(
    'SELECT c.* FROM contacts c
      WHERE c.workspace_id = $1 AND (c.name ILIKE $2 OR c.email LIKE $3%s)%s%s
      ORDER BY c.created_at %s, c.id %s LIMIT $9',
    CASE WHEN p_phone IS NULL THEN '' ELSE ' OR c.phone LIKE $4' END,
    CASE WHEN p_tag IS NULL THEN '' ELSE ' AND $5 = ANY (c.tags)' END,
    CASE WHEN p_at IS NULL THEN '' WHEN p_oldest_first THEN ' AND (c.created_at, c.id) > ($6, $7)' ELSE ' AND (c.created_at, c.id) < ($6, $7)' END,
    CASE WHEN p_oldest_first THEN 'ASC' ELSE 'DESC' END,
    CASE WHEN p_oldest_first THEN 'ASC' ELSE 'DESC' END)
    USING ws, p_name, p_email, p_phone, p_tag, p_at, p_id, p_oldest_first, lim;
END
$$;
REVOKE ALL ON FUNCTION search_contacts(uuid, text, text, text, text, timestamptz, uuid, boolean, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION search_contacts(uuid, text, text, text, text, timestamptz, uuid, boolean, integer) TO atrium_app;

-- How many contacts `search_contacts` would list (without a cursor), counted up to p_cap + 1.
CREATE FUNCTION search_contacts_count(p_workspace uuid, p_name text, p_email text, p_phone text, p_tag text, p_cap integer)
  RETURNS bigint
  LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS
$$
DECLARE
  ws uuid := nullif(current_setting('app.workspace_id', true), '')::uuid;
  n bigint;
BEGIN
  IF ws IS NULL OR p_workspace IS DISTINCT FROM ws OR p_name IS NULL OR p_email IS NULL THEN RETURN 0; END IF;
  EXECUTE format(
    'SELECT count(*) FROM (SELECT 1 FROM contacts c
      WHERE c.workspace_id = $1 AND (c.name ILIKE $2 OR c.email LIKE $3%s)%s LIMIT $6) AS m',
    CASE WHEN p_phone IS NULL THEN '' ELSE ' OR c.phone LIKE $4' END,
    CASE WHEN p_tag IS NULL THEN '' ELSE ' AND $5 = ANY (c.tags)' END)
    INTO n
    USING ws, p_name, p_email, p_phone, p_tag, least(greatest(coalesce(p_cap, 0), 0), 100000) + 1;
  RETURN n;
END
$$;
REVOKE ALL ON FUNCTION search_contacts_count(uuid, text, text, text, text, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION search_contacts_count(uuid, text, text, text, text, integer) TO atrium_app;

-- 2. Analytics: leads and BOOKED leads per closed UTC day, as messages (analytics_daily_messages):
--    a closed day is counted once, on first read, and stored; today is counted live. A lead's
--    day never changes (created_at is set at insert), but its status does, and leads are deleted
--    (retention, erasure, a workspace's deletion): the triggers below keep a stored day right.
--    A lead written today touches nothing (the WHEN clause: today is never stored), so the write
--    path of a submitted lead is unchanged; a status change to or from BOOKED, a lead inserted with
--    a past created_at, and deletes (one grouped UPDATE per statement) adjust the stored day.
CREATE TABLE analytics_daily_leads (
  workspace_id uuid NOT NULL,
  day date NOT NULL,
  leads integer NOT NULL,
  booked integer NOT NULL,
  computed_at timestamptz(3) NOT NULL DEFAULT now(),
  CONSTRAINT analytics_daily_leads_pkey PRIMARY KEY (workspace_id, day),
  CONSTRAINT analytics_daily_leads_workspace_id_fkey FOREIGN KEY (workspace_id) REFERENCES workspaces (id) ON DELETE CASCADE ON UPDATE CASCADE
);
ALTER TABLE analytics_daily_leads ENABLE ROW LEVEL SECURITY;
ALTER TABLE analytics_daily_leads FORCE ROW LEVEL SECURITY;
CREATE POLICY analytics_daily_leads_tenant ON analytics_daily_leads
  USING (workspace_id = (SELECT nullif(current_setting('app.workspace_id', true), '')::uuid))
  WITH CHECK (workspace_id = (SELECT nullif(current_setting('app.workspace_id', true), '')::uuid));
GRANT SELECT, INSERT, UPDATE, DELETE ON analytics_daily_leads TO atrium_app;

-- The stored day of each changed lead, adjusted by the change: only rows already stored (a day
-- not stored yet is counted live on its first read). As the owner: a system job (retention)
-- deletes leads outside any tenant context.
CREATE FUNCTION analytics_daily_leads_adjust() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS
$$
BEGIN
  IF TG_OP = 'DELETE' THEN
    UPDATE analytics_daily_leads a SET leads = a.leads - d.n, booked = a.booked - d.b
      FROM (SELECT workspace_id, (created_at AT TIME ZONE 'UTC')::date AS day, count(*)::int AS n, count(*) FILTER (WHERE status = 'BOOKED')::int AS b
              FROM old_leads GROUP BY 1, 2) d
     WHERE a.workspace_id = d.workspace_id AND a.day = d.day;
    RETURN NULL;
  END IF;
  IF TG_OP = 'UPDATE' THEN
    UPDATE analytics_daily_leads a SET leads = a.leads - 1, booked = a.booked - (OLD.status = 'BOOKED')::int
     WHERE a.workspace_id = OLD.workspace_id AND a.day = (OLD.created_at AT TIME ZONE 'UTC')::date;
  END IF;
  UPDATE analytics_daily_leads a SET leads = a.leads + 1, booked = a.booked + (NEW.status = 'BOOKED')::int
   WHERE a.workspace_id = NEW.workspace_id AND a.day = (NEW.created_at AT TIME ZONE 'UTC')::date;
  RETURN NULL;
END
$$;
CREATE TRIGGER leads_analytics_insert AFTER INSERT ON leads FOR EACH ROW
  WHEN (NEW.created_at < date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC')
  EXECUTE FUNCTION analytics_daily_leads_adjust();
CREATE TRIGGER leads_analytics_update AFTER UPDATE OF status, created_at, workspace_id ON leads FOR EACH ROW
  WHEN ((OLD.status = 'BOOKED') IS DISTINCT FROM (NEW.status = 'BOOKED') OR OLD.created_at IS DISTINCT FROM NEW.created_at OR OLD.workspace_id IS DISTINCT FROM NEW.workspace_id)
  EXECUTE FUNCTION analytics_daily_leads_adjust();
CREATE TRIGGER leads_analytics_delete AFTER DELETE ON leads REFERENCING OLD TABLE AS old_leads FOR EACH STATEMENT
  EXECUTE FUNCTION analytics_daily_leads_adjust();
