-- Issue 52, a campaign to 100,000 recipients (decision 0055, addendum "Bulk 2"): `runCampaign`
-- no longer writes every recipient inside the request. It adds the hand-picked contacts and a
-- first batch of the tag's audience, and the campaign's dispatcher job adds the rest in keyset
-- batches (contacts by id after `audience_cursor`), each batch and its cursor in one transaction
-- (a retried job goes on from the last committed batch; the unique (campaign, contact) key is the
-- second guard). `audience_added_at` is set once every recipient is added (the campaign completes
-- only after it); `audience_size` is the audience counted when the campaign started (progress).
ALTER TABLE campaigns
  ADD COLUMN audience_cursor uuid,
  ADD COLUMN audience_added_at timestamptz(3),
  ADD COLUMN audience_size integer;
-- Campaigns that started before this migration had their whole audience written when they started.
UPDATE campaigns SET audience_added_at = started_at WHERE started_at IS NOT NULL;

-- A batch of the audience inserts thousands of recipient rows in one statement: its live
-- notification (the campaign's progress moved; folded per transaction into one anyway) is sent
-- once per statement and campaign instead of once per row (~20 % of the batch's time). Updates
-- (claimed, skipped, cancelled) keep the per-row trigger.
DROP TRIGGER campaign_recipients_live ON campaign_recipients;
CREATE TRIGGER campaign_recipients_live AFTER UPDATE ON campaign_recipients
  FOR EACH ROW EXECUTE FUNCTION live_notify_campaign_of_recipient();
CREATE FUNCTION live_notify_campaign_of_recipients_added() RETURNS trigger LANGUAGE plpgsql AS
$$
DECLARE
  r record;
BEGIN
  FOR r IN SELECT DISTINCT workspace_id, campaign_id FROM added_recipients LOOP
    PERFORM pg_notify('atrium_live', json_build_object('w', r.workspace_id, 'k', 'campaign', 'id', r.campaign_id, 'p', NULL, 'op', 'update')::text);
  END LOOP;
  RETURN NULL;
END;
$$;
CREATE TRIGGER campaign_recipients_live_insert AFTER INSERT ON campaign_recipients
  REFERENCING NEW TABLE AS added_recipients FOR EACH STATEMENT EXECUTE FUNCTION live_notify_campaign_of_recipients_added();
