-- Issue 56: cancelling a campaign left its quota-held messages HELD_QUOTA, and the next release
-- (a plan change, the month start) sent them. Cancelling now stops every unsent message of the
-- campaign in its transaction, and a release passes over a cancelled campaign's messages. This
-- stops the ones an earlier cancel left held, as a cancel does now: the message SUPPRESSED with
-- the reason, its recipient CANCELLED. Data only.
WITH stopped AS (
  UPDATE messages m
     SET status = 'SUPPRESSED', error_message = 'Not sent: the campaign was cancelled.', status_updated_at = now()
    FROM campaign_recipients r
    JOIN campaigns c ON c.workspace_id = r.workspace_id AND c.id = r.campaign_id
   WHERE c.status = 'CANCELLED'
     AND m.workspace_id = r.workspace_id AND m.id = r.message_id
     AND m.status = 'HELD_QUOTA' AND m.provider_message_id IS NULL
  RETURNING m.workspace_id, m.id)
UPDATE campaign_recipients r
   SET status = 'CANCELLED', skip_reason = 'Not sent: the campaign was cancelled.', updated_at = now()
  FROM stopped s
 WHERE r.workspace_id = s.workspace_id AND r.message_id = s.id;
