-- The row's canonical form has one definition, `audit_row_canonical`, used by the trigger that
-- seals a row (it had its own inline copy): PL/pgSQL, so its expression is planned once per
-- session, as the inline copy was. Every workspace has its chain head from its creation
-- (`audit_chain_start`, and the heads made for existing workspaces when the chain was added), so
-- the trigger's fall-backs for a missing head are gone: a missing head is an error (STRICT), not
-- a head made on the fly. Same rows, same hashes.
INSERT INTO audit_chain_heads (workspace_id) SELECT id FROM workspaces ON CONFLICT (workspace_id) DO NOTHING;

CREATE OR REPLACE FUNCTION audit_row_canonical(r audit_events) RETURNS text
  LANGUAGE plpgsql STABLE AS $$
BEGIN
  RETURN '{"action":' || to_json(r.action)::text
    || ',"actor_api_key_id":' || coalesce(to_json(r.actor_api_key_id)::text, 'null')
    || ',"actor_membership_id":' || coalesce(to_json(r.actor_membership_id)::text, 'null')
    || ',"actor_user_id":' || coalesce(to_json(r.actor_user_id)::text, 'null')
    || ',"created_at":"' || to_char(r.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') || '"'
    || ',"data":' || public.audit_canonical_json(r.data)
    || ',"id":' || to_json(r.id)::text
    || ',"ip":' || coalesce(to_json(r.ip)::text, 'null')
    || ',"request_id":' || coalesce(to_json(r.request_id)::text, 'null')
    || ',"target_id":' || coalesce(to_json(r.target_id)::text, 'null')
    || ',"target_type":' || coalesce(to_json(r.target_type)::text, 'null')
    || ',"user_agent":' || coalesce(to_json(r.user_agent)::text, 'null')
    || ',"workspace_id":' || to_json(r.workspace_id)::text
    || '}';
END
$$;

CREATE OR REPLACE FUNCTION audit_seal() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  salt bytea;
  appended record;
BEGIN
  IF NEW.actor_membership_id IS NOT NULL
     AND NOT EXISTS (SELECT 1 FROM memberships WHERE workspace_id = NEW.workspace_id AND id = NEW.actor_membership_id) THEN
    RAISE EXCEPTION 'insert on table "audit_events" violates foreign key constraint "audit_events_workspace_id_actor_membership_id_fkey"'
      USING ERRCODE = 'foreign_key_violation', CONSTRAINT = 'audit_events_workspace_id_actor_membership_id_fkey', TABLE = 'audit_events', SCHEMA = 'public',
            DETAIL = format('Key (workspace_id, actor_membership_id)=(%s, %s) is not present in table "memberships".', NEW.workspace_id, NEW.actor_membership_id);
  END IF;
  -- Personal data first: the chain covers the ciphertext, so destroying a key leaves it intact.
  IF NEW.data::text ~ '[@+]' THEN
    -- Every workspace has its head from its creation (`audit_chain_start`).
    SELECT subject_salt INTO STRICT salt FROM audit_chain_heads WHERE workspace_id = NEW.workspace_id;
    NEW.data := audit_shred_json(NEW.workspace_id, salt, NEW.data);
  END IF;
  IF NEW.actor_user_id IS NULL AND NEW.actor_api_key_id IS NULL AND NEW.target_type IN ('Lead', 'Contact') AND NEW.target_id IS NOT NULL THEN
    -- An anonymous sender (a public form) is the person the row is about: their address and browser are theirs.
    IF NEW.ip IS NOT NULL THEN NEW.ip := audit_encrypt(NEW.workspace_id, 'id:' || NEW.target_id, NEW.ip); END IF;
    IF NEW.user_agent IS NOT NULL THEN NEW.user_agent := audit_encrypt(NEW.workspace_id, 'id:' || NEW.target_id, NEW.user_agent); END IF;
  END IF;
  NEW.created_at := NEW.created_at::timestamptz(3);
  -- One statement appends: it locks the workspace's head until this transaction ends (appends are
  -- serialised per workspace) and, reading the head as it is then, links to it. seq and prev_hash
  -- are outside what the hash covers, so the row's canonical form does not depend on them.
  UPDATE audit_chain_heads SET seq = seq + 1, prev_hash = hash, hash = sha256(hash || convert_to(audit_row_canonical(NEW), 'UTF8'))
    WHERE workspace_id = NEW.workspace_id RETURNING seq, prev_hash, hash INTO STRICT appended;
  NEW.seq := appended.seq;
  NEW.prev_hash := appended.prev_hash;
  NEW.hash := appended.hash;
  RETURN NEW;
END
$$;
REVOKE ALL ON FUNCTION audit_seal() FROM PUBLIC;
