-- Issue 53: the row-level security every tenant table gets, as one helper instead of a block each
-- migration copies. `SELECT enable_tenant_rls('my_table');` right after CREATE TABLE does exactly
-- what the hand-written block does:
--   ALTER TABLE t ENABLE ROW LEVEL SECURITY; ALTER TABLE t FORCE ROW LEVEL SECURITY;
--   CREATE POLICY t_tenant ON t USING (workspace_id = <the tenant setting>) WITH CHECK (same);
--   GRANT SELECT, INSERT, UPDATE, DELETE ON t TO atrium_app;
-- where <the tenant setting> is the fail-closed (SELECT nullif(current_setting('app.workspace_id',
-- true), '')::uuid): no tenant context, no row. A table whose app-role grants differ (append-only,
-- say) revokes what it must not have after the call. The helper refuses a table without a
-- workspace_id uuid NOT NULL column. packages/db/src/__tests__/enable-tenant-rls.int.test.ts
-- checks a table made with it against the hand-written block; schema-rules checks every tenant table.
CREATE FUNCTION enable_tenant_rls(p_table regclass) RETURNS void
  LANGUAGE plpgsql SET search_path = public AS
$$
DECLARE
  t text := (SELECT relname FROM pg_class WHERE oid = p_table);
BEGIN
  IF NOT EXISTS (
    SELECT 1 FROM pg_attribute
     WHERE attrelid = p_table AND attname = 'workspace_id' AND atttypid = 'uuid'::regtype AND attnotnull AND NOT attisdropped
  ) THEN
    RAISE EXCEPTION 'enable_tenant_rls: % has no workspace_id uuid NOT NULL column', p_table;
  END IF;
  EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', p_table);
  EXECUTE format('ALTER TABLE %s FORCE ROW LEVEL SECURITY', p_table);
  EXECUTE format($p$CREATE POLICY %I ON %s
    USING (workspace_id = (SELECT nullif(current_setting('app.workspace_id', true), '')::uuid))
    WITH CHECK (workspace_id = (SELECT nullif(current_setting('app.workspace_id', true), '')::uuid))$p$, t || '_tenant', p_table);
  EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %s TO atrium_app', p_table);
END;
$$;
REVOKE ALL ON FUNCTION enable_tenant_rls(regclass) FROM PUBLIC;
