// Twilio (WhatsApp) as the product sees it: the Messages resource (form-encoded, basic auth),
// the account fetch used to test credentials, status callbacks POSTed to the message's
// StatusCallback, and inbound messages POSTed to a webhook URL — both signed exactly as Twilio
// signs them (X-Twilio-Signature), computed by the official `twilio` package.
import { randomBytes } from "node:crypto";
import twilio from "twilio";

import { FakeServer, json, type FakeAnswer, type RecordedRequest } from "./fake-server.ts";

export interface FakeTwilioMessage {
  sid: string;
  accountSid: string;
  to: string;
  from: string;
  body: string;
  statusCallback: string | null;
  createdAt: Date;
  /** A template send: the Content SID and its ContentVariables (parsed). */
  contentSid: string | null;
  contentVariables: Record<string, string> | null;
  /** Twilio's final verdict when it refused the message after accepting it (63016: outside the window). */
  errorCode: number | null;
}

export interface TwilioError {
  code: number;
  message: string;
  status: number;
}

const OUTSIDE_WINDOW =
  "Failed to send freeform message because you are outside the allowed window. If you want to send a message outside this window, you need to use a Message Template.";
const sid = (prefix: string) => `${prefix}${randomBytes(16).toString("hex")}`;

/** Signs a POST exactly as Twilio does: the `twilio` package is the independent signer. */
export function twilioSignature(authToken: string, url: string, params: Record<string, string>): string {
  return twilio.getExpectedTwilioSignature(authToken, url, params);
}

export class FakeTwilio extends FakeServer {
  protected readonly name = "Twilio";
  /** AccountSid → AuthToken. Empty: any credentials are accepted (hand-run mode). */
  readonly accounts = new Map<string, string>();
  readonly messages: FakeTwilioMessage[] = [];
  /** Issue 50: the SIDs deleted through DELETE …/Messages/{sid}.json (each removed from `messages`). */
  readonly deletedMessages: string[] = [];
  /** Statuses reported to each message's StatusCallback after it is accepted, in order. */
  statusSequence: string[] = ["sent", "delivered"];
  /** Destination number (E.164, without `whatsapp:`) → the error Twilio answers for it. */
  readonly rejectTo = new Map<string, TwilioError>();
  /**
   * WhatsApp's 24-hour window, as Twilio enforces it: free text (a Body without ContentSid) to a
   * number that has not written to the sender within `windowMs` is accepted (201 queued), then
   * fails with error 63016 in its status callback. Templates (ContentSid) go out at any time.
   */
  enforceWindow = true;
  windowMs = 24 * 3600 * 1000;
  /** `${business}|${contact}` (both `whatsapp:+…`) → when the contact last wrote to the business. */
  readonly lastInbound = new Map<string, Date>();
  /**
   * Approved templates (Content SID → text with {{1}}…): a send names one of these, or any
   * well-formed SID while this is empty (hand-run mode). The recorded body is the rendered text.
   */
  readonly contents = new Map<string, string>();
  /** Callbacks this fake made (status callbacks and inbound messages) and our server's answers. */
  readonly callbacks: { url: string; params: Record<string, string>; status: number }[] = [];

  /** Records that `contact` wrote to `business` at `at` (opens the window), as an inbound message does. */
  noteInbound(contact: string, business: string, at: Date = new Date()): this {
    const wa = (n: string) => (n.startsWith("whatsapp:") ? n : `whatsapp:${n}`);
    this.lastInbound.set(`${wa(business)}|${wa(contact)}`, at);
    return this;
  }

  /** An approved template the fake knows (its text, with {{1}}… placeholders). */
  addContent(sid: string, body: string): this {
    this.contents.set(sid, body);
    return this;
  }

  private insideWindow(from: string, to: string): boolean {
    const at = this.lastInbound.get(`${from}|${to}`);
    return at !== undefined && Date.now() - at.getTime() < this.windowMs;
  }

  addAccount(accountSid: string, authToken: string): this {
    this.accounts.set(accountSid, authToken);
    return this;
  }

  protected errorBody(status: number): unknown {
    return {
      code: 20500,
      message: status >= 500 ? "Internal Server Error" : `HTTP ${status}`,
      more_info: "https://www.twilio.com/docs/errors/20500",
      status,
    };
  }

  private auth(req: RecordedRequest): { accountSid: string; authToken: string } | null {
    const m = /^Basic (.+)$/.exec(req.headers.authorization ?? "");
    if (!m?.[1]) return null;
    const decoded = Buffer.from(m[1], "base64").toString("utf8");
    const i = decoded.indexOf(":");
    if (i < 0) return null;
    const accountSid = decoded.slice(0, i);
    const authToken = decoded.slice(i + 1);
    if (!accountSid || !authToken) return null;
    if (this.accounts.size > 0 && this.accounts.get(accountSid) !== authToken) return null;
    return { accountSid, authToken };
  }

  /** AccountSid → the last AuthToken seen in its basic auth (signs callbacks in hand-run mode). */
  private readonly learned = new Map<string, string>();

  /** DELETE a message (Twilio answers 204, or 404 for a SID it does not hold). */
  private deleteOne(req: RecordedRequest, accountSid: string, messageSid: string): FakeAnswer {
    const auth = this.auth(req);
    if (!auth || auth.accountSid !== accountSid)
      return json(401, {
        code: 20003,
        message: "Authenticate",
        more_info: "https://www.twilio.com/docs/errors/20003",
        status: 401,
      });
    if (req.method !== "DELETE") return json(405, this.errorBody(405));
    const i = this.messages.findIndex((m) => m.sid === messageSid && m.accountSid === accountSid);
    if (i < 0)
      return json(404, {
        code: 20404,
        message: `The requested resource /2010-04-01/Accounts/${accountSid}/Messages/${messageSid}.json was not found`,
        more_info: "https://www.twilio.com/docs/errors/20404",
        status: 404,
      });
    this.messages.splice(i, 1);
    this.deletedMessages.push(messageSid);
    return { status: 204 };
  }

  protected async route(req: RecordedRequest): Promise<FakeAnswer> {
    if (req.method === "POST" && req.path === "/_fake/inbound") return this.inboundControl(req);
    const one = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\/([^/]+)\.json$/.exec(req.path);
    if (one) return this.deleteOne(req, one[1]!, one[2]!);
    const send = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/.exec(req.path);
    const account = /^\/2010-04-01\/Accounts\/([^/]+)\.json$/.exec(req.path);
    if (!send && !account)
      return json(404, {
        code: 20404,
        message: "The requested resource was not found",
        more_info: "https://www.twilio.com/docs/errors/20404",
        status: 404,
      });
    const auth = this.auth(req);
    if (!auth || auth.accountSid !== (send ?? account)![1]) {
      return json(401, {
        code: 20003,
        message: "Authenticate",
        more_info: "https://www.twilio.com/docs/errors/20003",
        status: 401,
      });
    }
    this.learned.set(auth.accountSid, auth.authToken);
    if (account) {
      if (req.method !== "GET") return json(405, this.errorBody(405));
      return json(200, {
        sid: auth.accountSid,
        friendly_name: "Fake Twilio account",
        status: "active",
        type: "Full",
        date_created: new Date().toUTCString(),
      });
    }
    if (req.method === "GET") return this.list(req, auth.accountSid);
    if (req.method !== "POST") return json(405, this.errorBody(405));
    const f = req.form ?? {};
    const to = f.To ?? "";
    const from = f.From ?? "";
    let body = f.Body ?? "";
    const contentSid = f.ContentSid ?? null;
    let contentVariables: Record<string, string> | null = null;
    if (!/^whatsapp:\+[1-9]\d{6,14}$/.test(to)) {
      return json(400, {
        code: 21211,
        message: `Invalid 'To' Phone Number: ${to}`,
        more_info: "https://www.twilio.com/docs/errors/21211",
        status: 400,
      });
    }
    if (!/^whatsapp:\+[1-9]\d{6,14}$/.test(from)) {
      return json(400, {
        code: 21212,
        message: `Invalid 'From' Phone Number: ${from}`,
        more_info: "https://www.twilio.com/docs/errors/21212",
        status: 400,
      });
    }
    if (contentSid !== null) {
      // Twilio's Content API: ContentSid (HX…) with ContentVariables, a JSON object of strings.
      if (!/^HX[0-9a-fA-F]{32}$/.test(contentSid) || (this.contents.size > 0 && !this.contents.has(contentSid))) {
        return json(400, {
          code: 21655,
          message: "The ContentSid is Invalid",
          more_info: "https://www.twilio.com/docs/errors/21655",
          status: 400,
        });
      }
      try {
        const parsed: unknown = f.ContentVariables ? JSON.parse(f.ContentVariables) : {};
        if (
          typeof parsed !== "object" ||
          parsed === null ||
          Array.isArray(parsed) ||
          Object.values(parsed).some((v) => typeof v !== "string")
        )
          throw new Error("not an object of strings");
        contentVariables = parsed as Record<string, string>;
      } catch {
        return json(400, {
          code: 21656,
          message: "The ContentVariables Parameter is invalid",
          more_info: "https://www.twilio.com/docs/errors/21656",
          status: 400,
        });
      }
      const text = this.contents.get(contentSid);
      body = text
        ? text.replace(/\{\{\s*(\d+)\s*\}\}/g, (_a, n: string) => contentVariables![n] ?? "")
        : JSON.stringify(contentVariables);
    } else if (!body)
      return json(400, {
        code: 21602,
        message: "Message body is required.",
        more_info: "https://www.twilio.com/docs/errors/21602",
        status: 400,
      });
    const rejected = this.rejectTo.get(to.replace(/^whatsapp:/, ""));
    if (rejected)
      return json(rejected.status, { ...rejected, more_info: `https://www.twilio.com/docs/errors/${rejected.code}` });

    // Free text outside the window: accepted, then failed with 63016 (as Twilio reports it).
    const outsideWindow = contentSid === null && this.enforceWindow && !this.insideWindow(from, to);
    const msg: FakeTwilioMessage = {
      sid: sid("SM"),
      accountSid: auth.accountSid,
      to,
      from,
      body,
      statusCallback: f.StatusCallback ?? null,
      createdAt: new Date(),
      contentSid,
      contentVariables,
      errorCode: outsideWindow ? 63016 : null,
    };
    this.messages.push(msg);
    const sequence = outsideWindow ? ["failed"] : [...this.statusSequence];
    return {
      status: 201,
      body: {
        sid: msg.sid,
        account_sid: msg.accountSid,
        to,
        from,
        body,
        status: "queued",
        num_segments: "1",
        direction: "outbound-api",
        error_code: null,
        error_message: null,
        date_created: msg.createdAt.toUTCString(),
        uri: `/2010-04-01/Accounts/${msg.accountSid}/Messages/${msg.sid}.json`,
      },
      after: async () => {
        if (!msg.statusCallback) return;
        for (const status of sequence)
          await this.sendStatus(
            msg.sid,
            status,
            status === "failed" && msg.errorCode ? String(msg.errorCode) : undefined,
            auth.authToken,
          );
      },
    };
  }

  /**
   * `GET …/Messages.json` as Twilio lists messages, newest first, filtered by `To`, `From` and
   * `DateSent>` (a date, as Twilio filters by day), one page of `PageSize` (default 50).
   */
  private list(req: RecordedRequest, accountSid: string): FakeAnswer {
    const to = req.query.get("To");
    const from = req.query.get("From");
    const after = req.query.get("DateSent>");
    const since = after ? new Date(`${after.slice(0, 10)}T00:00:00Z`) : null;
    const size = Math.min(1000, Number(req.query.get("PageSize") ?? "50") || 50);
    const rows = this.messages
      .filter(
        (m) =>
          m.accountSid === accountSid &&
          (!to || m.to === to) &&
          (!from || m.from === from) &&
          (!since || m.createdAt >= since),
      )
      .slice()
      .reverse()
      .slice(0, size);
    return json(200, {
      messages: rows.map((m) => ({
        sid: m.sid,
        account_sid: m.accountSid,
        to: m.to,
        from: m.from,
        body: m.body,
        status: m.errorCode ? "failed" : "sent",
        direction: "outbound-api",
        date_created: m.createdAt.toUTCString(),
        date_sent: m.createdAt.toUTCString(),
        error_code: m.errorCode,
        error_message: m.errorCode === 63016 ? OUTSIDE_WINDOW : null,
        uri: `/2010-04-01/Accounts/${m.accountSid}/Messages/${m.sid}.json`,
      })),
      end: rows.length === 0 ? 0 : rows.length - 1,
      first_page_uri: req.path,
      next_page_uri: null,
      page: 0,
      page_size: size,
      previous_page_uri: null,
      start: 0,
      uri: req.path,
    });
  }

  /** POSTs a status callback for an accepted message, signed with its account's token. */
  async sendStatus(messageSid: string, status: string, errorCode?: string, authToken?: string): Promise<number> {
    const msg = this.messages.find((m) => m.sid === messageSid);
    if (!msg?.statusCallback) throw new Error(`no StatusCallback for ${messageSid}`);
    const token = authToken ?? this.accounts.get(msg.accountSid) ?? this.learned.get(msg.accountSid);
    if (!token) throw new Error(`no auth token known for ${msg.accountSid}`);
    const params: Record<string, string> = {
      MessageSid: msg.sid,
      SmsSid: msg.sid,
      AccountSid: msg.accountSid,
      From: msg.from,
      To: msg.to,
      MessageStatus: status,
      SmsStatus: status,
      ApiVersion: "2010-04-01",
      ...(errorCode ? { ErrorCode: errorCode } : {}),
    };
    return this.track(this.post(msg.statusCallback, token, params));
  }

  /**
   * A WhatsApp message from a lead, POSTed to `webhookUrl` the way Twilio delivers it. The
   * signature is computed over `signedUrl` (defaults to `webhookUrl`: what Twilio called).
   */
  async sendInbound(opts: {
    webhookUrl: string;
    signedUrl?: string;
    authToken: string;
    accountSid: string;
    from: string;
    to: string;
    body: string;
    messageSid?: string;
    profileName?: string;
  }): Promise<{ status: number; text: string; messageSid: string }> {
    const messageSid = opts.messageSid ?? sid("SM");
    const waFrom = opts.from.startsWith("whatsapp:") ? opts.from : `whatsapp:${opts.from}`;
    const params: Record<string, string> = {
      SmsMessageSid: messageSid,
      MessageSid: messageSid,
      SmsSid: messageSid,
      AccountSid: opts.accountSid,
      MessagingServiceSid: "",
      From: waFrom,
      To: opts.to.startsWith("whatsapp:") ? opts.to : `whatsapp:${opts.to}`,
      Body: opts.body,
      NumMedia: "0",
      NumSegments: "1",
      SmsStatus: "received",
      ProfileName: opts.profileName ?? "WhatsApp User",
      WaId: waFrom.replace(/^whatsapp:\+/, ""),
      ApiVersion: "2010-04-01",
    };
    this.lastInbound.set(`${params.To}|${waFrom}`, new Date());
    const signature = twilioSignature(opts.authToken, opts.signedUrl ?? opts.webhookUrl, params);
    const res = await fetch(opts.webhookUrl, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        "x-twilio-signature": signature,
        "i-twilio-idempotency-token": randomBytes(8).toString("hex"),
      },
      body: new URLSearchParams(params).toString(),
    });
    const text = await res.text();
    this.callbacks.push({ url: opts.webhookUrl, params, status: res.status });
    return { status: res.status, text, messageSid };
  }

  /**
   * Hand-run helper (`pnpm fakes inbound …`): JSON `{webhookUrl, from, body, to?}`. The account
   * and its token are the last ones that sent a message through this fake (or `accountSid` /
   * `authToken` in the body); `to` defaults to that message's sender.
   */
  private async inboundControl(req: RecordedRequest): Promise<FakeAnswer> {
    const b = (req.json ?? {}) as Record<string, string | undefined>;
    const last = this.messages.at(-1);
    const accountSid = b.accountSid ?? last?.accountSid;
    const authToken =
      b.authToken ?? (accountSid ? (this.accounts.get(accountSid) ?? this.learned.get(accountSid)) : undefined);
    const to = b.to ?? last?.from;
    if (!b.webhookUrl || !b.from || !b.body || !accountSid || !authToken || !to) {
      return json(400, {
        error:
          "Send {webhookUrl, from, body}; the fake must have sent a message first (or pass accountSid, authToken, to).",
      });
    }
    const r = await this.sendInbound({
      webhookUrl: b.webhookUrl,
      authToken,
      accountSid,
      from: b.from,
      to,
      body: b.body,
    });
    return json(200, { webhookStatus: r.status, messageSid: r.messageSid });
  }

  private async post(url: string, authToken: string, params: Record<string, string>): Promise<number> {
    const res = await fetch(url, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        "x-twilio-signature": twilioSignature(authToken, url, params),
      },
      body: new URLSearchParams(params).toString(),
    });
    await res.arrayBuffer();
    this.callbacks.push({ url, params, status: res.status });
    return res.status;
  }
}
