// W5 public lead form: GET /forms/<slug> renders a plain HTML form (no JavaScript needed),
// POST /forms/<slug> stores a lead — JSON (201 / field-level JSON errors) or a classic form post
// (HTML thank-you page). Leads arrive while the agent is paused too. A honeypot field and
// per-IP and per-workspace limits keep bots out. Unknown or retired slugs: 404.
import { validate } from "class-validator";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";

import { defaultOptInText } from "@atrium/validation";

import { inTenant } from "../../platform/data.ts";
import { AppError, badInput, ErrorCode } from "../../platform/errors.ts";
import { html, raw, type Html } from "../../platform/http/html.ts";
import { actorOf, callerOf } from "../../platform/http/rest-errors.ts";
import { noteWorkspace } from "../../platform/observability/request-log.ts";
import { noteRateLimit, rateLimitOf } from "../../platform/rate-limit.ts";
import type { Services } from "../../services.ts";
import { leadsRepository } from "./leads.repository.ts";
import { SubmitLeadInput } from "./leads.types.ts";

const HONEYPOT = "website";
/** Issue 56: the consent box a WhatsApp workspace's form shows (its text is recorded with the contact). */
const OPT_IN = "whatsappOptIn";
const FIELDS = ["name", "email", "phone", "message"] as const;

const STYLE =
  raw(`:root{color-scheme:light dark;--accent:#4f46e5;--accent-text:#fff;--text:#1a1a2e;--muted:#5b5b6e;--bg:#f6f7fb;--card:#fff;--border:#d4d6e0;--error:#b00020}
@media (prefers-color-scheme:dark){:root{--text:#ececf3;--muted:#a9a9bb;--bg:#14141c;--card:#1e1e29;--border:#3a3a4a;--error:#ff8a9a;--accent:#8b8cf8;--accent-text:#10101a}}
*{box-sizing:border-box}body{margin:0;font:16px/1.5 system-ui,sans-serif;color:var(--text);background:var(--bg)}
header{padding:1.25rem 1rem;text-align:center;border-bottom:1px solid var(--border);background:var(--card)}header p{margin:0;font-weight:700;color:var(--accent);letter-spacing:.02em}
main{max-width:34rem;margin:2rem auto;padding:1.5rem;background:var(--card);border:1px solid var(--border);border-radius:12px}
@media (max-width:600px){main{margin:0;border-radius:0;border-width:0 0 1px}}
h1{margin:0 0 .25rem;font-size:1.5rem}.lead{margin:0 0 1rem;color:var(--muted)}
.field-label{margin:1rem 0 .25rem}label{font-weight:600}.optional{color:var(--muted)}
input,textarea{width:100%;padding:.6rem .7rem;font:inherit;color:inherit;background:transparent;border:1px solid var(--border);border-radius:8px}
input:focus-visible,textarea:focus-visible,button:focus-visible{outline:3px solid var(--accent);outline-offset:2px}
[aria-invalid=true]{border-color:var(--error)}.error{margin:.25rem 0 0;color:var(--error)}
.summary{padding:.75rem 1rem;border:1px solid var(--error);border-radius:8px;color:var(--error)}.summary p{margin:0}
button{margin-top:1.5rem;width:100%;padding:.75rem 1rem;font:inherit;font-weight:600;color:var(--accent-text);background:var(--accent);border:0;border-radius:8px;cursor:pointer}
.hp{position:absolute;left:-10000px}.consent{display:flex;gap:.6rem;align-items:flex-start;margin-top:1rem}.consent input{width:auto;margin-top:.3rem}.consent label{font-weight:400}footer{text-align:center;color:var(--muted);font-size:.85rem;padding:1rem}`);

/** The whole page: the workspace's name as its banner, landmarks, no JavaScript. */
function page(title: string, brand: string, body: Html): string {
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title><link rel="icon" href="/favicon.svg"><style>${STYLE}</style></head>
<body><header><p>${brand}</p></header><main>${body}</main><footer>Sent securely to ${brand}.</footer></body></html>`
    .value;
}

const LABELS: Record<
  (typeof FIELDS)[number],
  { label: string; type: string; required: boolean; autocomplete: string }
> = {
  name: { label: "Name", type: "text", required: true, autocomplete: "name" },
  email: { label: "E-mail", type: "email", required: false, autocomplete: "email" },
  phone: { label: "Phone (with country code)", type: "tel", required: false, autocomplete: "tel" },
  message: { label: "Message", type: "text", required: false, autocomplete: "off" },
};

function formHtml(
  name: string,
  slug: string,
  whatsapp: boolean,
  values: Record<string, string> = {},
  errors: Record<string, string> = {},
): string {
  const field = (key: (typeof FIELDS)[number]) => {
    const { label, type, autocomplete } = LABELS[key];
    // A WhatsApp workspace answers on WhatsApp: the phone is required there.
    const required = LABELS[key].required || (whatsapp && key === "phone");
    const error = errors[key];
    // An invalid field says so to assistive technology and points at its message.
    const described = error ? raw(` aria-invalid="true" aria-describedby="${key}-error"`) : raw("");
    const control =
      key === "message"
        ? html`<textarea id="${key}" name="${key}" rows="4" maxlength="4000"${described}>${values[key] ?? ""}</textarea>`
        : html`<input id="${key}" name="${key}" type="${type}" autocomplete="${autocomplete}" value="${values[key] ?? ""}"${required ? raw(" required") : ""}${described}>`;
    // "(optional)" stays outside the label: the field's accessible name is its label alone.
    return html`<div class="field-label"><label for="${key}">${label}</label>${required ? "" : html` <span class="optional">(optional)</span>`}</div>${control}${error ? html`<p class="error" id="${key}-error">${error}</p>` : ""}`;
  };
  const problems = Object.keys(errors).length;
  return page(
    `Contact ${name}`,
    name,
    html`<h1>Contact ${name}</h1><p class="lead">Leave your details and ${name} will get back to you.</p>
${problems ? html`<div class="summary" role="alert"><p>${problems === 1 ? "One field needs" : `${problems} fields need`} your attention.</p></div>` : ""}
<form method="post" action="/forms/${slug}" novalidate>${FIELDS.map(field)}${whatsapp ? optInBox(name, values, errors) : ""}<div class="hp" aria-hidden="true"><label for="${HONEYPOT}">Leave this empty</label><input id="${HONEYPOT}" name="${HONEYPOT}" tabindex="-1" autocomplete="off"></div><button type="submit">Send</button></form>`,
  );
}

/** The WhatsApp consent box: its text is exactly what is recorded with the contact. */
function optInBox(name: string, values: Record<string, string>, errors: Record<string, string>): Html {
  const error = errors[OPT_IN];
  const described = error ? raw(` aria-invalid="true" aria-describedby="${OPT_IN}-error"`) : raw("");
  return html`<div class="consent"><input type="checkbox" id="${OPT_IN}" name="${OPT_IN}" value="yes"${values[OPT_IN] ? raw(" checked") : ""} required${described}><label for="${OPT_IN}">${defaultOptInText(name)}</label></div>${error ? html`<p class="error" id="${OPT_IN}-error">${error}</p>` : ""}`;
}

/** A short page of its own (thank you, not found, wait). */
const messagePage = (title: string, brand: string, heading: string, text: string) =>
  page(title, brand, html`<h1>${heading}</h1><p>${text}</p>`);

export function registerPublicForms(app: FastifyInstance, services: Services): void {
  async function workspaceFor(
    req: FastifyRequest,
    slug: string,
  ): Promise<{ id: string; name: string; channel: string } | null> {
    if (!/^[a-z0-9-]{3,48}$/.test(slug)) return null;
    const ws = await inTenant(services.db, callerOf(req), {}, (tx) => leadsRepository.workspaceBySlug(tx, slug));
    noteWorkspace(req, ws?.id);
    return ws;
  }

  const notFoundPage = (reply: FastifyReply) =>
    reply
      .code(404)
      .type("text/html")
      .send(messagePage("Form not found", "Atrium", "This form does not exist", "Check the link you were given."));

  app.get<{ Params: { slug: string } }>(
    "/forms/:slug",
    { config: { input: { params: ["slug"] } } },
    async (req, reply) => {
      const ws = await workspaceFor(req, req.params.slug);
      if (!ws) return notFoundPage(reply);
      return reply
        .type("text/html")
        .header("cache-control", "no-store")
        .send(formHtml(ws.name, req.params.slug, ws.channel === "WHATSAPP"));
    },
  );

  // JSON refusals are thrown: the one HTTP error handler (rest-errors.ts) answers them, typed and
  // with the request id. A classic form post gets HTML pages instead.
  const formInput = { params: ["slug"], body: [...FIELDS, HONEYPOT, OPT_IN] };
  app.post<{ Params: { slug: string } }>(
    "/forms/:slug",
    { config: { input: formInput } },
    async (req: FastifyRequest<{ Params: { slug: string } }>, reply) => {
      const wantsHtml = req.headers["content-type"]?.startsWith("application/x-www-form-urlencoded") ?? false;
      const ws = await workspaceFor(req, req.params.slug);
      if (!ws) {
        if (wantsHtml) return notFoundPage(reply);
        throw new AppError(ErrorCode.NOT_FOUND, "This form does not exist.");
      }

      const raw = (req.body && typeof req.body === "object" ? req.body : {}) as Record<string, unknown>;
      try {
        // The sender's own window is stated on the answer (RateLimit-Policy / RateLimit), refused or
        // not; the workspace's is not: it would tell anyone how many people wrote to it this minute.
        noteRateLimit(
          req,
          await services.rateLimiter.hit(
            `form:ip:${req.ip}`,
            services.config.rateLimits.formPerIpPerMinute,
            60,
            "form-ip",
          ),
        );
        await services.rateLimiter.hit(
          `form:ws:${ws.id}`,
          services.config.rateLimits.formPerWorkspacePerMinute,
          60,
          "form-workspace",
        );
      } catch (err) {
        const window = rateLimitOf(err);
        if (window?.policy === "form-ip") noteRateLimit(req, window);
        if (err instanceof AppError && wantsHtml) {
          const retry = Number(err.extensions.retryAfterSeconds ?? 60);
          return reply
            .code(429)
            .header("retry-after", String(retry))
            .type("text/html")
            .send(messagePage("Please wait", ws.name, "Too many submissions", `Try again in ${retry} seconds.`));
        }
        throw err;
      }
      // Bots fill every field; people never see this one. Answer exactly as a stored lead is
      // answered (201, the same page), store nothing.
      // (A repeated field arrives as an array: filled too.)
      if (raw[HONEYPOT] !== undefined && raw[HONEYPOT] !== "") {
        return wantsHtml
          ? reply
              .code(201)
              .type("text/html")
              .send(messagePage("Thank you", ws.name, "Thank you", `${ws.name} will be in touch.`))
          : reply.code(201).send({ ok: true });
      }

      const values: Record<string, string> = {};
      const fields: Record<string, string> = {};
      for (const key of FIELDS) {
        const v = raw[key];
        if (v === undefined || v === null || v === "") continue;
        if (typeof v !== "string") fields[key] = "Must be text.";
        else values[key] = v;
      }
      // Issue 56: a WhatsApp workspace's form needs the phone and the person's consent to WhatsApp messages.
      const whatsapp = ws.channel === "WHATSAPP";
      const optIn = raw[OPT_IN];
      const consented = optIn === true || optIn === "yes" || optIn === "on" || optIn === "true";
      // (The page's form requires both; a JSON client — a site's own form — may send them, and its
      // consent is recorded with the same text, as the page would have shown it.)
      if (whatsapp && wantsHtml) {
        if (!values.phone) fields.phone = "Enter your phone number: we answer on WhatsApp.";
        if (!consented) fields[OPT_IN] = "Tick the box to agree to WhatsApp messages, or we cannot answer you there.";
      }
      if (consented) values[OPT_IN] = "yes";
      const input = Object.assign(new SubmitLeadInput(), {
        name: values.name ?? "",
        email: values.email ?? null,
        phone: values.phone ?? null,
        message: values.message ?? null,
      });
      for (const e of await validate(input)) fields[e.property] ??= Object.values(e.constraints ?? {})[0] ?? "Invalid.";
      let leadId: string | undefined;
      if (Object.keys(fields).length === 0) {
        try {
          const lead = await services.leads.submitFromForm(
            ws.id,
            input,
            actorOf(req),
            whatsapp && consented ? { optInText: defaultOptInText(ws.name) } : {},
          );
          leadId = lead.id;
        } catch (err) {
          if (err instanceof AppError && err.code === "BAD_USER_INPUT")
            Object.assign(fields, (err.extensions.fields as Record<string, string>) ?? {});
          else throw err;
        }
      }
      if (Object.keys(fields).length > 0) {
        if (wantsHtml)
          return reply
            .code(400)
            .type("text/html")
            .send(formHtml(ws.name, req.params.slug, whatsapp, values, fields));
        throw badInput("Some fields need attention.", fields);
      }
      return wantsHtml
        ? reply
            .code(201)
            .type("text/html")
            .send(messagePage("Thank you", ws.name, "Thank you", `${ws.name} will be in touch.`))
        : reply.code(201).send({ id: leadId });
    },
  );
}
