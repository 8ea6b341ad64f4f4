-- Issue 52, the retention sweep (decision 0055, addendum "Bulk 2"). Three foreign keys reference
-- messages, all ON DELETE SET NULL: a message's reply (messages.in_reply_to_id), a campaign
-- recipient's message, a review item's message. PostgreSQL enforces each with a per-row trigger:
-- every deleted message ran three UPDATE look-ups, ~80 % of the sweep's time (decision 0055).
-- The same rules are now enforced by these triggers instead, set-wise on the delete side:
--   * delete: one statement-level trigger over the deleted rows (a transition table) nulls the
--     references with one UPDATE per referencing table (a join on the existing indexes
--     (workspace_id, in_reply_to_id / message_id)) — the same outcome as SET NULL;
--   * insert / update of a reference: a row trigger checks the referenced message exists in the
--     same workspace and locks it FOR KEY SHARE, as PostgreSQL's own check does (so a concurrent
--     delete either waits for the referencing row and nulls it, or wins and the reference is
--     refused with foreign_key_violation, naming the same constraint);
--   * a message's key (workspace_id, id) never changes (the old ON UPDATE CASCADE had nothing to do).
-- The constraints stay in the catalog, NOT ENFORCED (PostgreSQL 18): the schema still says what
-- references what (schema.prisma, the drift and schema-rules tests read them). Owner functions
-- (SECURITY DEFINER), as PostgreSQL's referential checks are: they see across row-level security.
-- Tested: apps/api/src/modules/retention/message-references.int.test.ts.

CREATE FUNCTION message_reference_check() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS
$$
DECLARE
  ref uuid;
BEGIN
  IF TG_TABLE_NAME = 'messages' THEN ref := NEW.in_reply_to_id; ELSE ref := NEW.message_id; END IF;
  IF ref IS NULL THEN RETURN NULL; END IF;
  PERFORM 1 FROM messages WHERE workspace_id = NEW.workspace_id AND id = ref FOR KEY SHARE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'insert or update on table "%" violates foreign key constraint "%"', TG_TABLE_NAME, TG_ARGV[0]
      USING ERRCODE = 'foreign_key_violation', CONSTRAINT = TG_ARGV[0], TABLE = TG_TABLE_NAME,
            DETAIL = format('Key (workspace_id, %s)=(%s, %s) is not present in table "messages".', TG_ARGV[1], NEW.workspace_id, ref);
  END IF;
  RETURN NULL;
END;
$$;
REVOKE ALL ON FUNCTION message_reference_check() FROM PUBLIC;

CREATE FUNCTION messages_clear_references() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS
$$
BEGIN
  -- Each UPDATE takes its own snapshot (READ COMMITTED): a referencing row committed while the
  -- DELETE waited for its lock on the message is seen and nulled.
  UPDATE messages m SET in_reply_to_id = NULL FROM deleted_messages d WHERE m.workspace_id = d.workspace_id AND m.in_reply_to_id = d.id;
  UPDATE campaign_recipients r SET message_id = NULL FROM deleted_messages d WHERE r.workspace_id = d.workspace_id AND r.message_id = d.id;
  UPDATE review_items r SET message_id = NULL FROM deleted_messages d WHERE r.workspace_id = d.workspace_id AND r.message_id = d.id;
  RETURN NULL;
END;
$$;
REVOKE ALL ON FUNCTION messages_clear_references() FROM PUBLIC;

CREATE FUNCTION messages_key_unchanged() RETURNS trigger LANGUAGE plpgsql AS
$$
BEGIN
  RAISE EXCEPTION 'a message''s (workspace_id, id) never changes' USING ERRCODE = 'foreign_key_violation', TABLE = 'messages';
END;
$$;

-- NOT ENFORCED constraints are PostgreSQL 18's; Atrium runs on 15+ (DATABASE_URL). On an older
-- server the constraints stay enforced beside the triggers: the same outcome (the row triggers
-- null the references first, the statement trigger then finds none), without the speed-up.
DO $$
BEGIN
  IF current_setting('server_version_num')::int >= 180000 THEN
    EXECUTE 'ALTER TABLE messages ALTER CONSTRAINT messages_workspace_id_in_reply_to_id_fkey NOT ENFORCED';
    EXECUTE 'ALTER TABLE campaign_recipients ALTER CONSTRAINT campaign_recipients_workspace_id_message_id_fkey NOT ENFORCED';
    EXECUTE 'ALTER TABLE review_items ALTER CONSTRAINT review_items_workspace_id_message_id_fkey NOT ENFORCED';
  END IF;
END
$$;

CREATE TRIGGER messages_clear_references AFTER DELETE ON messages
  REFERENCING OLD TABLE AS deleted_messages FOR EACH STATEMENT EXECUTE FUNCTION messages_clear_references();
CREATE TRIGGER messages_key_unchanged BEFORE UPDATE OF workspace_id, id ON messages
  FOR EACH ROW WHEN (OLD.workspace_id IS DISTINCT FROM NEW.workspace_id OR OLD.id IS DISTINCT FROM NEW.id)
  EXECUTE FUNCTION messages_key_unchanged();

CREATE TRIGGER messages_in_reply_to_check AFTER INSERT ON messages
  FOR EACH ROW WHEN (NEW.in_reply_to_id IS NOT NULL)
  EXECUTE FUNCTION message_reference_check('messages_workspace_id_in_reply_to_id_fkey', 'in_reply_to_id');
CREATE TRIGGER messages_in_reply_to_check_update AFTER UPDATE OF workspace_id, in_reply_to_id ON messages
  FOR EACH ROW WHEN (NEW.in_reply_to_id IS NOT NULL AND (NEW.in_reply_to_id IS DISTINCT FROM OLD.in_reply_to_id OR NEW.workspace_id IS DISTINCT FROM OLD.workspace_id))
  EXECUTE FUNCTION message_reference_check('messages_workspace_id_in_reply_to_id_fkey', 'in_reply_to_id');

CREATE TRIGGER campaign_recipients_message_check AFTER INSERT ON campaign_recipients
  FOR EACH ROW WHEN (NEW.message_id IS NOT NULL)
  EXECUTE FUNCTION message_reference_check('campaign_recipients_workspace_id_message_id_fkey', 'message_id');
CREATE TRIGGER campaign_recipients_message_check_update AFTER UPDATE OF workspace_id, message_id ON campaign_recipients
  FOR EACH ROW WHEN (NEW.message_id IS NOT NULL AND (NEW.message_id IS DISTINCT FROM OLD.message_id OR NEW.workspace_id IS DISTINCT FROM OLD.workspace_id))
  EXECUTE FUNCTION message_reference_check('campaign_recipients_workspace_id_message_id_fkey', 'message_id');

CREATE TRIGGER review_items_message_check AFTER INSERT ON review_items
  FOR EACH ROW WHEN (NEW.message_id IS NOT NULL)
  EXECUTE FUNCTION message_reference_check('review_items_workspace_id_message_id_fkey', 'message_id');
CREATE TRIGGER review_items_message_check_update AFTER UPDATE OF workspace_id, message_id ON review_items
  FOR EACH ROW WHEN (NEW.message_id IS NOT NULL AND (NEW.message_id IS DISTINCT FROM OLD.message_id OR NEW.workspace_id IS DISTINCT FROM OLD.workspace_id))
  EXECUTE FUNCTION message_reference_check('review_items_workspace_id_message_id_fkey', 'message_id');
