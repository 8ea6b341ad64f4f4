-- Issue 47 (decision 0032): the inbox and the operator console.
-- Conversations gain a status (open/closed), an assignee, a last-activity time for the inbox
-- order, and the live-call fields an operator needs (Vapi's control URL, the call's live status).
-- New tenant tables: conversation_reads (unread counts per member), guidance_notes (private notes
-- to the agent), call_actions (Live Call Control requests, each sent by one job), safety_rules,
-- review_items and notifications. Every one: workspace_id first, RLS forced, composite foreign keys.
-- Search (contact name, phone, message text) uses trigram indexes (pg_trgm, a trusted extension).

CREATE EXTENSION IF NOT EXISTS pg_trgm;

ALTER TYPE message_status ADD VALUE IF NOT EXISTS 'BLOCKED';

CREATE TYPE conversation_status AS ENUM ('OPEN', 'CLOSED');
CREATE TYPE email_notifications AS ENUM ('OFF', 'IMMEDIATE', 'DAILY');

ALTER TABLE workspaces ADD COLUMN auto_assign boolean NOT NULL DEFAULT false;

ALTER TABLE memberships
  ADD COLUMN available boolean NOT NULL DEFAULT false,
  ADD COLUMN last_assigned_at timestamptz(3),
  ADD COLUMN email_notifications email_notifications NOT NULL DEFAULT 'IMMEDIATE',
  ADD COLUMN digest_sent_at timestamptz(3);

ALTER TABLE conversations
  ADD COLUMN status conversation_status NOT NULL DEFAULT 'OPEN',
  ADD COLUMN closed_at timestamptz(3),
  ADD COLUMN assignee_membership_id uuid,
  ADD COLUMN last_activity_at timestamptz(3) NOT NULL DEFAULT now(),
  ADD COLUMN call_control_url text,
  ADD COLUMN call_status text,
  ADD CONSTRAINT conversations_workspace_id_assignee_membership_id_fkey FOREIGN KEY (workspace_id, assignee_membership_id)
    REFERENCES memberships (workspace_id, id) ON DELETE SET NULL (assignee_membership_id) ON UPDATE CASCADE;
UPDATE conversations SET last_activity_at = coalesce(last_message_at, created_at);
CREATE INDEX conversations_workspace_id_last_activity_at_id_idx ON conversations (workspace_id, last_activity_at DESC, id DESC);
CREATE INDEX conversations_workspace_id_assignee_membership_id_idx ON conversations (workspace_id, assignee_membership_id);

ALTER TABLE calls ADD COLUMN control_url text;

CREATE INDEX messages_body_trgm_idx ON messages USING gin (body gin_trgm_ops);
CREATE INDEX contacts_name_trgm_idx ON contacts USING gin (name gin_trgm_ops);
CREATE INDEX contacts_phone_trgm_idx ON contacts USING gin (phone gin_trgm_ops);

-- Unread counts: the last time a member read a conversation.
CREATE TABLE conversation_reads (
  workspace_id uuid NOT NULL,
  conversation_id uuid NOT NULL,
  membership_id uuid NOT NULL,
  last_read_at timestamptz(3) NOT NULL DEFAULT now(),
  CONSTRAINT conversation_reads_pkey PRIMARY KEY (workspace_id, conversation_id, membership_id),
  CONSTRAINT conversation_reads_workspace_id_fkey FOREIGN KEY (workspace_id) REFERENCES workspaces (id) ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT conversation_reads_workspace_id_conversation_id_fkey FOREIGN KEY (workspace_id, conversation_id) REFERENCES conversations (workspace_id, id) ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT conversation_reads_workspace_id_membership_id_fkey FOREIGN KEY (workspace_id, membership_id) REFERENCES memberships (workspace_id, id) ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX conversation_reads_workspace_id_membership_id_idx ON conversation_reads (workspace_id, membership_id);

-- Safety rules: a concept (phrases and/or a pattern), where it applies and what it does.
CREATE TYPE safety_scope AS ENUM ('INBOUND', 'AGENT_REPLY', 'CALL_TRANSCRIPT');
CREATE TYPE safety_action AS ENUM ('FLAG', 'HAND_OVER', 'BLOCK');
CREATE TABLE safety_rules (
  workspace_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  name text NOT NULL,
  phrases text[] NOT NULL DEFAULT '{}',
  pattern text,
  applies_to safety_scope[] NOT NULL,
  action safety_action NOT NULL,
  enabled boolean NOT NULL DEFAULT true,
  template text,
  created_at timestamptz(3) NOT NULL DEFAULT now(),
  updated_at timestamptz(3) NOT NULL DEFAULT now(),
  CONSTRAINT safety_rules_pkey PRIMARY KEY (workspace_id, id),
  CONSTRAINT safety_rules_workspace_id_fkey FOREIGN KEY (workspace_id) REFERENCES workspaces (id) ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX safety_rules_workspace_id_name_key ON safety_rules (workspace_id, name);

ALTER TABLE messages
  ADD COLUMN blocked_by_rule_id uuid,
  ADD CONSTRAINT messages_workspace_id_blocked_by_rule_id_fkey FOREIGN KEY (workspace_id, blocked_by_rule_id)
    REFERENCES safety_rules (workspace_id, id) ON DELETE SET NULL (blocked_by_rule_id) ON UPDATE CASCADE;
CREATE INDEX messages_workspace_id_blocked_by_rule_id_idx ON messages (workspace_id, blocked_by_rule_id);

-- Guidance: an operator's private note to the agent (never sent to the lead); to a live call too.
CREATE TABLE guidance_notes (
  workspace_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  conversation_id uuid NOT NULL,
  author_membership_id uuid,
  body text NOT NULL,
  mentioned_membership_ids uuid[] NOT NULL DEFAULT '{}',
  created_at timestamptz(3) NOT NULL DEFAULT now(),
  CONSTRAINT guidance_notes_pkey PRIMARY KEY (workspace_id, id),
  CONSTRAINT guidance_notes_workspace_id_fkey FOREIGN KEY (workspace_id) REFERENCES workspaces (id) ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT guidance_notes_workspace_id_conversation_id_fkey FOREIGN KEY (workspace_id, conversation_id) REFERENCES conversations (workspace_id, id) ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT guidance_notes_workspace_id_author_membership_id_fkey FOREIGN KEY (workspace_id, author_membership_id) REFERENCES memberships (workspace_id, id) ON DELETE SET NULL (author_membership_id) ON UPDATE CASCADE
);
CREATE INDEX guidance_notes_workspace_id_conversation_id_created_at_idx ON guidance_notes (workspace_id, conversation_id, created_at);
CREATE INDEX guidance_notes_workspace_id_author_membership_id_idx ON guidance_notes (workspace_id, author_membership_id);

-- Live Call Control requests (guidance to a call, an operator joining it): one job each, sent at most once.
CREATE TYPE call_action_kind AS ENUM ('GUIDANCE', 'TRANSFER');
CREATE TYPE call_action_status AS ENUM ('QUEUED', 'SENT', 'FAILED');
CREATE TABLE call_actions (
  workspace_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  conversation_id uuid NOT NULL,
  membership_id uuid,
  kind call_action_kind NOT NULL,
  payload jsonb NOT NULL,
  status call_action_status NOT NULL DEFAULT 'QUEUED',
  attempts integer NOT NULL DEFAULT 0,
  error_message text,
  created_at timestamptz(3) NOT NULL DEFAULT now(),
  updated_at timestamptz(3) NOT NULL DEFAULT now(),
  CONSTRAINT call_actions_pkey PRIMARY KEY (workspace_id, id),
  CONSTRAINT call_actions_workspace_id_fkey FOREIGN KEY (workspace_id) REFERENCES workspaces (id) ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT call_actions_workspace_id_conversation_id_fkey FOREIGN KEY (workspace_id, conversation_id) REFERENCES conversations (workspace_id, id) ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT call_actions_workspace_id_membership_id_fkey FOREIGN KEY (workspace_id, membership_id) REFERENCES memberships (workspace_id, id) ON DELETE SET NULL (membership_id) ON UPDATE CASCADE
);
CREATE INDEX call_actions_workspace_id_conversation_id_idx ON call_actions (workspace_id, conversation_id);
CREATE INDEX call_actions_workspace_id_membership_id_idx ON call_actions (workspace_id, membership_id);

-- The review queue.
CREATE TYPE review_reason AS ENUM ('SAFETY_FLAG', 'SEND_FAILED', 'CALL_FLAGGED');
CREATE TYPE review_status AS ENUM ('OPEN', 'CLAIMED', 'RESOLVED');
CREATE TABLE review_items (
  workspace_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  reason review_reason NOT NULL,
  status review_status NOT NULL DEFAULT 'OPEN',
  conversation_id uuid,
  message_id uuid,
  rule_id uuid,
  summary text NOT NULL,
  excerpt text,
  claimed_by_membership_id uuid,
  claimed_at timestamptz(3),
  resolved_by_membership_id uuid,
  resolved_at timestamptz(3),
  outcome text,
  note text,
  created_at timestamptz(3) NOT NULL DEFAULT now(),
  updated_at timestamptz(3) NOT NULL DEFAULT now(),
  CONSTRAINT review_items_pkey PRIMARY KEY (workspace_id, id),
  CONSTRAINT review_items_workspace_id_fkey FOREIGN KEY (workspace_id) REFERENCES workspaces (id) ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT review_items_workspace_id_conversation_id_fkey FOREIGN KEY (workspace_id, conversation_id) REFERENCES conversations (workspace_id, id) ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT review_items_workspace_id_message_id_fkey FOREIGN KEY (workspace_id, message_id) REFERENCES messages (workspace_id, id) ON DELETE SET NULL (message_id) ON UPDATE CASCADE,
  CONSTRAINT review_items_workspace_id_rule_id_fkey FOREIGN KEY (workspace_id, rule_id) REFERENCES safety_rules (workspace_id, id) ON DELETE SET NULL (rule_id) ON UPDATE CASCADE,
  CONSTRAINT review_items_workspace_id_claimed_by_membership_id_fkey FOREIGN KEY (workspace_id, claimed_by_membership_id) REFERENCES memberships (workspace_id, id) ON DELETE SET NULL (claimed_by_membership_id) ON UPDATE CASCADE,
  CONSTRAINT review_items_workspace_id_resolved_by_membership_id_fkey FOREIGN KEY (workspace_id, resolved_by_membership_id) REFERENCES memberships (workspace_id, id) ON DELETE SET NULL (resolved_by_membership_id) ON UPDATE CASCADE
);
-- One item per (message, reason): a redelivered webhook or a retried job files nothing new.
CREATE UNIQUE INDEX review_items_workspace_id_message_id_reason_key ON review_items (workspace_id, message_id, reason);
CREATE INDEX review_items_workspace_id_status_created_at_idx ON review_items (workspace_id, status, created_at);
CREATE INDEX review_items_workspace_id_conversation_id_idx ON review_items (workspace_id, conversation_id);
CREATE INDEX review_items_workspace_id_rule_id_idx ON review_items (workspace_id, rule_id);
CREATE INDEX review_items_workspace_id_claimed_by_membership_id_idx ON review_items (workspace_id, claimed_by_membership_id);
CREATE INDEX review_items_workspace_id_resolved_by_membership_id_idx ON review_items (workspace_id, resolved_by_membership_id);

-- The notification centre: one row per recipient.
CREATE TYPE notification_kind AS ENUM ('ASSIGNED', 'ESCALATION', 'MENTION');
CREATE TABLE notifications (
  workspace_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  membership_id uuid NOT NULL,
  kind notification_kind NOT NULL,
  title text NOT NULL,
  body text,
  conversation_id uuid,
  review_item_id uuid,
  read_at timestamptz(3),
  emailed_at timestamptz(3),
  created_at timestamptz(3) NOT NULL DEFAULT now(),
  CONSTRAINT notifications_pkey PRIMARY KEY (workspace_id, id),
  CONSTRAINT notifications_workspace_id_fkey FOREIGN KEY (workspace_id) REFERENCES workspaces (id) ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT notifications_workspace_id_membership_id_fkey FOREIGN KEY (workspace_id, membership_id) REFERENCES memberships (workspace_id, id) ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT notifications_workspace_id_conversation_id_fkey FOREIGN KEY (workspace_id, conversation_id) REFERENCES conversations (workspace_id, id) ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT notifications_workspace_id_review_item_id_fkey FOREIGN KEY (workspace_id, review_item_id) REFERENCES review_items (workspace_id, id) ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX notifications_workspace_id_membership_id_created_at_idx ON notifications (workspace_id, membership_id, created_at DESC);
CREATE INDEX notifications_workspace_id_conversation_id_idx ON notifications (workspace_id, conversation_id);
CREATE INDEX notifications_workspace_id_review_item_id_idx ON notifications (workspace_id, review_item_id);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['conversation_reads', 'safety_rules', 'guidance_notes', 'call_actions', 'review_items', 'notifications'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format($p$CREATE POLICY %I ON %I
      USING (workspace_id = (SELECT nullif(current_setting('app.workspace_id', true), '')::uuid))
      WITH CHECK (workspace_id = (SELECT nullif(current_setting('app.workspace_id', true), '')::uuid))$p$, t || '_tenant', t);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO atrium_app', t);
  END LOOP;
END
$$;

-- Live: review items (the queue), notifications (p: the recipient's membership), guidance notes
-- and call actions (p: the conversation: they appear in its transcript).
CREATE TRIGGER review_items_live AFTER INSERT OR UPDATE ON review_items
  FOR EACH ROW EXECUTE FUNCTION live_notify('review');
CREATE TRIGGER notifications_live AFTER INSERT OR UPDATE ON notifications
  FOR EACH ROW EXECUTE FUNCTION live_notify('notification', 'membership_id');
CREATE TRIGGER guidance_notes_live AFTER INSERT ON guidance_notes
  FOR EACH ROW EXECUTE FUNCTION live_notify('guidance', 'conversation_id');
CREATE TRIGGER call_actions_live AFTER INSERT OR UPDATE ON call_actions
  FOR EACH ROW EXECUTE FUNCTION live_notify('callAction', 'conversation_id');

-- Permissions (issue 47): taking over and handing back moved from message.send to the new
-- conversation.manage. Members and keys that could take over keep that power.
UPDATE memberships SET policies = array_append(policies, 'conversation.manage')
 WHERE 'message.send' = ANY (policies) AND NOT 'conversation.manage' = ANY (policies);
UPDATE api_keys SET scopes = array_append(scopes, 'conversation.manage')
 WHERE 'message.send' = ANY (scopes) AND NOT 'conversation.manage' = ANY (scopes);
UPDATE invitations SET policies = array_append(policies, 'conversation.manage')
 WHERE 'message.send' = ANY (policies) AND NOT 'conversation.manage' = ANY (policies);

-- A conversation's activity (assigned, taken over, closed…) is read from the audit log by target.
CREATE INDEX audit_events_workspace_id_target_id_idx ON audit_events (workspace_id, target_id);

-- Inbox search. Under row-level security the planner never uses an index for a non-leakproof
-- operator such as ILIKE (the policy's condition must be checked first), so for the app role a
-- trigram index could not serve the search: every search would read all of the workspace's
-- messages. This function runs the two index-backed arms as the owner (which bypasses RLS),
-- restricted to the workspace of the caller's tenant context — the very setting the policies
-- read; none set → no rows (fail closed) — and returns conversation ids only. Dynamic SQL: each
-- call is planned with its own pattern (a rare word → the trigram index).
CREATE FUNCTION inbox_search(p_pattern text, p_limit integer) RETURNS SETOF uuid
  LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public AS
$$
DECLARE
  ws uuid := nullif(current_setting('app.workspace_id', true), '')::uuid;
BEGIN
  IF ws IS NULL OR p_pattern IS NULL THEN RETURN; END IF;
  RETURN QUERY EXECUTE
    'SELECT conversation_id FROM messages WHERE workspace_id = $1 AND body ILIKE $2
     UNION
     SELECT c.id FROM conversations c JOIN contacts ct ON ct.workspace_id = c.workspace_id AND ct.id = c.contact_id
      WHERE c.workspace_id = $1 AND ct.workspace_id = $1 AND (ct.name ILIKE $2 OR ct.phone ILIKE $2)
     LIMIT $3'
    USING ws, p_pattern, least(greatest(p_limit, 0), 1000);
END;
$$;
REVOKE ALL ON FUNCTION inbox_search(text, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION inbox_search(text, integer) TO atrium_app;
