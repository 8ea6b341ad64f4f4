-- A cached API key principal holds its workspace's slug (a key resolves its own workspace by
-- slug), so a rename must move auth_version like the other workspace columns a cached principal
-- holds. Found by platform/authz/principal-cache-triggers.int.test.ts, which compares what the
-- caches hold with the columns these triggers watch.
CREATE OR REPLACE FUNCTION bump_own_auth_version() RETURNS trigger LANGUAGE plpgsql AS
$$
DECLARE
  o jsonb := to_jsonb(OLD);
  n jsonb := to_jsonb(NEW);
BEGIN
  IF (o -> 'environment', o -> 'require_step_up', o -> 'step_up_lifetime_minutes', o -> 'slug')
     IS DISTINCT FROM (n -> 'environment', n -> 'require_step_up', n -> 'step_up_lifetime_minutes', n -> 'slug') THEN
    NEW.auth_version := OLD.auth_version + 1;
  END IF;
  RETURN NEW;
END;
$$;
