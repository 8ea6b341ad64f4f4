-- Contacts search, the e-mail arm: a prefix match instead of a substring match (decision 0054,
-- addendum "E-mail prefix search"). An e-mail matches the typed term when the address starts
-- with it ("jane", "jane@acme") or its domain — the part after the last "@" — does ("acme",
-- "acme.com"; a leading "@" is dropped: "@acme.com"). Names still match anywhere (trigrams);
-- phone numbers too.
--
-- Why: the e-mail's trigram entries (about one per character) were written into a GIN index for
-- every new contact — every submitted lead, every imported row — and cost submitLead ~12 %
-- more database CPU and +18 % p99 in bench:request-path. Two btree entries cost a fraction of
-- that (pgbench, one insert per transaction: ~205 µs with the e-mail trigrams, ~150 µs with
-- these two btrees, ~135 µs with neither), and unlike the global trigram index they lead with
-- workspace_id, so a term frequent in other workspaces costs nothing here.
--
-- text_pattern_ops: LIKE 'term%' can use a btree only under the C collation or with the pattern
-- operator class; the embedded server is C, a DATABASE_URL server may not be.
CREATE INDEX contacts_name_trgm_idx ON contacts USING gin (name gin_trgm_ops);
CREATE INDEX contacts_email_prefix_idx ON contacts (workspace_id, email text_pattern_ops);
CREATE INDEX contacts_email_domain_idx ON contacts (workspace_id, split_part(email, '@', -1) text_pattern_ops);
DROP INDEX contacts_name_email_trgm_idx;

-- p_email is now the e-mail arm's prefix pattern ('term%', LIKE-escaped); the domain's pattern is
-- the same without a leading "@". Same signature as before, so a caller still sending a
-- substring pattern gets a correct (if unindexed) answer.
CREATE OR REPLACE FUNCTION search_contacts(p_workspace uuid, p_name text, p_email text, p_phone text, p_tag text, p_at timestamptz, p_id uuid, p_oldest_first boolean, p_limit integer)
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
      WHERE c.workspace_id = $1 AND (c.name ILIKE $2 OR c.email LIKE $3 OR split_part(c.email, ''@'', -1) LIKE $10%s)%s%s
      ORDER BY c.created_at %s, c.id %s LIMIT $9',
    CASE WHEN p_phone IS NULL THEN '' ELSE ' OR c.phone LIKE $4' END,
    CASE WHEN p_tag IS NULL THEN '' ELSE ' AND $5 = ANY (c.tags)' END,
    CASE WHEN p_at IS NULL THEN '' WHEN p_oldest_first THEN ' AND (c.created_at, c.id) > ($6, $7)' ELSE ' AND (c.created_at, c.id) < ($6, $7)' END,
    CASE WHEN p_oldest_first THEN 'ASC' ELSE 'DESC' END,
    CASE WHEN p_oldest_first THEN 'ASC' ELSE 'DESC' END)
    USING ws, p_name, p_email, p_phone, p_tag, p_at, p_id, p_oldest_first, lim, regexp_replace(p_email, '^@', '');
END
$$;

CREATE OR REPLACE FUNCTION search_contacts_count(p_workspace uuid, p_name text, p_email text, p_phone text, p_tag text, p_cap integer)
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
      WHERE c.workspace_id = $1 AND (c.name ILIKE $2 OR c.email LIKE $3 OR split_part(c.email, ''@'', -1) LIKE $7%s)%s LIMIT $6) AS m',
    CASE WHEN p_phone IS NULL THEN '' ELSE ' OR c.phone LIKE $4' END,
    CASE WHEN p_tag IS NULL THEN '' ELSE ' AND $5 = ANY (c.tags)' END)
    INTO n
    USING ws, p_name, p_email, p_phone, p_tag, least(greatest(coalesce(p_cap, 0), 0), 100000) + 1, regexp_replace(p_email, '^@', '');
  RETURN n;
END
$$;
