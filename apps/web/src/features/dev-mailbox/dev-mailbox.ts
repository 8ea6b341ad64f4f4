/**
 * The API's development mailbox (`GET /dev/mailbox?to=`): without SMTP, outside production,
 * mail is kept in the database (table dev_mails) and listed there, newest first. It does not exist in production.
 */
export interface DevMail {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly createdAt: string;
}

function isDevMail(value: unknown): value is DevMail {
  if (typeof value !== "object" || value === null) return false;
  const mail = value as Record<string, unknown>;
  return typeof mail["to"] === "string" && typeof mail["subject"] === "string" && typeof mail["text"] === "string";
}

/** The mails sent to `to`, or undefined when the server has no dev mailbox. */
export async function fetchDevMailbox(to: string, signal?: AbortSignal): Promise<DevMail[] | undefined> {
  const response = await fetch(`/dev/mailbox?to=${encodeURIComponent(to)}`, {
    headers: { accept: "application/json" },
    ...(signal !== undefined ? { signal } : {}),
  });
  if (!response.ok || !(response.headers.get("content-type") ?? "").includes("json")) return undefined;
  const body: unknown = await response.json();
  return Array.isArray(body) ? body.filter(isDevMail) : undefined;
}

export function devMailboxPath(to: string): string {
  return `/dev/mailbox-view?to=${encodeURIComponent(to)}`;
}

export type TextPart =
  | { readonly kind: "text"; readonly text: string }
  | { readonly kind: "link"; readonly href: string };

/** Splits plain mail text into text and http(s) links, so links can be rendered clickable. */
export function splitLinks(text: string): TextPart[] {
  const parts: TextPart[] = [];
  let last = 0;
  for (const match of text.matchAll(/https?:\/\/[^\s<>"']+/g)) {
    // A sentence may end right after a link: keep trailing punctuation out of it.
    const href = match[0].replace(/[.,;:!?)\]]+$/, "");
    if (match.index > last) parts.push({ kind: "text", text: text.slice(last, match.index) });
    parts.push({ kind: "link", href });
    last = match.index + href.length;
  }
  if (last < text.length) parts.push({ kind: "text", text: text.slice(last) });
  return parts;
}

const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]"]);

/**
 * The in-app path for a link that points at this app, or undefined for a foreign link. Mail
 * links carry the API's idea of its public origin (in `pnpm dev` the API's port, not Vite's),
 * so a link to this host — or between loopback names — is opened on the current origin.
 */
export function inAppPath(href: string, here: { hostname: string }): string | undefined {
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    return undefined;
  }
  const sameHost = url.hostname === here.hostname || (LOOPBACK.has(url.hostname) && LOOPBACK.has(here.hostname));
  return sameHost ? `${url.pathname}${url.search}${url.hash}` : undefined;
}
