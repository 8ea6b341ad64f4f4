// Vapi server messages (I3, R4): tool calls during a call (update_lead, list_slots,
// book_consultation), call status updates, and the end-of-call report stored as a conversation.
// The lead is the one behind the call's customer.number (created if unknown). Both documented
// tool-call shapes are accepted: {id, function: {name, arguments}} and {id, name, arguments},
// with arguments as an object or a JSON string.
import type { Db, TenantTx } from "@atrium/db";
import { E164_RE, isContactEmail } from "@atrium/validation";

import { constantTimeEqual } from "../../platform/crypto/digest.ts";
import { inTenant, type Caller } from "../../platform/data.ts";
import { isUniqueViolation } from "../../platform/errors.ts";
import type { BookingsService } from "../bookings/bookings.service.ts";
import type { IntegrationsService } from "../integrations/integrations.service.ts";
import { IntegrationProvider } from "../integrations/integrations.types.ts";
import { ProviderError } from "../integrations/providers/provider-error.ts";
import type { LeadsService } from "../leads/leads.service.ts";
import { LeadStatus } from "../leads/leads.types.ts";
import type { OperatorsService } from "../operators/operators.service.ts";
import { leadReachedByCall, leadReplied } from "./lead-progress.ts";
import { messagingRepository as repo } from "./messaging.repository.ts";

export interface ToolResult {
  toolCallId: string;
  result?: unknown;
  error?: string;
}

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v && typeof v === "object" && !Array.isArray(v) ? (v as Json) : {});
const str = (v: unknown): string | null => (typeof v === "string" && v.trim() !== "" ? v.trim() : null);

/** One tool call in either documented shape; arguments parsed (null when not valid JSON). */
export function parseToolCall(raw: unknown): { id: string; name: string; args: Json | null } | null {
  const item = obj(raw);
  const fn = obj(item.function);
  const id = str(item.id);
  const name = str(fn.name) ?? str(item.name);
  if (!id || !name) return null;
  const rawArgs = fn.arguments ?? item.arguments ?? item.parameters ?? {};
  let args: Json | null;
  if (typeof rawArgs === "string") {
    try {
      args = obj(JSON.parse(rawArgs || "{}"));
    } catch {
      args = null;
    }
  } else args = obj(rawArgs);
  return { id, name, args };
}

export function createVoiceService(deps: {
  db: Db;
  integrations: IntegrationsService;
  leads: Pick<LeadsService, "leadForCaller" | "recordQualification">;
  bookings: Pick<BookingsService, "freeSlots" | "book">;
  /** Issue 47: safety rules on call transcripts, round-robin assignment of new call conversations. */
  operators?: Pick<OperatorsService, "evaluate" | "act" | "autoAssign">;
}) {
  const { db, integrations, leads, bookings, operators } = deps;

  /** Vapi's monitor.controlUrl in a server message's call object (Live Call Control), when present. */
  const controlUrlOf = (message: Json): string | null => {
    const url = str(obj(obj(obj(message.call).monitor)).controlUrl) ?? str(obj(message.monitor).controlUrl);
    return url && /^https?:\/\//.test(url) ? url : null;
  };

  /**
   * The conversation of a call in progress (issue 47): created on its first status update or
   * transcript line, keyed by the call id, so the end-of-call report later completes the same one.
   */
  async function liveConversation(
    tx: TenantTx,
    workspaceId: string,
    callId: string,
    caller: string,
    message: Json,
    status: string | null,
  ) {
    const existing = await repo.callConversation(tx, workspaceId, callId);
    const controlUrl =
      controlUrlOf(message) ?? existing?.callControlUrl ?? (await repo.callControlUrl(tx, workspaceId, callId));
    if (existing) {
      if (
        (status && existing.callStatus !== status && existing.callStatus !== "ended") ||
        (controlUrl && !existing.callControlUrl)
      ) {
        await repo.updateConversation(tx, workspaceId, existing.id, {
          ...(status && existing.callStatus !== "ended" ? { callStatus: status } : {}),
          ...(controlUrl ? { callControlUrl: controlUrl } : {}),
          lastActivityAt: new Date(),
        });
      }
      return existing;
    }
    const lead = await leads.leadForCaller(tx, workspaceId, caller);
    const conv = await repo.createConversation(tx, {
      workspaceId,
      contactId: lead.contactId,
      leadId: lead.id,
      providerCallId: callId,
      callControlUrl: controlUrl,
      callStatus: status ?? "in-progress",
    });
    await operators?.autoAssign(tx, workspaceId, conv.id);
    return { ...conv, _count: { messages: 0 } };
  }

  const paused = (workspaceId: string, from: Caller) =>
    inTenant(db, from, { workspaceId }, async (tx) => (await repo.agentPaused(tx, workspaceId)) ?? true);
  const callerOf = (message: Json): string | null => {
    const n = str(obj(obj(message.call).customer).number) ?? str(obj(message.customer).number);
    return n && E164_RE.test(n) ? n : null;
  };

  async function runTool(
    workspaceId: string,
    caller: string | null,
    call: { id: string; name: string; args: Json | null },
    from: Caller,
  ): Promise<ToolResult> {
    const fail = (error: string): ToolResult => ({ toolCallId: call.id, error });
    if (call.args === null) return fail("The arguments were not valid JSON.");
    if (!caller) return fail("The caller's phone number is unknown, so there is no lead to work with.");
    const args = call.args;
    try {
      switch (call.name) {
        case "update_lead": {
          const status = args.status === undefined ? undefined : str(args.status)?.toUpperCase();
          if (status !== undefined && !(Object.values(LeadStatus) as string[]).includes(status ?? ""))
            return fail(`status must be one of ${Object.values(LeadStatus).join(", ")}.`);
          const answers =
            args.answers === undefined
              ? undefined
              : Array.isArray(args.answers)
                ? args.answers.map(obj).map((a) => ({ question: str(a.question), answer: str(a.answer) }))
                : null;
          if (answers === null || answers?.some((a) => !a.question || !a.answer))
            return fail("answers must be a list of {question, answer}.");
          await inTenant(db, from, { workspaceId }, async (tx) => {
            const lead = await leads.leadForCaller(tx, workspaceId, caller);
            await leads.recordQualification(tx, workspaceId, lead, {
              status: status as LeadStatus | undefined,
              answers: answers?.map((a) => ({ question: a.question!.slice(0, 500), answer: a.answer!.slice(0, 2000) })),
            });
          });
          return { toolCallId: call.id, result: "The lead was updated." };
        }
        case "list_slots": {
          if (await paused(workspaceId, from)) return fail("The agent is paused: no booking can be made right now.");
          const start = args.start === undefined ? new Date() : new Date(str(args.start) ?? NaN);
          const end =
            args.end === undefined ? new Date(start.getTime() + 7 * 86_400_000) : new Date(str(args.end) ?? NaN);
          if (Number.isNaN(start.getTime()) || Number.isNaN(end.getTime()) || end < start)
            return fail("start and end must be ISO 8601 dates, start before end.");
          return {
            toolCallId: call.id,
            result: (await bookings.freeSlots(workspaceId, start, end, from)).slice(0, 20),
          };
        }
        case "book_consultation": {
          if (await paused(workspaceId, from)) return fail("The agent is paused: no booking can be made right now.");
          const start = str(args.start);
          if (!start || Number.isNaN(new Date(start).getTime()))
            return fail("start must be an ISO 8601 date and time.");
          const lead = await inTenant(db, from, { workspaceId }, (tx) => leads.leadForCaller(tx, workspaceId, caller));
          const email = str(args.email) ?? lead.email;
          if (!email || !isContactEmail(email))
            return fail("An e-mail address is needed to book: ask the caller for it.");
          const name = str(args.name) ?? lead.name;
          const b = await bookings.book(
            workspaceId,
            lead,
            { start: new Date(start).toISOString(), name: name.slice(0, 200), email: email.toLowerCase() },
            from,
          );
          return {
            toolCallId: call.id,
            result: { bookingId: b.id, start: b.startsAt.toISOString(), status: b.status },
          };
        }
        default:
          return fail(`Unknown tool ${call.name}.`);
      }
    } catch (err) {
      if (err instanceof ProviderError) return fail(err.describe());
      if (err instanceof Error && /^Booking is not available/.test(err.message)) return fail(err.message);
      throw err;
    }
  }

  return {
    /** The x-vapi-secret header equals this workspace's Vapi server secret (constant-time). */
    async verifySecret(workspaceId: string, secret: string | undefined, from: Caller): Promise<boolean> {
      if (!secret) return false;
      const creds = await inTenant(db, from, { workspaceId }, (tx) =>
        integrations.credentials(tx, workspaceId, IntegrationProvider.VAPI),
      );
      if (!creds) return false;
      return constantTimeEqual(creds.serverSecret, secret);
    },

    async toolCalls(workspaceId: string, message: Json, from: Caller): Promise<{ results: ToolResult[] }> {
      const list = Array.isArray(message.toolCallList)
        ? message.toolCallList
        : Array.isArray(message.toolCalls)
          ? message.toolCalls
          : Array.isArray(message.toolWithToolCallList)
            ? message.toolWithToolCallList.map((t) => obj(t).toolCall)
            : [];
      const caller = callerOf(message);
      const results: ToolResult[] = [];
      for (const raw of list) {
        const call = parseToolCall(raw);
        if (!call) {
          const id = str(obj(raw).id);
          if (id) results.push({ toolCallId: id, error: "The tool call has no name." });
          continue;
        }
        results.push(await runTool(workspaceId, caller, call, from));
      }
      return { results };
    },

    async statusUpdate(workspaceId: string, message: Json, from: Caller): Promise<void> {
      const callId = str(obj(message.call).id);
      const raw = str(message.status);
      const status = { ringing: "RINGING", "in-progress": "IN_PROGRESS", ended: "ENDED" }[String(raw)] as
        | "RINGING"
        | "IN_PROGRESS"
        | "ENDED"
        | undefined;
      if (!callId) return;
      const caller = callerOf(message);
      await inTenant(db, from, { workspaceId }, async (tx) => {
        if (status) await repo.advanceCallByProviderId(tx, workspaceId, callId, status);
        // Issue 47: the call appears in the inbox while it happens (its live status, its control URL).
        if (caller && raw && ["ringing", "in-progress", "forwarding", "ended"].includes(raw)) {
          const conv = await liveConversation(tx, workspaceId, callId, caller, message, raw);
          // Issue 56: a call that connects has reached the lead.
          if (raw === "in-progress") await leadReachedByCall(tx, workspaceId, conv.leadId);
        }
      });
    },

    /**
     * A live transcript line (Vapi `transcript` server message, issue 47): final lines become
     * messages of the call's conversation as they are spoken, and run through the call-transcript
     * safety rules. Partial lines are ignored (a final one follows).
     */
    async transcript(workspaceId: string, message: Json, from: Caller): Promise<{ stored: boolean }> {
      const callId = str(obj(message.call).id);
      const caller = callerOf(message);
      const text = str(message.transcript);
      const role = str(message.role);
      if (
        !callId ||
        !caller ||
        !text ||
        (role !== "user" && role !== "assistant") ||
        (message.transcriptType !== undefined && message.transcriptType !== "final")
      )
        return { stored: false };
      try {
        return await inTenant(db, from, { workspaceId }, async (tx) => {
          const conv = await liveConversation(tx, workspaceId, callId, caller, message, null);
          const body = text.slice(0, 4096);
          const m = await repo.createMessage(tx, {
            workspaceId,
            conversationId: conv.id,
            direction: role === "user" ? "INBOUND" : "OUTBOUND",
            sender: role === "user" ? "CONTACT" : "AGENT",
            body,
            status: role === "user" ? "RECEIVED" : "SENT",
          });
          await repo.touchConversation(tx, workspaceId, conv.id, m.createdAt, { reopen: role === "user" });
          if (role === "user") await leadReplied(tx, workspaceId, conv.leadId); // issue 56: the lead spoke
          const hit = operators ? await operators.evaluate(tx, workspaceId, "CALL_TRANSCRIPT", body) : null;
          if (hit)
            await operators!.act(tx, workspaceId, hit, {
              where: "CALL_TRANSCRIPT",
              conversationId: conv.id,
              messageId: m.id,
              text: body,
            });
          return { stored: true };
        });
      } catch (err) {
        if (isUniqueViolation(err)) return { stored: false }; // the first line of a call, twice at once
        throw err;
      }
    },

    /** Stores the call as a conversation (transcript, recording URL, one message per turn), once per call id. */
    async endOfCall(workspaceId: string, message: Json, from: Caller): Promise<{ stored: boolean }> {
      const call = obj(message.call);
      const callId = str(call.id);
      const caller = callerOf(message);
      if (!callId || !caller) return { stored: false };
      const artifact = obj(message.artifact);
      const turns = (
        Array.isArray(artifact.messages) ? artifact.messages : Array.isArray(message.messages) ? message.messages : []
      ).map(obj);
      const transcript = str(artifact.transcript) ?? str(message.transcript);
      const recordingUrl = str(artifact.recordingUrl) ?? str(message.recordingUrl) ?? str(obj(artifact.recording).url);
      try {
        return await inTenant(db, from, { workspaceId }, async (tx) => {
          const live = await repo.callConversation(tx, workspaceId, callId);
          // Followed live (issue 47): its lines are stored already; the report completes it.
          if (live) {
            if (live.callStatus === "ended" && live.transcript !== null) return { stored: false };
            await repo.updateConversation(tx, workspaceId, live.id, { transcript, recordingUrl, callStatus: "ended" });
            await repo.updateCallByProviderId(tx, workspaceId, callId, {
              status: "ENDED",
              endedReason: str(message.endedReason),
            });
            if (live._count.messages > 0) return { stored: true };
          }
          const lead = await leads.leadForCaller(tx, workspaceId, caller);
          const base = Date.now();
          const rows = turns
            .map((t, i) => ({
              role: String(t.role),
              text: (str(t.message) ?? str(t.content) ?? "").slice(0, 4096),
              at: typeof t.time === "number" ? new Date(t.time) : new Date(base + i),
            }))
            .filter((t) => t.text && (t.role === "user" || t.role === "bot" || t.role === "assistant"));
          const at = rows.at(-1)?.at ?? new Date();
          const conv =
            live ??
            (await repo.createConversation(tx, {
              workspaceId,
              contactId: lead.contactId,
              leadId: lead.id,
              providerCallId: callId,
              recordingUrl,
              transcript,
              callStatus: "ended",
              lastMessageAt: at,
              lastActivityAt: at,
            }));
          if (!live) await operators?.autoAssign(tx, workspaceId, conv.id);
          if (rows.length > 0) {
            await repo.createMessages(
              tx,
              rows.map((r) => ({
                workspaceId,
                conversationId: conv.id,
                direction: r.role === "user" ? ("INBOUND" as const) : ("OUTBOUND" as const),
                sender: r.role === "user" ? ("CONTACT" as const) : ("AGENT" as const),
                body: r.text,
                status: r.role === "user" ? ("RECEIVED" as const) : ("SENT" as const),
                createdAt: r.at,
              })),
            );
          }
          await repo.updateCallByProviderId(tx, workspaceId, callId, {
            status: "ENDED",
            endedReason: str(message.endedReason),
          });
          // Issue 56: the call reached the lead; a lead who spoke is engaged.
          if (rows.length > 0) await leadReachedByCall(tx, workspaceId, conv.leadId ?? lead.id);
          if (rows.some((r) => r.role === "user")) await leadReplied(tx, workspaceId, conv.leadId ?? lead.id);
          // A call not followed live: the call-transcript rules read what the caller said, once.
          const said = rows
            .filter((r) => r.role === "user")
            .map((r) => r.text)
            .join("\n");
          const hit = operators && said ? await operators.evaluate(tx, workspaceId, "CALL_TRANSCRIPT", said) : null;
          if (hit)
            await operators!.act(tx, workspaceId, hit, {
              where: "CALL_TRANSCRIPT",
              conversationId: conv.id,
              messageId: null,
              text: said,
            });
          return { stored: true };
        });
      } catch (err) {
        if (isUniqueViolation(err)) return { stored: false }; // the same report, delivered twice at once
        throw err;
      }
    },
  };
}

export type VoiceService = ReturnType<typeof createVoiceService>;
