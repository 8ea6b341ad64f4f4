-- Phone search: the start or the end of the number instead of any run of digits in it (decision
-- 0054, addendum "Phone prefix and suffix search"). Phones are stored E.164 ("+" and digits). The
-- digits typed (spaces, dots, dashes, brackets and a leading "+" ignored) match a number that
-- starts with them after its "+" (country code first: "1 415", "+44 20") or ends with them (the
-- last digits or the whole national number: "0123", "(415) 555-0123"). A run only in the middle
-- no longer matches. This applies to the contacts list's search, the command palette (leads,
-- contacts, conversations) and the inbox search.
--
-- Why: the phone trigram indexes were global (a GIN cannot lead with the workspace's uuid), and
-- digit strings have only 1,000 distinct trigrams, so every trigram of a typed number had a
-- posting list over every workspace's phones: 752 buffers for one match, 121.8 ms p99 at 1 M
-- contacts (goal 100 ms). Two btrees per table lead with workspace_id and answer a start or an
-- end with one short range each. Each new contact and lead also writes two btree entries instead
-- of a dozen trigram entries.
--
-- text_pattern_ops: LIKE 'digits%' can use a btree only under the C collation or with the
-- pattern operator class (as the e-mail indexes of 20261129010000).
CREATE INDEX contacts_phone_prefix_idx ON contacts (workspace_id, phone text_pattern_ops);
CREATE INDEX contacts_phone_suffix_idx ON contacts (workspace_id, reverse(phone) text_pattern_ops);
CREATE INDEX leads_phone_prefix_idx ON leads (workspace_id, phone text_pattern_ops);
CREATE INDEX leads_phone_suffix_idx ON leads (workspace_id, reverse(phone) text_pattern_ops);
DROP INDEX contacts_phone_trgm_idx;
DROP INDEX leads_phone_trgm_idx;

-- p_phone is now the typed digits (no "+", nothing else: any other text skips the phone arm);
-- the function makes the two patterns. Same signatures as before.
CREATE OR REPLACE FUNCTION search_contacts(p_workspace uuid, p_name text, p_email text, p_phone text, p_tag text, p_at timestamptz, p_id uuid, p_oldest_first boolean, p_limit integer)
  RETURNS SETOF contacts
  LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS
$$
DECLARE
  ws uuid := nullif(current_setting('app.workspace_id', true), '')::uuid;
  lim integer := least(greatest(coalesce(p_limit, 0), 0), 101);
  digits text := CASE WHEN p_phone ~ '^[0-9]+$' THEN p_phone END;
BEGIN
  IF ws IS NULL OR p_workspace IS DISTINCT FROM ws OR p_name IS NULL OR p_email IS NULL THEN RETURN; END IF;
  RETURN QUERY EXECUTE format(
    'SELECT c.* FROM contacts c
      WHERE c.workspace_id = $1 AND (c.name ILIKE $2 OR c.email LIKE $3 OR split_part(c.email, ''@'', -1) LIKE $10%s)%s%s
      ORDER BY c.created_at %s, c.id %s LIMIT $9',
    CASE WHEN digits IS NULL THEN '' ELSE ' OR c.phone LIKE $4 OR reverse(c.phone) LIKE $11' END,
    CASE WHEN p_tag IS NULL THEN '' ELSE ' AND $5 = ANY (c.tags)' END,
    CASE WHEN p_at IS NULL THEN '' WHEN p_oldest_first THEN ' AND (c.created_at, c.id) > ($6, $7)' ELSE ' AND (c.created_at, c.id) < ($6, $7)' END,
    CASE WHEN p_oldest_first THEN 'ASC' ELSE 'DESC' END,
    CASE WHEN p_oldest_first THEN 'ASC' ELSE 'DESC' END)
    USING ws, p_name, p_email, '+' || digits || '%', p_tag, p_at, p_id, p_oldest_first, lim, regexp_replace(p_email, '^@', ''), reverse(digits) || '%';
END
$$;

CREATE OR REPLACE FUNCTION search_contacts_count(p_workspace uuid, p_name text, p_email text, p_phone text, p_tag text, p_cap integer)
  RETURNS bigint
  LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS
$$
DECLARE
  ws uuid := nullif(current_setting('app.workspace_id', true), '')::uuid;
  digits text := CASE WHEN p_phone ~ '^[0-9]+$' THEN p_phone END;
  n bigint;
BEGIN
  IF ws IS NULL OR p_workspace IS DISTINCT FROM ws OR p_name IS NULL OR p_email IS NULL THEN RETURN 0; END IF;
  EXECUTE format(
    'SELECT count(*) FROM (SELECT 1 FROM contacts c
      WHERE c.workspace_id = $1 AND (c.name ILIKE $2 OR c.email LIKE $3 OR split_part(c.email, ''@'', -1) LIKE $7%s)%s LIMIT $6) AS m',
    CASE WHEN digits IS NULL THEN '' ELSE ' OR c.phone LIKE $4 OR reverse(c.phone) LIKE $8' END,
    CASE WHEN p_tag IS NULL THEN '' ELSE ' AND $5 = ANY (c.tags)' END)
    INTO n
    USING ws, p_name, p_email, '+' || digits || '%', p_tag, least(greatest(coalesce(p_cap, 0), 0), 100000) + 1, regexp_replace(p_email, '^@', ''), reverse(digits) || '%';
  RETURN n;
END
$$;

-- The command palette: p_phone is now the typed digits, as above.
CREATE OR REPLACE FUNCTION shell_search(p_name text, p_phone text, p_kinds text[], p_limit integer) RETURNS TABLE (kind text, id uuid)
  LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public AS
$$
DECLARE
  ws uuid := nullif(current_setting('app.workspace_id', true), '')::uuid;
  lim integer := least(greatest(coalesce(p_limit, 0), 0), 100);
  digits text := CASE WHEN p_phone ~ '^[0-9]+$' THEN p_phone END;
  starts text := '+' || digits || '%';
  ends text := reverse(digits) || '%';
BEGIN
  IF ws IS NULL OR p_name IS NULL OR p_kinds IS NULL THEN RETURN; END IF;
  IF 'LEAD' = ANY (p_kinds) THEN
    RETURN QUERY EXECUTE format(
      'SELECT ''LEAD''::text, l.id FROM leads l
        WHERE l.workspace_id = $1 AND (l.name ILIKE $2%s)
        ORDER BY l.created_at DESC, l.id DESC LIMIT $4',
      CASE WHEN digits IS NULL THEN '' ELSE ' OR l.phone LIKE $3 OR reverse(l.phone) LIKE $5' END)
      USING ws, p_name, starts, lim, ends;
  END IF;
  IF 'CONTACT' = ANY (p_kinds) THEN
    RETURN QUERY EXECUTE format(
      'SELECT ''CONTACT''::text, ct.id FROM contacts ct
        WHERE ct.workspace_id = $1 AND (ct.name ILIKE $2%s)
        ORDER BY ct.created_at DESC, ct.id DESC LIMIT $4',
      CASE WHEN digits IS NULL THEN '' ELSE ' OR ct.phone LIKE $3 OR reverse(ct.phone) LIKE $5' END)
      USING ws, p_name, starts, lim, ends;
  END IF;
  IF 'CONVERSATION' = ANY (p_kinds) THEN
    RETURN QUERY EXECUTE format(
      'SELECT ''CONVERSATION''::text, c.id FROM conversations c
         JOIN contacts ct ON ct.workspace_id = c.workspace_id AND ct.id = c.contact_id
        WHERE c.workspace_id = $1 AND ct.workspace_id = $1 AND (ct.name ILIKE $2%s)
        ORDER BY c.last_activity_at DESC, c.id DESC LIMIT $4',
      CASE WHEN digits IS NULL THEN '' ELSE ' OR ct.phone LIKE $3 OR reverse(ct.phone) LIKE $5' END)
      USING ws, p_name, starts, lim, ends;
  END IF;
END;
$$;

-- The inbox search gains the typed digits (the pattern alone cannot say what was typed): a
-- message's body or the contact's name containing the pattern, or the contact's phone starting
-- or ending with the digits.
DROP FUNCTION inbox_search(text, integer);
CREATE FUNCTION inbox_search(p_pattern text, p_phone text, p_limit integer) RETURNS SETOF uuid
  LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public AS
$$
DECLARE
  ws uuid := nullif(current_setting('app.workspace_id', true), '')::uuid;
  digits text := CASE WHEN p_phone ~ '^[0-9]+$' THEN p_phone END;
BEGIN
  IF ws IS NULL OR p_pattern IS NULL THEN RETURN; END IF;
  RETURN QUERY EXECUTE format(
    'SELECT conversation_id FROM messages WHERE workspace_id = $1 AND body ILIKE $2
     UNION
     SELECT c.id FROM conversations c JOIN contacts ct ON ct.workspace_id = c.workspace_id AND ct.id = c.contact_id
      WHERE c.workspace_id = $1 AND ct.workspace_id = $1 AND (ct.name ILIKE $2%s)
     LIMIT $3',
    CASE WHEN digits IS NULL THEN '' ELSE ' OR ct.phone LIKE $4 OR reverse(ct.phone) LIKE $5' END)
    USING ws, p_pattern, least(greatest(p_limit, 0), 1000), '+' || digits || '%', reverse(digits) || '%';
END;
$$;
REVOKE ALL ON FUNCTION inbox_search(text, text, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION inbox_search(text, text, integer) TO atrium_app;
