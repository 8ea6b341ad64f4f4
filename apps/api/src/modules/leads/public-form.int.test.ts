import { afterAll, beforeAll, describe, expect, it } from "@atrium/test-kit";

import { createWorkspace, ownerSql, startTestApi, type TestApi, type TestUser } from "../../test/harness.ts";

describe("public lead form (/forms/<slug>)", () => {
  let api: TestApi;
  let owner: TestUser;
  let ws: { id: string; slug: string };
  const leadCount = async () =>
    Number(
      (await ownerSql<{ n: string }>(api, `SELECT count(*) AS n FROM leads WHERE workspace_id = $1`, [ws.id]))[0]!.n,
    );
  const postJson = (slug: string, body: unknown, ip?: string) =>
    fetch(`${api.url}/forms/${slug}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(ip ? { "x-forwarded-for": ip } : {}) },
      body: JSON.stringify(body),
    });

  beforeAll(async () => {
    api = await startTestApi({ rateLimits: { formPerIpPerMinute: 100_000, formPerWorkspacePerMinute: 100_000 } });
    owner = await api.user("Owner");
    // A voice workspace: the generic form (a WhatsApp workspace's phone and opt-in: templates/whatsapp.int.test.ts).
    ws = await createWorkspace(api, owner, "Form Co", "VOICE");
  });
  afterAll(async () => api.close());

  it("renders the workspace's form as plain HTML, and 404s an unknown slug", async () => {
    const page = await fetch(`${api.url}/forms/${ws.slug}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("Contact Form Co");
    expect(html).toContain(`action="/forms/${ws.slug}"`);
    expect(html).not.toContain("<script");
    expect((await fetch(`${api.url}/forms/no-such-workspace`)).status).toBe(404);
    expect((await fetch(`${api.url}/forms/%3Cscript%3E`)).status).toBe(404);
  });

  it("renders an accessible, branded page: escaped names, labelled fields, errors announced and tied to their field", async () => {
    const odd = await createWorkspace(api, owner, `Bob's <b>Bar</b> & "Grill"`, "VOICE");
    const page = await (await fetch(`${api.url}/forms/${odd.slug}`)).text();
    expect(page).toContain("Contact Bob&#39;s &lt;b&gt;Bar&lt;/b&gt; &amp; &quot;Grill&quot;");
    expect(page).not.toContain("<b>Bar</b>");
    expect(page).toMatch(/<header>[\s\S]*<\/header><main>[\s\S]*<\/main>/);
    for (const id of ["name", "email", "phone", "message"]) expect(page).toContain(`<label for="${id}">`);
    expect(page).toContain('autocomplete="email"');
    // A classic post without a name: the page comes back with the values kept (escaped), a
    // summary read out at once (role="alert"), and the field marked invalid and described.
    const res = await fetch(`${api.url}/forms/${odd.slug}`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        name: "",
        email: "kept@example.com",
        message: "<script>alert(1)</script>",
        website: "",
      }).toString(),
    });
    expect(res.status).toBe(400);
    const again = await res.text();
    expect(again).toContain('role="alert"');
    expect(again).toContain("One field needs your attention.");
    expect(again).toMatch(/id="name"[^>]*aria-invalid="true" aria-describedby="name-error"/);
    expect(again).toContain('<p class="error" id="name-error">');
    expect(again).toMatch(/id="email"[^>]*value="kept@example.com"/);
    expect(again).not.toMatch(/id="email"[^>]*aria-invalid/);
    expect(again).toContain("&lt;script&gt;alert(1)&lt;/script&gt;</textarea>");
    expect(again).not.toContain("<script>");
  });

  it("stores a lead from JSON (201), also while the agent is paused", async () => {
    await ownerSql(api, `UPDATE workspaces SET agent_paused = true WHERE id = $1`, [ws.id]);
    const res = await postJson(ws.slug, {
      name: "Grace",
      email: "grace@example.com",
      phone: "+1 415 555 0100",
      message: "Call me",
    });
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: string };
    const rows = await ownerSql<{ source: string; phone: string }>(
      api,
      `SELECT source, phone FROM leads WHERE id = $1`,
      [id],
    );
    expect(rows[0]).toEqual({ source: "FORM", phone: "+14155550100" });
    await ownerSql(api, `UPDATE workspaces SET agent_paused = false WHERE id = $1`, [ws.id]);
  });

  it("stores a classic form post and answers with a thank-you page", async () => {
    const before = await leadCount();
    const res = await fetch(`${api.url}/forms/${ws.slug}`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ name: "Alan", email: "alan@example.com", website: "" }).toString(),
    });
    expect(res.status).toBe(201);
    expect(await res.text()).toContain("Thank you");
    expect(await leadCount()).toBe(before + 1);
  });

  it("refuses a classic post with a repeated field or an oversized body, storing nothing", async () => {
    const before = await leadCount();
    const post = (body: string) =>
      fetch(`${api.url}/forms/${ws.slug}`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body,
      });
    const repeated = await post("name=Ada&name=Eve&email=ada%40example.com&website=");
    expect(repeated.status).toBe(400);
    expect(await repeated.text()).toMatch(/id="name"[^>]*aria-invalid="true"/);
    // A repeated honeypot is filled too: answered like a success, nothing stored.
    const trapped = await post("name=Bot&website=a&website=b");
    expect(trapped.status).toBe(201);
    const huge = await post(`name=Ada&message=${"x".repeat(70 * 1024)}`);
    expect(huge.status).toBe(413);
    expect(await leadCount()).toBe(before);
  });

  it("answers invalid input with field-level JSON errors and stores nothing", async () => {
    const before = await leadCount();
    const res = await postJson(ws.slug, { name: "", email: "nope", phone: "12345", message: 42 });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: string; fields: Record<string, string> };
    expect(body.error).toBe("BAD_USER_INPUT");
    expect(Object.keys(body.fields).sort()).toEqual(["message", "name"]);
    const phone = await postJson(ws.slug, { name: "X", phone: "12345" });
    expect(((await phone.json()) as { fields: Record<string, string> }).fields.phone).toBeDefined();
    const email = await postJson(ws.slug, { name: "X", email: "nope" });
    expect(((await email.json()) as { fields: Record<string, string> }).fields.email).toBeDefined();
    expect((await postJson(ws.slug, "just a string")).status).toBe(400);
    expect(await leadCount()).toBe(before);
  });

  it("drops honeypot submissions silently", async () => {
    const before = await leadCount();
    const res = await postJson(ws.slug, { name: "Bot", email: "bot@example.com", website: "http://spam.example" });
    expect(res.status).toBe(201);
    expect(await leadCount()).toBe(before);
  });

  it("404s a POST to an unknown slug", async () => {
    expect((await postJson("no-such-workspace", { name: "X" })).status).toBe(404);
  });

  it("rate-limits per IP and per workspace with 429 and Retry-After", async () => {
    const limited = await startTestApi({ rateLimits: { formPerIpPerMinute: 2, formPerWorkspacePerMinute: 1000 } });
    try {
      const u = await limited.user();
      const w = await createWorkspace(limited, u, "Limited Form");
      const send = () =>
        fetch(`${limited.url}/forms/${w.slug}`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ name: "X" }),
        });
      const first = await send();
      expect(first.status).toBe(201);
      // The sender's window, per the IETF RateLimit header fields (the workspace's is not published).
      expect(first.headers.get("ratelimit-policy")).toBe('"form-ip";q=2;w=60');
      expect(first.headers.get("ratelimit")).toMatch(/^"form-ip";r=1;t=\d+$/);
      expect((await send()).status).toBe(201);
      const third = await send();
      expect(third.status).toBe(429);
      expect(Number(third.headers.get("retry-after"))).toBeGreaterThan(0);
      expect(third.headers.get("ratelimit")).toBe(`"form-ip";r=0;t=${third.headers.get("retry-after")}`);
      // The HTML form's refusal says the same.
      const html = await fetch(`${limited.url}/forms/${w.slug}`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: "name=X",
      });
      expect(html.status).toBe(429);
      expect(html.headers.get("ratelimit")).toMatch(/^"form-ip";r=0;t=\d+$/);
    } finally {
      await limited.close();
    }
  });
});
