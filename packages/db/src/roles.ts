import pg from "pg";

export const APP_ROLE = "atrium_app";

/** The API's connection string: the owner's server and database, logged in as the app role. */
export function appUrlFrom(ownerUrl: string, password: string): string {
  const u = new URL(ownerUrl);
  u.username = APP_ROLE;
  u.password = password;
  return u.toString();
}

/** Gives the app role its password (the migration creates it without one). */
export async function setAppRolePassword(ownerUrl: string, password: string): Promise<void> {
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    const quoted = (await client.query<{ q: string }>("SELECT quote_literal($1) AS q", [password])).rows[0]!.q;
    await client.query(`ALTER ROLE ${APP_ROLE} WITH LOGIN PASSWORD ${quoted}`);
  } finally {
    await client.end();
  }
}
