-- Issue 56, item 2: WhatsApp's rules. A business may send free text only within 24 hours of the
-- contact's last inbound message; outside that window, and for business-initiated messages, an
-- approved template (Twilio Content SID + variables). Templates are workspace rows; a message
-- keeps a snapshot of the template it was sent with (content_sid, content_variables), so a
-- template edited or deleted later never changes what a queued send does.
-- Contacts gain the opt-in recorded by the public form (time and the exact text shown) and the
-- time of their last inbound message (the window).

CREATE TABLE message_templates (
  workspace_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  name text NOT NULL,
  content_sid text NOT NULL,
  body text NOT NULL,
  variables text[] NOT NULL DEFAULT '{}',
  use_for_opening boolean NOT NULL DEFAULT false,
  created_at timestamptz(3) NOT NULL DEFAULT now(),
  updated_at timestamptz(3) NOT NULL DEFAULT now(),
  CONSTRAINT message_templates_pkey PRIMARY KEY (workspace_id, id),
  CONSTRAINT message_templates_workspace_id_fkey FOREIGN KEY (workspace_id) REFERENCES workspaces (id) ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX message_templates_workspace_id_name_key ON message_templates (workspace_id, name);
-- At most one opening template per workspace.
CREATE UNIQUE INDEX message_templates_workspace_id_opening_key ON message_templates (workspace_id) WHERE use_for_opening;

ALTER TABLE message_templates ENABLE ROW LEVEL SECURITY;
ALTER TABLE message_templates FORCE ROW LEVEL SECURITY;
CREATE POLICY message_templates_tenant ON message_templates
  USING (workspace_id = (SELECT nullif(current_setting('app.workspace_id', true), '')::uuid))
  WITH CHECK (workspace_id = (SELECT nullif(current_setting('app.workspace_id', true), '')::uuid));
GRANT SELECT, INSERT, UPDATE, DELETE ON message_templates TO atrium_app;

-- A campaign may send a template (required outside the window); deleting a template a campaign
-- uses is refused.
ALTER TABLE campaigns
  ADD COLUMN template_id uuid,
  ADD CONSTRAINT campaigns_workspace_id_template_id_fkey FOREIGN KEY (workspace_id, template_id)
    REFERENCES message_templates (workspace_id, id) ON DELETE NO ACTION ON UPDATE CASCADE;
CREATE INDEX campaigns_workspace_id_template_id_idx ON campaigns (workspace_id, template_id);

ALTER TABLE messages
  ADD COLUMN content_sid text,
  ADD COLUMN content_variables jsonb;

ALTER TABLE contacts
  ADD COLUMN opt_in_at timestamptz(3),
  ADD COLUMN opt_in_text text,
  ADD COLUMN last_inbound_at timestamptz(3);
UPDATE contacts c SET last_inbound_at = m.at
  FROM (SELECT cv.workspace_id, cv.contact_id, max(m.created_at) AS at
          FROM messages m JOIN conversations cv ON cv.workspace_id = m.workspace_id AND cv.id = m.conversation_id
         WHERE m.direction = 'INBOUND' GROUP BY 1, 2) m
 WHERE c.workspace_id = m.workspace_id AND c.id = m.contact_id;
