-- Issue 9: at most one pending invitation per workspace and e-mail address, so concurrent invites
-- cannot leave several working links (the service also serialises them; this is the guarantee).
-- Pending = neither accepted nor revoked; an expired one counts too (inviting again replaces it).

-- Duplicates from before this rule: keep the newest pending invitation, revoke the others.
UPDATE invitations i
   SET revoked_at = now(), updated_at = now()
 WHERE i.accepted_at IS NULL AND i.revoked_at IS NULL
   AND EXISTS (
     SELECT 1 FROM invitations n
      WHERE n.workspace_id = i.workspace_id AND n.email = i.email
        AND n.accepted_at IS NULL AND n.revoked_at IS NULL
        AND (n.created_at, n.id) > (i.created_at, i.id));

CREATE UNIQUE INDEX invitations_one_pending_per_email ON invitations (workspace_id, email)
  WHERE accepted_at IS NULL AND revoked_at IS NULL;
