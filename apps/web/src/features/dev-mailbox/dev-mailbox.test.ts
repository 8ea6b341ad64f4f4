import { describe, expect, it } from "@atrium/test-kit";

import { inAppPath, splitLinks } from "./dev-mailbox.ts";

describe("splitLinks", () => {
  it("finds a verification link in mail text and keeps the sentence around it", () => {
    expect(splitLinks("Open http://localhost:4000/verify-email?token=abc123. Thanks")).toEqual([
      { kind: "text", text: "Open " },
      { kind: "link", href: "http://localhost:4000/verify-email?token=abc123" },
      { kind: "text", text: ". Thanks" },
    ]);
  });

  it("returns plain text untouched", () => {
    expect(splitLinks("no links here")).toEqual([{ kind: "text", text: "no links here" }]);
  });
});

describe("inAppPath", () => {
  it("opens a link to this app's host on the current origin", () => {
    expect(inAppPath("http://localhost:4000/verify-email?token=x", { hostname: "127.0.0.1" })).toBe(
      "/verify-email?token=x",
    );
  });

  it("leaves links to other hosts alone", () => {
    expect(inAppPath("https://example.com/verify-email?token=x", { hostname: "localhost" })).toBeUndefined();
  });
});
