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
