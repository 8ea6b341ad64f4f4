-- A sign-in that waits for its second factor (issue 56, item 10): a user with a confirmed
-- authenticator app gets, for a right password, this pending sign-in instead of a session; a
-- TOTP or recovery code with it creates the session. Identity data, like `sessions` and
-- `totp_factors`: the app role has no privilege on it, the API reaches it through the system
-- client only (identity module).
--
-- Invariants: only the SHA-256 of the opaque challenge is stored; a challenge lives 5 minutes,
-- answers at most `attempts` < 5 codes and creates at most one session (`used_at`, claimed with
-- one conditional UPDATE). A user has at most one pending sign-in: a new one replaces it.
CREATE TABLE sign_in_challenges (
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL,
  token_hash text NOT NULL,
  expires_at timestamptz(3) NOT NULL,
  attempts integer NOT NULL DEFAULT 0,
  used_at timestamptz(3),
  created_at timestamptz(3) NOT NULL DEFAULT now(),
  CONSTRAINT sign_in_challenges_pkey PRIMARY KEY (id),
  CONSTRAINT sign_in_challenges_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX sign_in_challenges_token_hash_key ON sign_in_challenges (token_hash);
CREATE INDEX sign_in_challenges_user_id_idx ON sign_in_challenges (user_id);
