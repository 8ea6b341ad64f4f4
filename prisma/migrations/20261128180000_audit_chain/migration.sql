-- Issue 50: a tamper-evident audit log (decision 0053).
--
-- * Each workspace's audit rows form a hash chain: `seq` counts from 1, `prev_hash` is the hash of
--   the row before (32 zero bytes for the first), and
--   `hash = SHA-256(prev_hash || RFC 8785 canonical JSON of the row)`, where "the row" is every
--   column except the three chain columns. The BEFORE INSERT trigger computes them in the writing
--   transaction, serialised per workspace by the head row (`audit_chain_heads`, locked FOR UPDATE).
-- * Personal data inside a row is encrypted before it is hashed, under a key of its own subject
--   (`audit_subject_keys`): e-mail addresses and E.164 phone numbers anywhere in `data` (subject:
--   a keyed hash of the value), and the IP address and user agent of an anonymous sender (a public
--   form's lead: subject: the lead or contact the row names). Erasing a person deletes their keys
--   (crypto-shredding); the ciphertext, and so the chain, stays.
-- * The app role may INSERT and SELECT audit rows, nothing else (grants), and a trigger refuses
--   UPDATE always and DELETE except the workspace's own deletion (a foreign-key cascade) and
--   `audit_cut`, the retention cut, which deletes only up to a signed checkpoint.
-- * `audit_checkpoints` holds the platform's Ed25519 signatures over (workspace, seq, hash),
--   written hourly by a job; verification offline needs only an export and the public key.

-- ------------------------------------------------------------------ canonical JSON (RFC 8785)
-- Numbers: integers print as integers; other numbers print as ECMAScript's Number.prototype
-- .toString prints the nearest double (shortest round-trip digits; exponent form below 1e-6 and
-- from 1e21). Strings: JSON escaping as JSON.stringify does it (PostgreSQL's to_json escapes the
-- same characters the same way). Object keys are sorted by code point (COLLATE "C": UTF-8 byte
-- order), which equals RFC 8785's UTF-16 order for every key outside U+E000–U+FFFF vs. astral
-- characters; Atrium's keys are ASCII.
CREATE FUNCTION audit_canonical_number(n numeric) RETURNS text
  LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
  d float8;
  s text;
  mantissa text;
  exponent int;
BEGIN
  IF n = trunc(n) AND abs(n) < 1e21 THEN
    RETURN trim_scale(n)::text;
  END IF;
  d := n::float8;
  s := d::text; -- shortest round-trip digits (extra_float_digits >= 1, the default)
  IF abs(d) >= 1e21 OR abs(d) < 1e-6 THEN
    IF position('e' IN s) = 0 THEN
      RETURN s;
    END IF;
    mantissa := split_part(s, 'e', 1);
    exponent := split_part(s, 'e', 2)::int;
    RETURN mantissa || 'e' || CASE WHEN exponent >= 0 THEN '+' ELSE '-' END || abs(exponent)::text;
  END IF;
  RETURN trim_scale(s::numeric)::text;
END
$$;

CREATE FUNCTION audit_canonical_json(j jsonb) RETURNS text
  LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
  out text;
BEGIN
  CASE jsonb_typeof(j)
    WHEN 'object' THEN
      SELECT '{' || coalesce(string_agg(to_json(e.key)::text || ':' || public.audit_canonical_json(e.value), ',' ORDER BY e.key COLLATE "C"), '') || '}'
        INTO out FROM jsonb_each(j) AS e;
      RETURN out;
    WHEN 'array' THEN
      SELECT '[' || coalesce(string_agg(public.audit_canonical_json(e.value), ',' ORDER BY e.ord), '') || ']'
        INTO out FROM jsonb_array_elements(j) WITH ORDINALITY AS e(value, ord);
      RETURN out;
    WHEN 'string' THEN
      RETURN to_json(j #>> '{}')::text;
    WHEN 'number' THEN
      RETURN public.audit_canonical_number((j #>> '{}')::numeric);
    ELSE
      RETURN j::text; -- true, false, null
  END CASE;
END
$$;

-- ------------------------------------------------------------------ the chain's state
CREATE TABLE audit_chain_heads (
  workspace_id uuid NOT NULL,
  seq bigint NOT NULL DEFAULT 0,
  hash bytea NOT NULL DEFAULT '\x0000000000000000000000000000000000000000000000000000000000000000',
  -- Where the chain starts after a retention cut: the last row cut and its hash (0 and zeros: the genesis).
  anchor_seq bigint NOT NULL DEFAULT 0,
  anchor_hash bytea NOT NULL DEFAULT '\x0000000000000000000000000000000000000000000000000000000000000000',
  -- Keys the subject of an e-mail address or phone number (HMAC-SHA-256), so the key table names no value.
  subject_salt bytea NOT NULL DEFAULT gen_random_bytes(32),
  CONSTRAINT audit_chain_heads_pkey PRIMARY KEY (workspace_id),
  CONSTRAINT audit_chain_heads_workspace_id_fkey FOREIGN KEY (workspace_id) REFERENCES workspaces (id) ON DELETE CASCADE ON UPDATE CASCADE
);
ALTER TABLE audit_chain_heads ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_chain_heads FORCE ROW LEVEL SECURITY;
CREATE POLICY audit_chain_heads_tenant ON audit_chain_heads
  USING (workspace_id = (SELECT nullif(current_setting('app.workspace_id', true), '')::uuid))
  WITH CHECK (workspace_id = (SELECT nullif(current_setting('app.workspace_id', true), '')::uuid));
-- Written only by the trigger and the cut (SECURITY DEFINER); the app reads where its chain stands.
GRANT SELECT (workspace_id, seq, hash, anchor_seq, anchor_hash) ON audit_chain_heads TO atrium_app;

CREATE TABLE audit_subject_keys (
  workspace_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  -- 'v:' || hex HMAC of an e-mail address (lower-cased) or phone number; 'id:' || a lead's or contact's id.
  subject text NOT NULL,
  key bytea NOT NULL DEFAULT gen_random_bytes(32),
  created_at timestamptz(3) NOT NULL DEFAULT now(),
  CONSTRAINT audit_subject_keys_pkey PRIMARY KEY (workspace_id, id),
  CONSTRAINT audit_subject_keys_key_check CHECK (octet_length(key) = 32),
  CONSTRAINT audit_subject_keys_workspace_id_fkey FOREIGN KEY (workspace_id) REFERENCES workspaces (id) ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX audit_subject_keys_workspace_id_subject_key ON audit_subject_keys (workspace_id, subject);
ALTER TABLE audit_subject_keys ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_subject_keys FORCE ROW LEVEL SECURITY;
CREATE POLICY audit_subject_keys_tenant ON audit_subject_keys
  USING (workspace_id = (SELECT nullif(current_setting('app.workspace_id', true), '')::uuid))
  WITH CHECK (workspace_id = (SELECT nullif(current_setting('app.workspace_id', true), '')::uuid));
-- The app decrypts what it shows; keys are created by the trigger and destroyed by an erasure (system).
GRANT SELECT (workspace_id, id, key) ON audit_subject_keys TO atrium_app;

CREATE TABLE audit_checkpoints (
  workspace_id uuid NOT NULL,
  seq bigint NOT NULL,
  hash bytea NOT NULL,
  signed_at timestamptz(3) NOT NULL DEFAULT now(),
  key_id text NOT NULL,
  signature bytea NOT NULL,
  CONSTRAINT audit_checkpoints_pkey PRIMARY KEY (workspace_id, seq),
  CONSTRAINT audit_checkpoints_seq_check CHECK (seq > 0),
  CONSTRAINT audit_checkpoints_hash_check CHECK (octet_length(hash) = 32),
  CONSTRAINT audit_checkpoints_workspace_id_fkey FOREIGN KEY (workspace_id) REFERENCES workspaces (id) ON DELETE CASCADE ON UPDATE CASCADE
);
ALTER TABLE audit_checkpoints ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_checkpoints FORCE ROW LEVEL SECURITY;
CREATE POLICY audit_checkpoints_tenant ON audit_checkpoints
  USING (workspace_id = (SELECT nullif(current_setting('app.workspace_id', true), '')::uuid))
  WITH CHECK (workspace_id = (SELECT nullif(current_setting('app.workspace_id', true), '')::uuid));
GRANT SELECT, INSERT ON audit_checkpoints TO atrium_app;

-- ------------------------------------------------------------------ the chained columns
-- (Their defaults are placeholders: the trigger always replaces them.)
ALTER TABLE audit_events ADD COLUMN seq bigint NOT NULL DEFAULT 0, ADD COLUMN prev_hash bytea NOT NULL DEFAULT '\x', ADD COLUMN hash bytea NOT NULL DEFAULT '\x';
-- The acting membership stays an id in history: the foreign key's ON DELETE SET NULL would rewrite
-- (and so break) chained rows when a member leaves. `audit_seal` checks the reference instead when
-- the row is written (same workspace, same SQLSTATE and constraint name); afterwards it is history.
ALTER TABLE audit_events DROP CONSTRAINT audit_events_workspace_id_actor_membership_id_fkey;

-- ------------------------------------------------------------------ crypto-shredding
CREATE FUNCTION audit_encrypt(p_workspace uuid, p_subject text, p_value text) RETURNS text
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  k record;
  iv bytea := gen_random_bytes(16);
BEGIN
  SELECT id, key INTO k FROM audit_subject_keys WHERE workspace_id = p_workspace AND subject = p_subject;
  IF NOT FOUND THEN
    INSERT INTO audit_subject_keys (workspace_id, subject) VALUES (p_workspace, p_subject)
      ON CONFLICT (workspace_id, subject) DO NOTHING;
    SELECT id, key INTO k FROM audit_subject_keys WHERE workspace_id = p_workspace AND subject = p_subject;
  END IF;
  RETURN 'pii:v1:' || k.id || ':' || translate(encode(iv || encrypt_iv(convert_to(p_value, 'UTF8'), k.key, iv, 'aes-cbc/pad:pkcs'), 'base64'), E'\n', '');
END
$$;
REVOKE ALL ON FUNCTION audit_encrypt(uuid, text, text) FROM PUBLIC;

-- The subject of an e-mail address or phone number: its keyed hash (never the value).
CREATE FUNCTION audit_value_subject(p_salt bytea, p_value text) RETURNS text
  LANGUAGE sql IMMUTABLE STRICT SET search_path = public, pg_temp AS $$
  SELECT 'v:' || encode(hmac(convert_to(lower(btrim(p_value)), 'UTF8'), p_salt, 'sha256'), 'hex')
$$;
REVOKE ALL ON FUNCTION audit_value_subject(bytea, text) FROM PUBLIC;

CREATE FUNCTION audit_is_personal(v text) RETURNS boolean
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT v ~ '^\s*[^@\s]+@[^@\s]+\.[^@\s]+\s*$' OR v ~ '^\+[1-9][0-9]{6,14}$'
$$;

-- `j` with every e-mail address and phone number (at any depth) encrypted under its subject's key.
CREATE FUNCTION audit_shred_json(p_workspace uuid, p_salt bytea, j jsonb) RETURNS jsonb
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  out jsonb;
BEGIN
  CASE jsonb_typeof(j)
    WHEN 'object' THEN
      SELECT coalesce(jsonb_object_agg(e.key, audit_shred_json(p_workspace, p_salt, e.value)), '{}'::jsonb) INTO out FROM jsonb_each(j) AS e;
      RETURN out;
    WHEN 'array' THEN
      SELECT coalesce(jsonb_agg(audit_shred_json(p_workspace, p_salt, e.value) ORDER BY e.ord), '[]'::jsonb) INTO out FROM jsonb_array_elements(j) WITH ORDINALITY AS e(value, ord);
      RETURN out;
    WHEN 'string' THEN
      IF audit_is_personal(j #>> '{}') THEN
        RETURN to_jsonb(audit_encrypt(p_workspace, audit_value_subject(p_salt, j #>> '{}'), j #>> '{}'));
      END IF;
      RETURN j;
    ELSE
      RETURN j;
  END CASE;
END
$$;
REVOKE ALL ON FUNCTION audit_shred_json(uuid, bytea, jsonb) FROM PUBLIC;

-- ------------------------------------------------------------------ sealing a row
CREATE FUNCTION audit_row_canonical(r audit_events) RETURNS text
  LANGUAGE sql STABLE SET search_path = public, pg_temp AS $$
  SELECT audit_canonical_json(jsonb_build_object(
    'workspace_id', r.workspace_id, 'id', r.id,
    'actor_user_id', r.actor_user_id, 'actor_membership_id', r.actor_membership_id, 'actor_api_key_id', r.actor_api_key_id,
    'action', r.action, 'target_type', r.target_type, 'target_id', r.target_id, 'data', r.data,
    'ip', r.ip, 'user_agent', r.user_agent, 'request_id', r.request_id,
    'created_at', to_char(r.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')))
$$;

CREATE FUNCTION audit_seal() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  head record;
BEGIN
  -- The head row serialises the workspace's appends until this transaction ends.
  SELECT seq, hash, subject_salt INTO head FROM audit_chain_heads WHERE workspace_id = NEW.workspace_id FOR UPDATE;
  IF NOT FOUND THEN
    INSERT INTO audit_chain_heads (workspace_id) VALUES (NEW.workspace_id) ON CONFLICT (workspace_id) DO NOTHING;
    SELECT seq, hash, subject_salt INTO head FROM audit_chain_heads WHERE workspace_id = NEW.workspace_id FOR UPDATE;
  END IF;
  IF NEW.actor_membership_id IS NOT NULL
     AND NOT EXISTS (SELECT 1 FROM memberships WHERE workspace_id = NEW.workspace_id AND id = NEW.actor_membership_id) THEN
    RAISE EXCEPTION 'insert on table "audit_events" violates foreign key constraint "audit_events_workspace_id_actor_membership_id_fkey"'
      USING ERRCODE = 'foreign_key_violation', CONSTRAINT = 'audit_events_workspace_id_actor_membership_id_fkey', TABLE = 'audit_events', SCHEMA = 'public',
            DETAIL = format('Key (workspace_id, actor_membership_id)=(%s, %s) is not present in table "memberships".', NEW.workspace_id, NEW.actor_membership_id);
  END IF;
  -- Personal data first: the chain covers the ciphertext, so destroying a key leaves it intact.
  IF NEW.data::text ~ '[@+]' THEN
    NEW.data := audit_shred_json(NEW.workspace_id, head.subject_salt, NEW.data);
  END IF;
  IF NEW.actor_user_id IS NULL AND NEW.actor_api_key_id IS NULL AND NEW.target_type IN ('Lead', 'Contact') AND NEW.target_id IS NOT NULL THEN
    -- An anonymous sender (a public form) is the person the row is about: their address and browser are theirs.
    IF NEW.ip IS NOT NULL THEN NEW.ip := audit_encrypt(NEW.workspace_id, 'id:' || NEW.target_id, NEW.ip); END IF;
    IF NEW.user_agent IS NOT NULL THEN NEW.user_agent := audit_encrypt(NEW.workspace_id, 'id:' || NEW.target_id, NEW.user_agent); END IF;
  END IF;
  NEW.created_at := NEW.created_at::timestamptz(3);
  NEW.seq := head.seq + 1;
  NEW.prev_hash := head.hash;
  NEW.hash := sha256(head.hash || convert_to(audit_row_canonical(NEW), 'UTF8'));
  UPDATE audit_chain_heads SET seq = NEW.seq, hash = NEW.hash WHERE workspace_id = NEW.workspace_id;
  RETURN NEW;
END
$$;
REVOKE ALL ON FUNCTION audit_seal() FROM PUBLIC;

-- Existing rows join the chain in the order they were written: taken out and appended again
-- through the trigger (which also encrypts their personal data). Ids and times are kept.
CREATE TEMP TABLE audit_events_before_chain ON COMMIT DROP AS SELECT * FROM audit_events;
DELETE FROM audit_events;
CREATE TRIGGER audit_events_seal BEFORE INSERT ON audit_events FOR EACH ROW EXECUTE FUNCTION audit_seal();
INSERT INTO audit_events (workspace_id, id, actor_user_id, actor_membership_id, actor_api_key_id, action, target_type, target_id, data, ip, user_agent, request_id, created_at)
  SELECT workspace_id, id, actor_user_id, actor_membership_id, actor_api_key_id, action, target_type, target_id, data, ip, user_agent, request_id, created_at
  FROM audit_events_before_chain ORDER BY workspace_id, created_at, id;
INSERT INTO audit_chain_heads (workspace_id) SELECT id FROM workspaces ON CONFLICT (workspace_id) DO NOTHING;

CREATE UNIQUE INDEX audit_events_workspace_id_seq_key ON audit_events (workspace_id, seq);

-- ------------------------------------------------------------------ append-only
CREATE FUNCTION audit_guard() RETURNS trigger
  LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
BEGIN
  -- A DELETE fired by another trigger is the workspace's deletion cascading (ON DELETE CASCADE);
  -- `audit_cut` marks its own deletes. Anything else would edit history.
  IF TG_OP = 'DELETE' AND (pg_trigger_depth() > 1 OR current_setting('atrium.audit_cut', true) = 'on') THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'audit_events are append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events FOR EACH ROW EXECUTE FUNCTION audit_guard();
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events FOR EACH STATEMENT EXECUTE FUNCTION audit_guard();

-- ------------------------------------------------------------------ retention: cut at a checkpoint
-- Deletes the workspace's oldest rows, at most `p_limit`, never past the newest checkpoint whose
-- row is older than `p_cutoff`; the head's anchor moves to the last row cut. Returns rows cut.
CREATE FUNCTION audit_cut(p_workspace uuid, p_cutoff timestamptz, p_limit int) RETURNS int
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  head record;
  target bigint;
  last_seq bigint;
  last_hash bytea;
  n int;
BEGIN
  SELECT anchor_seq INTO head FROM audit_chain_heads WHERE workspace_id = p_workspace FOR UPDATE;
  IF NOT FOUND THEN RETURN 0; END IF;
  SELECT max(c.seq) INTO target FROM audit_checkpoints c
    JOIN audit_events e ON e.workspace_id = c.workspace_id AND e.seq = c.seq
    WHERE c.workspace_id = p_workspace AND c.seq > head.anchor_seq AND e.created_at < p_cutoff;
  IF target IS NULL THEN RETURN 0; END IF;
  target := least(target, head.anchor_seq + p_limit);
  SELECT seq, hash INTO last_seq, last_hash FROM audit_events WHERE workspace_id = p_workspace AND seq = target;
  PERFORM set_config('atrium.audit_cut', 'on', true);
  DELETE FROM audit_events WHERE workspace_id = p_workspace AND seq > head.anchor_seq AND seq <= target;
  GET DIAGNOSTICS n = ROW_COUNT;
  PERFORM set_config('atrium.audit_cut', 'off', true);
  UPDATE audit_chain_heads SET anchor_seq = last_seq, anchor_hash = last_hash WHERE workspace_id = p_workspace;
  RETURN n;
END
$$;
REVOKE ALL ON FUNCTION audit_cut(uuid, timestamptz, int) FROM PUBLIC;

-- ------------------------------------------------------------------ erasure: destroy a person's keys
-- The keys of the e-mail address, the phone number and the lead/contact ids given. Returns keys destroyed.
CREATE FUNCTION audit_shred_subject(p_workspace uuid, p_email text, p_phone text, p_ids text[]) RETURNS int
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  salt bytea;
  n int;
BEGIN
  SELECT subject_salt INTO salt FROM audit_chain_heads WHERE workspace_id = p_workspace;
  IF NOT FOUND THEN RETURN 0; END IF;
  DELETE FROM audit_subject_keys WHERE workspace_id = p_workspace AND subject IN (
    SELECT audit_value_subject(salt, v) FROM unnest(ARRAY[p_email, p_phone]) AS v WHERE v IS NOT NULL
    UNION ALL SELECT 'id:' || i FROM unnest(coalesce(p_ids, '{}')) AS i);
  GET DIAGNOSTICS n = ROW_COUNT;
  RETURN n;
END
$$;
REVOKE ALL ON FUNCTION audit_shred_subject(uuid, text, text, text[]) FROM PUBLIC;

-- A new workspace starts its chain (the head also carries its subject salt).
CREATE FUNCTION audit_chain_start() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  INSERT INTO audit_chain_heads (workspace_id) VALUES (NEW.id) ON CONFLICT (workspace_id) DO NOTHING;
  RETURN NEW;
END
$$;
REVOKE ALL ON FUNCTION audit_chain_start() FROM PUBLIC;
CREATE TRIGGER workspaces_audit_chain_start AFTER INSERT ON workspaces FOR EACH ROW EXECUTE FUNCTION audit_chain_start();
