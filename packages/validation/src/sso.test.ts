import { describe, expect, it } from "@atrium/test-kit";

import { problemOf } from "./problems.ts";
import { normaliseDomain, SSO_MESSAGES, ssoChallengeRecordName, ssoDomain, ssoIssuerUrl } from "./sso.ts";

describe("sso", () => {
  it("an issuer is an http(s) URL without credentials, query or fragment", () => {
    expect(problemOf(ssoIssuerUrl, "https://login.example.com")).toBeUndefined();
    expect(problemOf(ssoIssuerUrl, "http://127.0.0.1:4100/oidc")).toBeUndefined();
    expect(problemOf(ssoIssuerUrl, "login.example.com")).toBe(SSO_MESSAGES.issuerInvalid);
    expect(problemOf(ssoIssuerUrl, "ftp://login.example.com")).toBe(SSO_MESSAGES.issuerScheme);
    expect(problemOf(ssoIssuerUrl, "https://u:p@login.example.com")).toBe(SSO_MESSAGES.issuerCredentials);
    expect(problemOf(ssoIssuerUrl, "https://login.example.com/?x=1")).toBe(SSO_MESSAGES.issuerQuery);
  });

  it("a domain is a lower-case host name with a dot; @ and schemes are refused", () => {
    expect(problemOf(ssoDomain, "Example.COM.")).toBeUndefined();
    expect(normaliseDomain(" Example.COM. ")).toBe("example.com");
    expect(problemOf(ssoDomain, "sub.example.co.uk")).toBeUndefined();
    for (const bad of [
      "example",
      "@example.com",
      "https://example.com",
      "exa mple.com",
      "-x.example.com",
      "x".repeat(64) + ".com",
    ]) {
      expect(problemOf(ssoDomain, bad)).toBe(SSO_MESSAGES.domainInvalid);
    }
  });

  it("names the challenge record under the domain", () => {
    expect(ssoChallengeRecordName("Example.com")).toBe("_atrium-challenge.example.com");
  });
});
