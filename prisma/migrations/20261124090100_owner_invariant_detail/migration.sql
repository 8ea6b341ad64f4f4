-- The last-owner check (M6) is recognised by the API by SQLSTATE (23514 check_violation) and the
-- constraint's name, not by its message text (issue 10). Prisma's pg adapter keeps the SQLSTATE
-- and DETAIL of an error but drops its CONSTRAINT field, so the function names the constraint in
-- DETAIL too. Same rule as before otherwise.
CREATE OR REPLACE FUNCTION memberships_keep_an_owner() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.role <> 'OWNER' OR (TG_OP = 'UPDATE' AND NEW.role = 'OWNER' AND NEW.workspace_id = OLD.workspace_id) THEN
    RETURN NULL;
  END IF;
  PERFORM 1 FROM workspaces WHERE id = OLD.workspace_id FOR NO KEY UPDATE;
  IF NOT FOUND THEN
    RETURN NULL;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM memberships WHERE workspace_id = OLD.workspace_id AND role = 'OWNER') THEN
    RAISE EXCEPTION 'a workspace must keep at least one owner'
      USING ERRCODE = 'check_violation', CONSTRAINT = 'memberships_keep_an_owner', DETAIL = 'memberships_keep_an_owner';
  END IF;
  RETURN NULL;
END
$$;
