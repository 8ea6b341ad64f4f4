import { describe, expect, it } from "@atrium/test-kit";

import { escapeLike } from "./like.ts";

describe("escapeLike", () => {
  it("escapes the escape character first-class and both wildcards, and nothing else", () => {
    expect(escapeLike("%")).toBe("\\%");
    expect(escapeLike("a_c")).toBe("a\\_c");
    expect(escapeLike("\\")).toBe("\\\\");
    expect(escapeLike("\\%_")).toBe("\\\\\\%\\_");
    expect(escapeLike("plain text * ? [x] ^$.")).toBe("plain text * ? [x] ^$.");
    expect(escapeLike("")).toBe("");
  });
});
