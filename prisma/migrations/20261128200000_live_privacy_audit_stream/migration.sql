-- Issue 50: data-subject requests and the audit stream go live (the `atrium_live` channel of
-- 20261127090000_live_notify) instead of being polled by the web app. A request notifies as it is
-- made and each time its job records progress or a state; the stream as a batch starts, is
-- delivered or fails, and when it is set up, changed or removed. Ids only, as every live kind.
CREATE TRIGGER data_subject_requests_live AFTER INSERT OR UPDATE OF status, step, processed, total, counts, error, completed_at, download_expires_at ON data_subject_requests
  FOR EACH ROW EXECUTE FUNCTION live_notify('dataSubjectRequest');
CREATE TRIGGER audit_streams_live AFTER INSERT OR UPDATE OR DELETE ON audit_streams
  FOR EACH ROW EXECUTE FUNCTION live_notify('auditStream');
