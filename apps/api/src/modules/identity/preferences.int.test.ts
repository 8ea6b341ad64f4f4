// Issue 48 (decision 0040): a user's own preferences — theme and language — on `me` and
// `updatePreferences`: typed validation, stored on the user, each user's their own.
import { afterAll, beforeAll, describe, expect, it } from "@atrium/test-kit";

import { codeOf, ownerSql, startTestApi, type GqlResult, type TestApi, type TestUser } from "../../test/harness.ts";

const ME = `query { me { id preferences { theme locale } } }`;
const UPDATE = `mutation($input: UpdatePreferencesInput!) { updatePreferences(input: $input) { id preferences { theme locale } } }`;

interface Prefs {
  theme: string;
  locale: string | null;
}
type MeResult = GqlResult<{ me: { id: string; preferences: Prefs | null } | null }>;
type UpdateResult = GqlResult<{ updatePreferences: { id: string; preferences: Prefs } }>;

describe("user preferences", () => {
  let api: TestApi;
  let ada: TestUser;
  let ben: TestUser;
  beforeAll(async () => {
    api = await startTestApi();
    ada = await api.user("Ada Prefs");
    ben = await api.user("Ben Prefs");
  });
  afterAll(async () => api.close());

  const me = async (user: TestUser) =>
    (await api.gql<MeResult["data"] & object>(ME, {}, { token: user.token })).data!.me!.preferences!;
  const update = async (user: TestUser, input: Record<string, unknown>): Promise<UpdateResult> =>
    api.gql<NonNullable<UpdateResult["data"]>>(UPDATE, { input }, { token: user.token });

  it("starts at the system theme with no language chosen", async () => {
    expect(await me(ada)).toEqual({ theme: "SYSTEM", locale: null });
  });

  it("stores the theme and the language on the user, changing only what was given", async () => {
    const dark = await update(ada, { theme: "DARK" });
    expect(dark.errors).toBeUndefined();
    expect(dark.data!.updatePreferences).toEqual({ id: ada.id, preferences: { theme: "DARK", locale: null } });

    const spanish = await update(ada, { locale: "es" });
    expect(spanish.data!.updatePreferences.preferences).toEqual({ theme: "DARK", locale: "es" });
    expect(await me(ada)).toEqual({ theme: "DARK", locale: "es" });
    const [row] = await ownerSql<{ theme: string; locale: string | null }>(
      api,
      "SELECT theme, locale FROM users WHERE id = $1::uuid",
      [ada.id],
    );
    expect(row).toEqual({ theme: "dark", locale: "es" });

    // null: follow the browser again; the theme stays.
    const cleared = await update(ada, { locale: null, theme: "LIGHT" });
    expect(cleared.data!.updatePreferences.preferences).toEqual({ theme: "LIGHT", locale: null });
    expect(await me(ada)).toEqual({ theme: "LIGHT", locale: null });
  });

  it("refuses a theme or language it does not know with a typed error, changing nothing", async () => {
    await update(ben, { theme: "DARK", locale: "en" });
    const badTheme = await update(ben, { theme: "SEPIA" });
    expect(codeOf(badTheme)).toBe("BAD_USER_INPUT");
    for (const locale of ["fr", "EN", "", "es-ES; DROP TABLE users", "x".repeat(5000)]) {
      const bad = await update(ben, { locale });
      expect(codeOf(bad)).toBe("BAD_USER_INPUT");
      expect(bad.errors?.[0]?.extensions?.["fields"]).toMatchObject({
        locale: expect.stringContaining("supported languages") as unknown,
      });
    }
    expect(await me(ben)).toEqual({ theme: "DARK", locale: "en" });
  });

  it("keeps each user's preferences their own, and asks for a session", async () => {
    await update(ada, { theme: "DARK" });
    await update(ben, { theme: "LIGHT" });
    expect((await me(ada)).theme).toBe("DARK");
    expect((await me(ben)).theme).toBe("LIGHT");
    const signedOut = await api.gql(UPDATE, { input: { theme: "DARK" } });
    expect(codeOf(signedOut)).toBe("UNAUTHENTICATED");
    expect((await me(ben)).theme).toBe("LIGHT");
  });
});
