import { describe, expect, it } from "@atrium/test-kit";

import { escapeHtml, html, raw } from "./html.ts";

describe("html``: escaping by default", () => {
  it("escapes every interpolated string, keeps nested html`` and raw() as they are, joins arrays, drops empty values", () => {
    const name = `<img src=x onerror="alert('x')">&`;
    const item = (s: string) => html`<li>${s}</li>`;
    const out =
      html`<p title="${name}">${name}</p><ul>${["a<b", "c"].map(item)}</ul>${raw("<hr>")}${null}${undefined}${false}${0}`
        .value;
    expect(out).toBe(
      `<p title="&lt;img src=x onerror=&quot;alert(&#39;x&#39;)&quot;&gt;&amp;">&lt;img src=x onerror=&quot;alert(&#39;x&#39;)&quot;&gt;&amp;</p><ul><li>a&lt;b</li><li>c</li></ul><hr>0`,
    );
    expect(escapeHtml(`"'<>&`)).toBe("&quot;&#39;&lt;&gt;&amp;");
  });
});
