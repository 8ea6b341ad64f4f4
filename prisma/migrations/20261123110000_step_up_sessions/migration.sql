-- Step-up verification (S7), sessions you can see and idle timeouts per (session, workspace) (S2).
-- Every table here is identity data, like `sessions`: the app role has no privilege on it, and the
-- API reaches it through the narrow system client only (identity module, access loader).

-- A session remembers when it last passed a second factor, why it ended (a refresh of an
-- idle-expired session says IDLE_TIMEOUT), and the WebAuthn challenge it is answering.
ALTER TABLE sessions
  ADD COLUMN step_up_verified_at timestamptz(3),
  ADD COLUMN revoked_reason text,
  ADD COLUMN webauthn_challenge text,
  ADD COLUMN webauthn_challenge_expires_at timestamptz(3);

-- The workspace security setting: changed with workspace.settings (audited).
ALTER TABLE workspaces
  ADD COLUMN require_step_up boolean NOT NULL DEFAULT false,
  ADD COLUMN step_up_lifetime_minutes integer NOT NULL DEFAULT 15,
  ADD CONSTRAINT workspaces_step_up_lifetime_range CHECK (step_up_lifetime_minutes BETWEEN 1 AND 1440);

-- One TOTP factor per user (RFC 6238, SHA-1, 6 digits, 30 s). The secret is sealed (JWE, dir +
-- A256GCM, bound to the user); `last_time_step` refuses a replayed code.
CREATE TABLE totp_factors (
  user_id uuid NOT NULL,
  secret_jwe text NOT NULL,
  key_id text NOT NULL,
  confirmed_at timestamptz(3),
  last_time_step bigint,
  created_at timestamptz(3) NOT NULL DEFAULT now(),
  updated_at timestamptz(3) NOT NULL DEFAULT now(),
  CONSTRAINT totp_factors_pkey PRIMARY KEY (user_id),
  CONSTRAINT totp_factors_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE ON UPDATE CASCADE
);

-- One-time recovery codes, stored as SHA-256; a code is claimed with one conditional UPDATE.
CREATE TABLE recovery_codes (
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL,
  code_hash text NOT NULL,
  used_at timestamptz(3),
  created_at timestamptz(3) NOT NULL DEFAULT now(),
  CONSTRAINT recovery_codes_pkey PRIMARY KEY (id),
  CONSTRAINT recovery_codes_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX recovery_codes_user_id_code_hash_key ON recovery_codes (user_id, code_hash);

-- WebAuthn credentials (passkeys) used as a second factor.
CREATE TABLE passkeys (
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL,
  credential_id text NOT NULL,
  public_key bytea NOT NULL,
  counter bigint NOT NULL DEFAULT 0,
  transports text[] NOT NULL DEFAULT '{}',
  name text NOT NULL,
  created_at timestamptz(3) NOT NULL DEFAULT now(),
  last_used_at timestamptz(3),
  CONSTRAINT passkeys_pkey PRIMARY KEY (id),
  CONSTRAINT passkeys_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX passkeys_credential_id_key ON passkeys (credential_id);
CREATE INDEX passkeys_user_id_idx ON passkeys (user_id);

-- Last activity of a session in a workspace with an idle timeout (production), so activity in a
-- development workspace no longer keeps a production one alive. Written at most once a minute.
CREATE TABLE session_workspace_activity (
  session_id uuid NOT NULL,
  workspace_id uuid NOT NULL,
  last_seen_at timestamptz(3) NOT NULL DEFAULT now(),
  CONSTRAINT session_workspace_activity_pkey PRIMARY KEY (session_id, workspace_id),
  CONSTRAINT session_workspace_activity_session_id_fkey FOREIGN KEY (session_id) REFERENCES sessions (id) ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT session_workspace_activity_workspace_id_fkey FOREIGN KEY (workspace_id) REFERENCES workspaces (id) ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX session_workspace_activity_workspace_id_idx ON session_workspace_activity (workspace_id);
