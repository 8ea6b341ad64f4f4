-- What a request's session check needs about a signed-in session (issue 15, decision 0014
-- addendum): the API reads it once when it does not know the session, then caches it; every
-- tenant transaction of a later request reads it again in the statement that sets the tenant
-- settings, and the request runs again with a fresh read when anything here changed (sign-out,
-- revocation, a disabled user, a new step-up verification, a changed role or address). Not
-- through RLS (the tenant settings of the same statement are not in force yet): one session's
-- state, for a session id the caller already holds from a signed token. NULL: no such session.
CREATE FUNCTION session_state(p_session uuid) RETURNS jsonb
  LANGUAGE sql STABLE STRICT SECURITY DEFINER SET search_path = public AS
  $$ SELECT jsonb_build_object(
       'userId', s.user_id,
       'live', s.revoked_at IS NULL AND u.disabled_at IS NULL,
       'globalRole', u.global_role,
       'email', u.email,
       'stepUpVerifiedAt', floor(extract(epoch FROM s.step_up_verified_at) * 1000)::bigint,
       'lastSeenAt', floor(extract(epoch FROM s.last_seen_at) * 1000)::bigint)
     FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id = p_session $$;
REVOKE ALL ON FUNCTION session_state(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION session_state(uuid) TO atrium_app;
