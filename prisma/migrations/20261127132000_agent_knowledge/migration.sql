-- Issue 56, items 4–6: an agent that knows the business.
-- Workspaces gain the opening message template (null: the product's default) and the business
-- knowledge the agent is given in every turn (plain text; lengths are checked by the API with
-- @atrium/validation's rules, and capped here so no path can store more).
-- Leads gain the ENGAGED status (the lead replied), between CONTACTED and QUALIFIED: the status
-- follows the conversation forward only (NEW → CONTACTED → ENGAGED → QUALIFIED → BOOKED).

ALTER TYPE lead_status ADD VALUE IF NOT EXISTS 'ENGAGED' AFTER 'CONTACTED';

ALTER TABLE workspaces
  ADD COLUMN opening_message_template text,
  ADD COLUMN knowledge_hours text,
  ADD COLUMN knowledge_services text,
  ADD COLUMN knowledge_prices text,
  ADD COLUMN knowledge_faqs text,
  ADD CONSTRAINT workspaces_opening_message_template_length CHECK (char_length(opening_message_template) <= 1000),
  ADD CONSTRAINT workspaces_knowledge_length CHECK (
    char_length(knowledge_hours) <= 2000 AND char_length(knowledge_services) <= 4000
    AND char_length(knowledge_prices) <= 4000 AND char_length(knowledge_faqs) <= 8000);
