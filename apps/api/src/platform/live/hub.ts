// The live hub (issue 46, decision 0031): one PostgreSQL connection per API instance LISTENs on
// `atrium_live`, where triggers NOTIFY the ids of every changed row when its transaction commits
// (migration 20261127090000_live_notify). The hub hands each notification to this instance's
// subscribers of that workspace and kind; they load the entity themselves, through the tenant
// client and RLS, with their own access (live.ts). Nothing but ids crosses the channel.
import pg from "pg";

export type LiveKind =
  | "message"
  | "conversation"
  | "lead"
  | "campaign"
  | "delivery"
  | "booking"
  | "review"
  | "notification"
  | "guidance"
  | "callAction"
  | "dataSubjectRequest"
  | "auditStream";
/** A change to one row, as the trigger sent it. */
export interface LiveEvent {
  workspaceId: string;
  kind: LiveKind;
  id: string;
  /** The parent row: a message's conversation, a delivery's endpoint. */
  parentId: string | null;
  op: "insert" | "update" | "delete";
}

/** What the hub tells a subscriber. `auth`: power moved in its workspace (or its session or user went): re-check now. */
export type LiveSignal = { type: "event"; event: LiveEvent } | { type: "auth" } | { type: "gap" };

export interface LiveSubscriber {
  workspaceId: string;
  kinds: ReadonlySet<LiveKind>;
  /** The signed-in session and user behind it (null for an API key): their end is an auth signal too. */
  sessionId: string | null;
  userId: string | null;
  signal(s: LiveSignal): void;
}

const CHANNEL = "atrium_live";
const KINDS: ReadonlySet<string> = new Set<LiveKind>([
  "message",
  "conversation",
  "lead",
  "campaign",
  "delivery",
  "booking",
  "review",
  "notification",
  "guidance",
  "callAction",
  "dataSubjectRequest",
  "auditStream",
]);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A notification's payload, checked (a malformed one is dropped, never thrown). */
export function parseNotification(
  payload: string | undefined,
): { kind: string; workspaceId: string | null; id: string; parentId: string | null; op: LiveEvent["op"] } | null {
  if (!payload) return null;
  let v: unknown;
  try {
    v = JSON.parse(payload);
  } catch {
    return null;
  }
  if (typeof v !== "object" || v === null) return null;
  const o = v as Record<string, unknown>;
  const w = o.w === null ? null : typeof o.w === "string" && UUID.test(o.w) ? o.w : undefined;
  const p = o.p === null || o.p === undefined ? null : typeof o.p === "string" && UUID.test(o.p) ? o.p : undefined;
  if (w === undefined || p === undefined || typeof o.k !== "string" || typeof o.id !== "string" || !UUID.test(o.id))
    return null;
  const op = o.op === "insert" || o.op === "update" || o.op === "delete" ? o.op : "update";
  return { kind: o.k, workspaceId: w, id: o.id, parentId: p, op };
}

export interface LiveHubOptions {
  /** The database to LISTEN on (any role may). */
  url: string;
  log?: (msg: string, data?: unknown) => void;
  /** Reconnect back-off bounds (ms). */
  retryMs?: { min: number; max: number };
}

export class LiveHub {
  private readonly byWorkspace = new Map<string, Set<LiveSubscriber>>();
  private readonly bySession = new Map<string, Set<LiveSubscriber>>();
  private readonly byUser = new Map<string, Set<LiveSubscriber>>();
  private client: pg.Client | null = null;
  private connecting: Promise<void> | null = null;
  private closed = false;
  private retry: NodeJS.Timeout | null = null;
  private failures = 0;
  /** Notifications received and subscribers signalled (bench and tests). */
  readonly stats = { notifications: 0, signals: 0, reconnects: 0 };

  constructor(private readonly opts: LiveHubOptions) {}

  get subscriberCount(): number {
    let n = 0;
    for (const set of this.byWorkspace.values()) n += set.size;
    return n;
  }

  /** LISTENing (connects on first use): resolves once a change committed from now on will reach this instance. */
  ready(): Promise<void> {
    if (this.closed) return Promise.reject(new Error("The live hub is closed."));
    if (this.client) return Promise.resolve();
    return (this.connecting ??= this.connect().finally(() => {
      this.connecting = null;
    }));
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.opts.url, application_name: "atrium-live", keepAlive: true });
    client.on("notification", (msg) => this.dispatch(msg.channel, msg.payload));
    client.on("error", (err) => this.lost(client, err));
    client.on("end", () => this.lost(client, null));
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANNEL}`);
    } catch (err) {
      client.removeAllListeners("end");
      client.on("error", () => undefined);
      await client.end().catch(() => undefined);
      throw err;
    }
    if (this.closed) {
      await client.end().catch(() => undefined);
      throw new Error("The live hub is closed.");
    }
    this.client = client;
    this.failures = 0;
  }

  /** The LISTEN connection went: every subscriber may have missed events (a gap), then reconnect with back-off. */
  private lost(client: pg.Client, err: unknown): void {
    if (this.client !== client) return;
    this.client = null;
    client.removeAllListeners("notification");
    if (this.closed) return;
    this.opts.log?.("the live connection was lost; reconnecting", err instanceof Error ? err.message : undefined);
    this.broadcast({ type: "gap" });
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.closed || this.retry || this.subscriberCount === 0) return;
    const { min, max } = this.opts.retryMs ?? { min: 250, max: 10_000 };
    const delay = Math.min(max, min * 2 ** this.failures) * (0.5 + Math.random() / 2);
    this.retry = setTimeout(() => {
      this.retry = null;
      this.stats.reconnects++;
      this.ready().then(
        // Back: whatever committed while it was away reached nobody; subscribers refetch.
        () => this.broadcast({ type: "gap" }),
        () => {
          this.failures++;
          this.scheduleReconnect();
        },
      );
    }, delay);
    this.retry.unref();
  }

  private broadcast(s: LiveSignal): void {
    for (const set of this.byWorkspace.values()) for (const sub of set) sub.signal(s);
  }

  private dispatch(channel: string, payload: string | undefined): void {
    if (channel !== CHANNEL) return;
    const n = parseNotification(payload);
    if (!n) return;
    this.stats.notifications++;
    if (n.kind === "auth") {
      if (n.workspaceId) this.signalAll(this.byWorkspace.get(n.workspaceId), { type: "auth" });
      return;
    }
    if (n.kind === "session") {
      this.signalAll(this.bySession.get(n.id), { type: "auth" });
      return;
    }
    if (n.kind === "user") {
      this.signalAll(this.byUser.get(n.id), { type: "auth" });
      return;
    }
    if (!KINDS.has(n.kind) || !n.workspaceId) return;
    const subs = this.byWorkspace.get(n.workspaceId);
    if (!subs) return;
    const event: LiveEvent = {
      workspaceId: n.workspaceId,
      kind: n.kind as LiveKind,
      id: n.id,
      parentId: n.parentId,
      op: n.op,
    };
    const s: LiveSignal = { type: "event", event };
    for (const sub of subs) {
      if (!sub.kinds.has(event.kind)) continue;
      this.stats.signals++;
      sub.signal(s);
    }
  }

  private signalAll(set: Set<LiveSubscriber> | undefined, s: LiveSignal): void {
    if (!set) return;
    for (const sub of [...set]) {
      this.stats.signals++;
      sub.signal(s);
    }
  }

  /** Registers a subscriber once the hub is LISTENing; the returned function removes it. */
  async add(sub: LiveSubscriber): Promise<() => void> {
    await this.ready();
    addTo(this.byWorkspace, sub.workspaceId, sub);
    if (sub.sessionId) addTo(this.bySession, sub.sessionId, sub);
    if (sub.userId) addTo(this.byUser, sub.userId, sub);
    return () => {
      removeFrom(this.byWorkspace, sub.workspaceId, sub);
      if (sub.sessionId) removeFrom(this.bySession, sub.sessionId, sub);
      if (sub.userId) removeFrom(this.byUser, sub.userId, sub);
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retry) clearTimeout(this.retry);
    const client = this.client;
    this.client = null;
    await this.connecting?.catch(() => undefined);
    if (client) {
      client.removeAllListeners("end");
      client.on("error", () => undefined);
      await client.end().catch(() => undefined);
    }
  }
}

function addTo<K>(map: Map<K, Set<LiveSubscriber>>, key: K, sub: LiveSubscriber): void {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  set.add(sub);
}

function removeFrom<K>(map: Map<K, Set<LiveSubscriber>>, key: K, sub: LiveSubscriber): void {
  const set = map.get(key);
  if (!set) return;
  set.delete(sub);
  if (set.size === 0) map.delete(key);
}
