// W5 public lead form: GET /forms/<slug> renders a plain HTML form (no JavaScript needed),
// POST /forms/<slug> stores a lead — JSON (201 / field-level JSON errors) or a classic form post
// (HTML thank-you page). Leads arrive while the agent is paused too. A honeypot field and
// per-IP and per-workspace limits keep bots out. Unknown or retired slugs: 404.
import { validate } from "class-validator";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Services } from "../../services.ts";
import { SubmitLeadInput } from "./leads.types.ts";
import { AppError, ErrorCode, badInput } from "../../platform/errors.ts";

const HONEYPOT = "website";
const FIELDS = ["name", "email", "phone", "message"] as const;

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${esc(title)}</title><link rel="icon" href="/favicon.svg">
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem;color:#1a1a1a}label{display:block;margin:.8rem 0 .2rem;font-weight:600}input,textarea{width:100%;padding:.5rem;font:inherit;box-sizing:border-box}button{margin-top:1rem;padding:.6rem 1.2rem;font:inherit}.hp{position:absolute;left:-10000px}.error{color:#b00020}</style></head><body>${body}</body></html>`;
}

function formHtml(name: string, slug: string, values: Record<string, string> = {}, errors: Record<string, string> = {}): string {
  const field = (key: string, label: string, type = "text", required = false) =>
    `<label for="${key}">${label}</label>${key === "message" ? `<textarea id="${key}" name="${key}" rows="4" maxlength="4000">${esc(values[key] ?? "")}</textarea>` : `<input id="${key}" name="${key}" type="${type}" value="${esc(values[key] ?? "")}"${required ? " required" : ""}>`}${errors[key] ? `<div class="error">${esc(errors[key])}</div>` : ""}`;
  return page(
    `Contact ${name}`,
    `<h1>Contact ${esc(name)}</h1><form method="post" action="/forms/${esc(slug)}">${field("name", "Name", "text", true)}${field("email", "E-mail", "email")}${field("phone", "Phone (with country code)", "tel")}${field("message", "Message")}<div class="hp" aria-hidden="true"><label for="${HONEYPOT}">Leave this empty</label><input id="${HONEYPOT}" name="${HONEYPOT}" tabindex="-1" autocomplete="off"></div><button type="submit">Send</button></form>`,
  );
}

export function registerPublicForms(app: FastifyInstance, services: Services): void {
  app.addContentTypeParser("application/x-www-form-urlencoded", { parseAs: "string", bodyLimit: 64 * 1024 }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });

  async function workspaceFor(slug: string): Promise<{ id: string; name: string } | null> {
    if (!/^[a-z0-9-]{3,48}$/.test(slug)) return null;
    return services.db.tenant({}, async (tx) => {
      const rows = await tx.$queryRaw<{ id: string | null }[]>`SELECT workspace_id_for_slug(${slug}) AS id`;
      const id = rows[0]?.id;
      if (!id) return null;
      await tx.$executeRaw`SELECT set_config('app.workspace_id', ${id}, true)`;
      const ws = await tx.workspace.findUnique({ where: { id }, select: { id: true, name: true } });
      return ws;
    });
  }

  const notFoundPage = (reply: FastifyReply) => reply.code(404).type("text/html").send(page("Form not found", "<h1>This form does not exist</h1><p>Check the link you were given.</p>"));

  app.get<{ Params: { slug: string } }>("/forms/:slug", { config: { input: { params: ["slug"] } } }, async (req, reply) => {
    const ws = await workspaceFor(req.params.slug);
    if (!ws) return notFoundPage(reply);
    return reply.type("text/html").header("cache-control", "no-store").send(formHtml(ws.name, req.params.slug));
  });

  // JSON refusals are thrown: the one HTTP error handler (rest-errors.ts) answers them, typed and
  // with the request id. A classic form post gets HTML pages instead.
  const formInput = { params: ["slug"], body: [...FIELDS, HONEYPOT] };
  app.post<{ Params: { slug: string } }>("/forms/:slug", { config: { input: formInput } }, async (req: FastifyRequest<{ Params: { slug: string } }>, reply) => {
    const wantsHtml = req.headers["content-type"]?.startsWith("application/x-www-form-urlencoded") ?? false;
    const ws = await workspaceFor(req.params.slug);
    if (!ws) {
      if (wantsHtml) return notFoundPage(reply);
      throw new AppError(ErrorCode.NOT_FOUND, "This form does not exist.");
    }

    const raw = (req.body && typeof req.body === "object" ? req.body : {}) as Record<string, unknown>;
    try {
      await services.rateLimiter.hit(`form:ip:${req.ip}`, services.config.rateLimits.formPerIpPerMinute, 60);
      await services.rateLimiter.hit(`form:ws:${ws.id}`, services.config.rateLimits.formPerWorkspacePerMinute, 60);
    } catch (err) {
      if (err instanceof AppError && wantsHtml) {
        const retry = Number(err.extensions.retryAfterSeconds ?? 60);
        return reply.code(429).header("retry-after", String(retry)).type("text/html").send(page("Please wait", `<h1>Too many submissions</h1><p>Try again in ${retry} seconds.</p>`));
      }
      throw err;
    }
    // Bots fill every field; people never see this one. Answer as if it worked, store nothing.
    if (typeof raw[HONEYPOT] === "string" && raw[HONEYPOT] !== "") {
      return wantsHtml ? reply.type("text/html").send(page("Thank you", "<h1>Thank you</h1><p>We will be in touch.</p>")) : reply.code(201).send({ ok: true });
    }

    const values: Record<string, string> = {};
    const fields: Record<string, string> = {};
    for (const key of FIELDS) {
      const v = raw[key];
      if (v === undefined || v === null || v === "") continue;
      if (typeof v !== "string") fields[key] = "Must be text.";
      else values[key] = v;
    }
    const input = Object.assign(new SubmitLeadInput(), { name: values.name ?? "", email: values.email ?? null, phone: values.phone ?? null, message: values.message ?? null });
    for (const e of await validate(input)) fields[e.property] ??= Object.values(e.constraints ?? {})[0] ?? "Invalid.";
    let leadId: string | undefined;
    if (Object.keys(fields).length === 0) {
      try {
        const lead = await services.leads.submitFromForm(ws.id, input, {
          userId: null,
          ip: req.ip,
          userAgent: typeof req.headers["user-agent"] === "string" ? req.headers["user-agent"] : null,
          requestId: req.id,
        });
        leadId = lead.id;
      } catch (err) {
        if (err instanceof AppError && err.code === "BAD_USER_INPUT") Object.assign(fields, (err.extensions.fields as Record<string, string>) ?? {});
        else throw err;
      }
    }
    if (Object.keys(fields).length > 0) {
      if (wantsHtml) return reply.code(400).type("text/html").send(formHtml(ws.name, req.params.slug, values, fields));
      throw badInput("Some fields need attention.", fields);
    }
    return wantsHtml
      ? reply.code(201).type("text/html").send(page("Thank you", `<h1>Thank you</h1><p>${esc(ws.name)} will be in touch.</p>`))
      : reply.code(201).send({ id: leadId });
  });
}
