-- Channels live (issue 12: I3, I4, W4, W12, R3, R4): delivery status and provider ids on
-- messages, voice call attempts, call transcripts on conversations, bookings, qualification
-- answers on leads. Tenant rules as everywhere: workspace_id leads every key and index,
-- composite FKs between tenant tables, RLS forced.

-- Delivery statuses reported by Twilio's status callbacks (not used in this transaction).
ALTER TYPE message_status ADD VALUE IF NOT EXISTS 'DELIVERED' AFTER 'SENT';
ALTER TYPE message_status ADD VALUE IF NOT EXISTS 'READ' AFTER 'DELIVERED';

-- provider_message_id: Twilio's MessageSid (inbound: the idempotency key of the webhook;
-- outbound: set when Twilio accepts the message). in_reply_to_id: the inbound message an agent
-- reply answers — unique, so a retried agent job never produces a second reply.
ALTER TABLE messages
  ADD COLUMN provider_message_id text,
  ADD COLUMN error_code text,
  ADD COLUMN error_message text,
  ADD COLUMN attempts integer NOT NULL DEFAULT 0,
  ADD COLUMN in_reply_to_id uuid,
  ADD COLUMN status_updated_at timestamptz(3),
  ADD CONSTRAINT messages_workspace_id_in_reply_to_id_fkey FOREIGN KEY (workspace_id, in_reply_to_id)
    REFERENCES messages (workspace_id, id) ON DELETE SET NULL (in_reply_to_id) ON UPDATE CASCADE;
CREATE UNIQUE INDEX messages_workspace_id_provider_message_id_key ON messages (workspace_id, provider_message_id);
CREATE UNIQUE INDEX messages_workspace_id_in_reply_to_id_key ON messages (workspace_id, in_reply_to_id);

-- A voice call's transcript is a conversation (end-of-call report), idempotent on Vapi's call id.
ALTER TABLE conversations
  ADD COLUMN provider_call_id text,
  ADD COLUMN recording_url text,
  ADD COLUMN transcript text;
CREATE UNIQUE INDEX conversations_workspace_id_provider_call_id_key ON conversations (workspace_id, provider_call_id);

-- A caller unknown to the workspace becomes a lead from the phone channel (Vapi webhooks).
ALTER TYPE lead_source ADD VALUE IF NOT EXISTS 'PHONE';

-- Qualification answers gathered by the voice agent (update_lead tool): [{question, answer}].
ALTER TABLE leads ADD COLUMN qualification_answers jsonb NOT NULL DEFAULT '[]';

-- Outbound call attempts (VOICE): one per new lead with a phone; SUPPRESSED while paused.
CREATE TYPE call_status AS ENUM ('QUEUED', 'SUPPRESSED', 'STARTED', 'RINGING', 'IN_PROGRESS', 'ENDED', 'FAILED');
CREATE TABLE calls (
  workspace_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  contact_id uuid NOT NULL,
  lead_id uuid,
  status call_status NOT NULL,
  provider_call_id text,
  error_code text,
  error_message text,
  attempts integer NOT NULL DEFAULT 0,
  ended_reason text,
  created_at timestamptz(3) NOT NULL DEFAULT now(),
  updated_at timestamptz(3) NOT NULL DEFAULT now(),
  CONSTRAINT calls_pkey PRIMARY KEY (workspace_id, id),
  CONSTRAINT calls_workspace_id_fkey FOREIGN KEY (workspace_id) REFERENCES workspaces (id) ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT calls_workspace_id_contact_id_fkey FOREIGN KEY (workspace_id, contact_id) REFERENCES contacts (workspace_id, id) ON DELETE NO ACTION ON UPDATE CASCADE,
  CONSTRAINT calls_workspace_id_lead_id_fkey FOREIGN KEY (workspace_id, lead_id) REFERENCES leads (workspace_id, id) ON DELETE SET NULL (lead_id) ON UPDATE CASCADE
);
CREATE UNIQUE INDEX calls_workspace_id_provider_call_id_key ON calls (workspace_id, provider_call_id);
CREATE INDEX calls_workspace_id_created_at_idx ON calls (workspace_id, created_at DESC);
CREATE INDEX calls_workspace_id_contact_id_idx ON calls (workspace_id, contact_id);
CREATE INDEX calls_workspace_id_lead_id_idx ON calls (workspace_id, lead_id);

-- R4: consultations booked through Cal.com (the voice agent's book_consultation tool).
CREATE TYPE booking_status AS ENUM ('ACCEPTED', 'PENDING', 'CANCELLED', 'REJECTED');
CREATE TABLE bookings (
  workspace_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  lead_id uuid,
  provider_booking_id integer,
  provider_uid text NOT NULL,
  starts_at timestamptz(3) NOT NULL,
  ends_at timestamptz(3) NOT NULL,
  status booking_status NOT NULL,
  attendee_name text NOT NULL,
  attendee_email text NOT NULL,
  created_at timestamptz(3) NOT NULL DEFAULT now(),
  updated_at timestamptz(3) NOT NULL DEFAULT now(),
  CONSTRAINT bookings_pkey PRIMARY KEY (workspace_id, id),
  CONSTRAINT bookings_ends_after_start CHECK (ends_at >= starts_at),
  CONSTRAINT bookings_workspace_id_fkey FOREIGN KEY (workspace_id) REFERENCES workspaces (id) ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT bookings_workspace_id_lead_id_fkey FOREIGN KEY (workspace_id, lead_id) REFERENCES leads (workspace_id, id) ON DELETE SET NULL (lead_id) ON UPDATE CASCADE
);
CREATE UNIQUE INDEX bookings_workspace_id_provider_uid_key ON bookings (workspace_id, provider_uid);
CREATE INDEX bookings_workspace_id_starts_at_id_idx ON bookings (workspace_id, starts_at DESC, id DESC);
CREATE INDEX bookings_workspace_id_lead_id_idx ON bookings (workspace_id, lead_id);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['calls', 'bookings'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format($p$CREATE POLICY %I ON %I
      USING (workspace_id = (SELECT nullif(current_setting('app.workspace_id', true), '')::uuid))
      WITH CHECK (workspace_id = (SELECT nullif(current_setting('app.workspace_id', true), '')::uuid))$p$, t || '_tenant', t);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO atrium_app', t);
  END LOOP;
END
$$;
