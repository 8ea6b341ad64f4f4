-- Issue 48 (decision 0043, addendum): the leads and contacts lists sorted by a column on the
-- server. Each order pages with a keyset over (value IS NULL, value, id) and reads one index per
-- sort key, led by workspace_id and ending in id, walked forwards (ASC) or backwards (DESC): the
-- rows with a value, then the rows without one — that index's tail (NULL sorts last in a btree),
-- which is ordered by id too.
-- Names compare under the ICU root collation (case and accents matter only between otherwise
-- equal names), in ORDER BY, in the keyset and here alike: a collation on a plain column keeps
-- the comparison leakproof, so under row-level security the keyset is the index scan's own
-- condition (lower(name) is not leakproof: it would be a filter over every earlier row).
-- Status is an enum, whose comparisons are not leakproof: its keyset filters the index's earlier
-- entries (one walk in order, no sort of the workspace's leads).
-- Leads by created_at use leads_workspace_id_created_at_id_idx. Contacts by e-mail and phone get
-- indexes ending in id beside their unique (workspace_id, email) and (workspace_id, phone): those
-- have no id, so the contacts without an e-mail (or phone) had to be sorted whole for every page.

CREATE INDEX leads_workspace_id_name_id_idx ON leads (workspace_id, name COLLATE "und-x-icu", id);
CREATE INDEX leads_workspace_id_email_id_idx ON leads (workspace_id, email, id);
CREATE INDEX leads_workspace_id_phone_id_idx ON leads (workspace_id, phone, id);
CREATE INDEX leads_workspace_id_status_id_idx ON leads (workspace_id, status, id);

CREATE INDEX contacts_workspace_id_created_at_id_idx ON contacts (workspace_id, created_at DESC, id DESC);
CREATE INDEX contacts_workspace_id_name_id_idx ON contacts (workspace_id, name COLLATE "und-x-icu", id);
CREATE INDEX contacts_workspace_id_email_id_idx ON contacts (workspace_id, email, id);
CREATE INDEX contacts_workspace_id_phone_id_idx ON contacts (workspace_id, phone, id);
