// `pnpm fakes`: runs the four provider fakes on fixed local ports and logs every request.
// `pnpm fakes inbound <webhookUrl> <from> <body…>`: a lead's WhatsApp message, signed by the
// running Twilio fake and POSTed to the workspace's webhook URL.
// `pnpm fakes call [<webhookUrl> <from +E164>] [--secret <s>] [--book <email>]`: a short Vapi
// call played by the running Vapi fake against the workspace's Vapi webhook (with x-vapi-secret):
// status updates, transcript lines, update_lead and list_slots tool calls (book_consultation with
// --book), then the end-of-call report. Without arguments: the last call the product placed.
import { startFakes } from "./index.ts";

// eslint-disable-next-line no-restricted-properties -- a dev tool outside the API; its one setting
const base = Number(process.env.FAKES_PORT ?? 4510);
const [command, ...rest] = process.argv.slice(2);

if (command === "inbound") {
  const [webhookUrl, from, ...words] = rest;
  if (!webhookUrl || !from || words.length === 0) {
    console.error("usage: pnpm fakes inbound <webhookUrl> <from +E164> <message…>");
    process.exit(2);
  }
  const res = await fetch(`http://127.0.0.1:${base}/_fake/inbound`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ webhookUrl, from, body: words.join(" ") }),
  });
  console.log(res.status, await res.text());
  process.exit(res.ok ? 0 : 1);
} else if (command === "call") {
  const flags = new Map<string, string>();
  const positional: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    if (arg === "--secret" || arg === "--book") flags.set(arg, rest[++i] ?? "");
    else positional.push(arg);
  }
  const [webhookUrl, number] = positional;
  if (positional.length === 1 || positional.length > 2 || [...flags.values()].some((v) => v === "")) {
    console.error("usage: pnpm fakes call [<webhookUrl> <from +E164>] [--secret <x-vapi-secret>] [--book <email>]");
    process.exit(2);
  }
  const res = await fetch(`http://127.0.0.1:${base + 1}/_fake/call`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ webhookUrl, number, secret: flags.get("--secret"), email: flags.get("--book") }),
  });
  const body = (await res.json().catch(() => ({}))) as {
    steps?: { type: string; status: number; body: unknown }[];
    error?: string;
  };
  if (!res.ok || !body.steps) {
    console.error(res.status, body.error ?? JSON.stringify(body));
    process.exit(1);
  }
  for (const step of body.steps)
    console.log(
      `${step.status} ${step.type}${step.body && typeof step.body === "object" ? ` ${JSON.stringify(step.body).slice(0, 300)}` : ""}`,
    );
  process.exit(body.steps.every((step) => step.status < 300) ? 0 : 1);
} else if (command !== undefined) {
  console.error(
    "usage: pnpm fakes            (run the fakes)\n       pnpm fakes inbound <webhookUrl> <from> <message…>\n       pnpm fakes call [<webhookUrl> <from>] [--secret <s>] [--book <email>]",
  );
  process.exit(2);
}

const fakes = await startFakes({ ports: { twilio: base, vapi: base + 1, calcom: base + 2, openai: base + 3 } });
for (const [name, fake] of Object.entries({
  twilio: fakes.twilio,
  vapi: fakes.vapi,
  calcom: fakes.calcom,
  openai: fakes.openai,
})) {
  const log = fake.requests.push.bind(fake.requests);
  fake.requests.push = (...items) => {
    for (const r of items)
      console.log(`[${name}] ${r.method} ${r.path}${r.rawBody ? ` ${r.rawBody.slice(0, 200)}` : ""}`);
    return log(...items);
  };
}
console.log("Provider fakes are running. Start the API with:\n");
for (const [k, v] of Object.entries(fakes.env)) console.log(`  ${k}=${v}`);
console.log("\nAny credentials are accepted. Ctrl-C to stop.");
const stop = () => void fakes.close().then(() => process.exit(0));
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
