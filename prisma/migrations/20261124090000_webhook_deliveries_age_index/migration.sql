-- The retention sweep and its preview find a workspace's aged webhook deliveries by created_at
-- across all endpoints; the (workspace_id, endpoint_id, created_at) index cannot serve that
-- without walking every endpoint. Issue 13.
CREATE INDEX webhook_deliveries_workspace_id_created_at_idx ON webhook_deliveries (workspace_id, created_at);
