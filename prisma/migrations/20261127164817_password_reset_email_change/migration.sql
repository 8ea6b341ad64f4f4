-- Password reset and e-mail change links (issue 49). Identity data, like `email_verifications`
-- and `sign_in_challenges`: user-level, not workspace tables; the app role has no privilege on
-- them, the API reaches them through the system client only (identity module).
--
-- Invariants: only the SHA-256 of each opaque token is stored. A reset link lives 30 minutes and
-- is spent once (`used_at`, claimed with one conditional UPDATE); a successful reset spends every
-- other link of the user. An e-mail change is verified by a link to the new address (24 hours);
-- once it is made, the old address gets a revert link valid 7 days, spent once.
CREATE TABLE password_resets (
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL,
  token_hash text NOT NULL,
  expires_at timestamptz(3) NOT NULL,
  used_at timestamptz(3),
  created_at timestamptz(3) NOT NULL DEFAULT now(),
  CONSTRAINT password_resets_pkey PRIMARY KEY (id),
  CONSTRAINT password_resets_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX password_resets_token_hash_key ON password_resets (token_hash);
CREATE INDEX password_resets_user_id_idx ON password_resets (user_id);

CREATE TABLE email_changes (
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL,
  old_email text NOT NULL,
  new_email text NOT NULL,
  token_hash text NOT NULL,
  expires_at timestamptz(3) NOT NULL,
  confirmed_at timestamptz(3),
  revert_token_hash text,
  revert_expires_at timestamptz(3),
  reverted_at timestamptz(3),
  created_at timestamptz(3) NOT NULL DEFAULT now(),
  CONSTRAINT email_changes_pkey PRIMARY KEY (id),
  CONSTRAINT email_changes_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX email_changes_token_hash_key ON email_changes (token_hash);
CREATE UNIQUE INDEX email_changes_revert_token_hash_key ON email_changes (revert_token_hash);
CREATE INDEX email_changes_user_id_idx ON email_changes (user_id);
