import { describe, expect, it } from "@atrium/test-kit";

import { readCookie } from "./csrf.ts";

describe("readCookie", () => {
  it("finds a cookie among others and decodes it", () => {
    expect(readCookie("a=1; atrium_csrf=abc%2F123; b=2", "atrium_csrf")).toBe("abc/123");
  });

  it("does not match a cookie whose name only ends with the wanted name", () => {
    expect(readCookie("x_atrium_csrf=evil", "atrium_csrf")).toBeUndefined();
  });

  it("returns undefined when the cookie is absent", () => {
    expect(readCookie("", "atrium_csrf")).toBeUndefined();
  });
});
