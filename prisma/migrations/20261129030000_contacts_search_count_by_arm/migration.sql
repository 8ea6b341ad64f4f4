-- Contacts search's capped count, arm by arm (decision 0054, addendum "The search count by arm").
-- The count is the same number as before — the contacts matching the name, e-mail, domain or
-- phone arm (and the tag), counted up to p_cap + 1 — but it is counted as the name's matches,
-- then the other arms' matches whose name does not match:
--   |name ∪ others| = |name| + |others \ name|, each part counted only as far as the cap needs.
--
-- Why: in one statement the OR of the arms needs each row's name, e-mail and phone, so the count
-- of a frequent name ("Garcia", 5 % of 1 M contacts) walked the workspace's rows in the heap until
-- 1,001 matched: 19,773 rows, 13.2 ms, most of the search's time at scale. The name alone is in
-- the workspace's name index (contacts_workspace_id_name_id_idx), which answers the name arm
-- without the heap (an index-only scan, the visibility map permitting); the other arms are btree
-- ranges (e-mail and domain prefixes, phone start and end: migrations 20261129010000 and
-- 20261129020000) whose few rows are checked against the name in the heap. With a tag the name
-- arm needs the heap anyway: the same split, the planner's choice of scan.
CREATE OR REPLACE FUNCTION search_contacts_count(p_workspace uuid, p_name text, p_email text, p_phone text, p_tag text, p_cap integer)
  RETURNS bigint
  LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS
$$
DECLARE
  ws uuid := nullif(current_setting('app.workspace_id', true), '')::uuid;
  digits text := CASE WHEN p_phone ~ '^[0-9]+$' THEN p_phone END;
  lim bigint := least(greatest(coalesce(p_cap, 0), 0), 100000) + 1;
  by_name bigint;
  by_others bigint;
BEGIN
  IF ws IS NULL OR p_workspace IS DISTINCT FROM ws OR p_name IS NULL OR p_email IS NULL THEN RETURN 0; END IF;
  EXECUTE format(
    'SELECT count(*) FROM (SELECT 1 FROM contacts c WHERE c.workspace_id = $1 AND c.name ILIKE $2%s LIMIT $3) AS m',
    CASE WHEN p_tag IS NULL THEN '' ELSE ' AND $4 = ANY (c.tags)' END)
    INTO by_name
    USING ws, p_name, lim, p_tag;
  IF by_name >= lim THEN RETURN lim; END IF;
  EXECUTE format(
    'SELECT count(*) FROM (SELECT 1 FROM contacts c
      WHERE c.workspace_id = $1 AND (c.email LIKE $3 OR split_part(c.email, ''@'', -1) LIKE $7%s) AND NOT (c.name ILIKE $2)%s LIMIT $6) AS m',
    CASE WHEN digits IS NULL THEN '' ELSE ' OR c.phone LIKE $4 OR reverse(c.phone) LIKE $8' END,
    CASE WHEN p_tag IS NULL THEN '' ELSE ' AND $5 = ANY (c.tags)' END)
    INTO by_others
    USING ws, p_name, p_email, '+' || digits || '%', p_tag, lim - by_name, regexp_replace(p_email, '^@', ''), reverse(digits) || '%';
  RETURN by_name + by_others;
END
$$;
