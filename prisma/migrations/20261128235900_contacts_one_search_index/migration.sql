-- One trigram index for a contact's name and e-mail instead of one each: every contact written
-- (a submitted lead, an import row) maintained both GIN indexes, and the second one cost
-- submitLead ~12 % more database CPU in bench:request-path (decision 0054, addendum "Write
-- path"). A multicolumn GIN index answers a condition on either column, so the contacts search's
-- `name ILIKE … OR email LIKE … OR phone LIKE …` is still a BitmapOr of index scans, and the
-- inbox and palette searches' `name ILIKE …` still use it.
CREATE INDEX contacts_name_email_trgm_idx ON contacts USING gin (name gin_trgm_ops, email gin_trgm_ops);
DROP INDEX contacts_email_trgm_idx;
DROP INDEX contacts_name_trgm_idx;
