-- Issue 48 (decision 0042): the command palette's search over leads, contacts and conversations
-- by name or phone. Contacts have trigram indexes on name and phone (20261127120000); leads get
-- theirs here. Under row-level security the planner will not use a trigram index for ILIKE (not
-- leakproof), so, as inbox_search does, `shell_search` runs each arm as the owner restricted to
-- the tenant context's workspace (the setting the policies read; none set → no rows) and returns
-- (kind, id) only: the service loads the rows through the tenant client with the caller's
-- ability, per kind. Dynamic SQL: each call is planned with its own patterns.

CREATE INDEX leads_name_trgm_idx ON leads USING gin (name gin_trgm_ops);
CREATE INDEX leads_phone_trgm_idx ON leads USING gin (phone gin_trgm_ops);

-- p_name: an ILIKE pattern for names (wildcards escaped); p_phone: one for phone numbers (digits),
-- or null when the query has no run of digits; p_kinds: which of LEAD, CONTACT, CONVERSATION the
-- caller may read; at most p_limit ids per kind, newest first.
CREATE FUNCTION shell_search(p_name text, p_phone text, p_kinds text[], p_limit integer) RETURNS TABLE (kind text, id uuid)
  LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public AS
$$
DECLARE
  ws uuid := nullif(current_setting('app.workspace_id', true), '')::uuid;
  lim integer := least(greatest(coalesce(p_limit, 0), 0), 100);
BEGIN
  IF ws IS NULL OR p_name IS NULL OR p_kinds IS NULL THEN RETURN; END IF;
  IF 'LEAD' = ANY (p_kinds) THEN
    RETURN QUERY EXECUTE
      'SELECT ''LEAD''::text, l.id FROM leads l
        WHERE l.workspace_id = $1 AND (l.name ILIKE $2 OR ($3::text IS NOT NULL AND l.phone ILIKE $3))
        ORDER BY l.created_at DESC, l.id DESC LIMIT $4'
      USING ws, p_name, p_phone, lim;
  END IF;
  IF 'CONTACT' = ANY (p_kinds) THEN
    RETURN QUERY EXECUTE
      'SELECT ''CONTACT''::text, ct.id FROM contacts ct
        WHERE ct.workspace_id = $1 AND (ct.name ILIKE $2 OR ($3::text IS NOT NULL AND ct.phone ILIKE $3))
        ORDER BY ct.created_at DESC, ct.id DESC LIMIT $4'
      USING ws, p_name, p_phone, lim;
  END IF;
  IF 'CONVERSATION' = ANY (p_kinds) THEN
    RETURN QUERY EXECUTE
      'SELECT ''CONVERSATION''::text, c.id FROM conversations c
         JOIN contacts ct ON ct.workspace_id = c.workspace_id AND ct.id = c.contact_id
        WHERE c.workspace_id = $1 AND ct.workspace_id = $1 AND (ct.name ILIKE $2 OR ($3::text IS NOT NULL AND ct.phone ILIKE $3))
        ORDER BY c.last_activity_at DESC, c.id DESC LIMIT $4'
      USING ws, p_name, p_phone, lim;
  END IF;
END;
$$;
REVOKE ALL ON FUNCTION shell_search(text, text, text[], integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION shell_search(text, text, text[], integer) TO atrium_app;
