import { effectivePolicies, POLICY_KEYS, ROLE_POLICIES } from "@atrium/policies";
import { describe, expect, it } from "@atrium/test-kit";

import { LOCAL_CATALOG } from "../members/grants.ts";
import { apiKeyScopeOptions, apiKeyState, expiryFromDateInput, selectedScopes } from "./scopes.ts";

const keysOf = (myPolicies: readonly string[]) =>
  apiKeyScopeOptions(myPolicies, LOCAL_CATALOG).flatMap((group) => group.options.map((option) => option.key));

describe("API key scope checklist", () => {
  it("offers an owner every policy of the catalog", () => {
    expect(keysOf(effectivePolicies("OWNER", [])).sort()).toEqual([...POLICY_KEYS].sort());
  });

  it("offers only the policies the user holds", () => {
    expect(keysOf(["lead.read", "lead.manage", "audit.read"]).sort()).toEqual([
      "audit.read",
      "lead.manage",
      "lead.read",
    ]);
    expect(keysOf(ROLE_POLICIES.AGENT)).not.toContain("apikey.manage");
  });

  it("offers nothing to a user without policies, and ignores strings that are not catalog keys", () => {
    expect(keysOf([])).toEqual([]);
    expect(keysOf(["lead.read", "root.everything"])).toEqual(["lead.read"]);
  });

  it("groups the options in catalog order", () => {
    const groups = apiKeyScopeOptions(effectivePolicies("OWNER", []), LOCAL_CATALOG).map((group) => group.group);
    expect(new Set(groups).size).toBe(groups.length);
    expect(groups.length).toBeGreaterThan(1);
  });

  it("sends only ticked scopes the user still holds, in catalog order", () => {
    const ticked = new Set(["lead.manage", "workspace.settings", "lead.read"]);
    expect(selectedScopes(ticked, ["lead.read", "lead.manage"], LOCAL_CATALOG)).toEqual(["lead.read", "lead.manage"]);
  });
});

describe("API key expiry", () => {
  const now = new Date(2030, 0, 15, 12, 0, 0);

  it("treats an empty date as never expiring", () => {
    expect(expiryFromDateInput("", now)).toEqual({ expiresAt: null });
  });

  it("expires at the end of the chosen day", () => {
    const result = expiryFromDateInput("2030-01-20", now);
    expect(result).toEqual({ expiresAt: new Date(2030, 0, 20, 23, 59, 59, 999).toISOString() });
  });

  it("refuses past days and impossible dates", () => {
    expect(expiryFromDateInput("2030-01-14", now)).toHaveProperty("error");
    expect(expiryFromDateInput("2030-02-30", now)).toHaveProperty("error");
    expect(expiryFromDateInput("tomorrow", now)).toHaveProperty("error");
  });
});

describe("API key state", () => {
  const now = new Date("2030-01-15T12:00:00Z");
  it("reads revoked before expired before active", () => {
    expect(apiKeyState({ revokedAt: "2030-01-01T00:00:00Z", expiresAt: "2029-01-01T00:00:00Z" }, now)).toBe("REVOKED");
    expect(apiKeyState({ expiresAt: "2030-01-15T11:59:59Z" }, now)).toBe("EXPIRED");
    expect(apiKeyState({ expiresAt: "2030-01-16T00:00:00Z" }, now)).toBe("ACTIVE");
    expect(apiKeyState({}, now)).toBe("ACTIVE");
  });
});
