-- A user's own preferences (issue 48, decision 0040): the colour theme ("system" follows the
-- device; "light" / "dark" are explicit) and the interface language (null: follow the browser;
-- the languages part of the issue fills it). On the user's row: they follow the person across
-- devices and workspaces, and go with the account when it is deleted.
--
-- The app role reads and writes them as it does `name`: a user updates only their own row
-- (users_update_self); reading them follows users_select (yourself, and the members of the
-- workspace in context — a harmless display preference).
ALTER TABLE users
  ADD COLUMN theme text NOT NULL DEFAULT 'system',
  ADD COLUMN locale text,
  ADD CONSTRAINT users_theme_choice CHECK (theme IN ('system', 'light', 'dark')),
  ADD CONSTRAINT users_locale_format CHECK (locale IS NULL OR locale ~ '^[a-z]{2,3}(-[A-Z][A-Za-z0-9]{1,7})?$');

GRANT SELECT (theme, locale) ON users TO atrium_app;
GRANT UPDATE (theme, locale) ON users TO atrium_app;
