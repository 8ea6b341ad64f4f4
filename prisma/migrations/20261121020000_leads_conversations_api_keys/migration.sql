-- Leads, contacts, conversations and messages (R1–R3), API keys (A1). All tenant tables:
-- workspace_id leads every key and index, composite FKs between tenant tables, RLS forced.

CREATE TYPE lead_source AS ENUM ('FORM', 'API', 'MANUAL');
CREATE TYPE lead_status AS ENUM ('NEW', 'CONTACTED', 'QUALIFIED', 'BOOKED', 'LOST');
CREATE TYPE message_direction AS ENUM ('INBOUND', 'OUTBOUND');
CREATE TYPE message_sender AS ENUM ('CONTACT', 'AGENT', 'MEMBER', 'SYSTEM');
CREATE TYPE message_status AS ENUM ('RECEIVED', 'QUEUED', 'SENT', 'SUPPRESSED', 'FAILED');

CREATE TABLE contacts (
  workspace_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  name text NOT NULL,
  email text,
  phone text,
  created_at timestamptz(3) NOT NULL DEFAULT now(),
  updated_at timestamptz(3) NOT NULL DEFAULT now(),
  CONSTRAINT contacts_pkey PRIMARY KEY (workspace_id, id),
  CONSTRAINT contacts_email_normalised CHECK (email IS NULL OR email = lower(email)),
  CONSTRAINT contacts_phone_e164 CHECK (phone IS NULL OR phone ~ '^\+[1-9][0-9]{6,14}$'),
  CONSTRAINT contacts_workspace_id_fkey FOREIGN KEY (workspace_id) REFERENCES workspaces (id) ON DELETE CASCADE ON UPDATE CASCADE
);
-- One contact per normalised e-mail and per E.164 phone in a workspace (NULLs are distinct).
CREATE UNIQUE INDEX contacts_workspace_id_email_key ON contacts (workspace_id, email);
CREATE UNIQUE INDEX contacts_workspace_id_phone_key ON contacts (workspace_id, phone);

CREATE TABLE api_keys (
  workspace_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  name text NOT NULL,
  scopes text[] NOT NULL DEFAULT '{}',
  secret_hash text NOT NULL,
  environment text NOT NULL,
  persisted_only boolean NOT NULL DEFAULT false,
  created_by_user_id uuid NOT NULL,
  created_by_membership_id uuid,
  last_used_at timestamptz(3),
  expires_at timestamptz(3),
  revoked_at timestamptz(3),
  created_at timestamptz(3) NOT NULL DEFAULT now(),
  CONSTRAINT api_keys_pkey PRIMARY KEY (workspace_id, id),
  CONSTRAINT api_keys_workspace_id_fkey FOREIGN KEY (workspace_id) REFERENCES workspaces (id) ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT api_keys_workspace_id_created_by_membership_id_fkey FOREIGN KEY (workspace_id, created_by_membership_id)
    REFERENCES memberships (workspace_id, id) ON DELETE SET NULL (created_by_membership_id) ON UPDATE CASCADE
);
CREATE INDEX api_keys_workspace_id_created_at_idx ON api_keys (workspace_id, created_at DESC);
CREATE INDEX api_keys_workspace_id_created_by_membership_id_idx ON api_keys (workspace_id, created_by_membership_id);

CREATE TABLE leads (
  workspace_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  contact_id uuid NOT NULL,
  name text NOT NULL,
  email text,
  phone text,
  message text,
  source lead_source NOT NULL,
  status lead_status NOT NULL DEFAULT 'NEW',
  api_key_id uuid,
  created_at timestamptz(3) NOT NULL DEFAULT now(),
  updated_at timestamptz(3) NOT NULL DEFAULT now(),
  CONSTRAINT leads_pkey PRIMARY KEY (workspace_id, id),
  CONSTRAINT leads_workspace_id_fkey FOREIGN KEY (workspace_id) REFERENCES workspaces (id) ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT leads_workspace_id_contact_id_fkey FOREIGN KEY (workspace_id, contact_id) REFERENCES contacts (workspace_id, id) ON DELETE NO ACTION ON UPDATE CASCADE,
  CONSTRAINT leads_workspace_id_api_key_id_fkey FOREIGN KEY (workspace_id, api_key_id) REFERENCES api_keys (workspace_id, id) ON DELETE SET NULL (api_key_id) ON UPDATE CASCADE
);
CREATE INDEX leads_workspace_id_created_at_id_idx ON leads (workspace_id, created_at DESC, id DESC);
CREATE INDEX leads_workspace_id_contact_id_idx ON leads (workspace_id, contact_id);
CREATE INDEX leads_workspace_id_api_key_id_idx ON leads (workspace_id, api_key_id);

CREATE TABLE conversations (
  workspace_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  contact_id uuid NOT NULL,
  lead_id uuid,
  human_takeover boolean NOT NULL DEFAULT false,
  last_message_at timestamptz(3),
  created_at timestamptz(3) NOT NULL DEFAULT now(),
  updated_at timestamptz(3) NOT NULL DEFAULT now(),
  CONSTRAINT conversations_pkey PRIMARY KEY (workspace_id, id),
  CONSTRAINT conversations_workspace_id_fkey FOREIGN KEY (workspace_id) REFERENCES workspaces (id) ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT conversations_workspace_id_contact_id_fkey FOREIGN KEY (workspace_id, contact_id) REFERENCES contacts (workspace_id, id) ON DELETE NO ACTION ON UPDATE CASCADE,
  CONSTRAINT conversations_workspace_id_lead_id_fkey FOREIGN KEY (workspace_id, lead_id) REFERENCES leads (workspace_id, id) ON DELETE SET NULL (lead_id) ON UPDATE CASCADE
);
CREATE INDEX conversations_workspace_id_created_at_id_idx ON conversations (workspace_id, created_at DESC, id DESC);
CREATE INDEX conversations_workspace_id_contact_id_idx ON conversations (workspace_id, contact_id);
CREATE INDEX conversations_workspace_id_lead_id_idx ON conversations (workspace_id, lead_id);

CREATE TABLE messages (
  workspace_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  conversation_id uuid NOT NULL,
  direction message_direction NOT NULL,
  sender message_sender NOT NULL,
  sender_membership_id uuid,
  body text NOT NULL,
  status message_status NOT NULL,
  created_at timestamptz(3) NOT NULL DEFAULT now(),
  CONSTRAINT messages_pkey PRIMARY KEY (workspace_id, id),
  CONSTRAINT messages_body_length CHECK (length(body) BETWEEN 1 AND 4096),
  CONSTRAINT messages_workspace_id_fkey FOREIGN KEY (workspace_id) REFERENCES workspaces (id) ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT messages_workspace_id_conversation_id_fkey FOREIGN KEY (workspace_id, conversation_id) REFERENCES conversations (workspace_id, id) ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT messages_workspace_id_sender_membership_id_fkey FOREIGN KEY (workspace_id, sender_membership_id) REFERENCES memberships (workspace_id, id) ON DELETE SET NULL (sender_membership_id) ON UPDATE CASCADE
);
CREATE INDEX messages_workspace_id_conversation_id_created_at_id_idx ON messages (workspace_id, conversation_id, created_at, id);
CREATE INDEX messages_workspace_id_sender_membership_id_idx ON messages (workspace_id, sender_membership_id);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['contacts', 'api_keys', 'leads', 'conversations', 'messages'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format($p$CREATE POLICY %I ON %I
      USING (workspace_id = (SELECT nullif(current_setting('app.workspace_id', true), '')::uuid))
      WITH CHECK (workspace_id = (SELECT nullif(current_setting('app.workspace_id', true), '')::uuid))$p$, t || '_tenant', t);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO atrium_app', t);
  END LOOP;
END
$$;

-- The public form knows only a slug. This returns the workspace id for a live slug and nothing
-- else, so the form handler can open a tenant transaction without the owner-role client.
CREATE FUNCTION workspace_id_for_slug(p_slug text) RETURNS uuid
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS
  $$ SELECT id FROM workspaces WHERE slug = p_slug $$;
REVOKE ALL ON FUNCTION workspace_id_for_slug(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION workspace_id_for_slug(text) TO atrium_app;
