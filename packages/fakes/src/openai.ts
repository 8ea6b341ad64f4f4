// OpenAI chat completions as the official `openai` SDK expects them (base URL ends in /v1),
// plus `GET /v1/models` (used to test credentials).
import { randomBytes } from "node:crypto";

import { bearer, FakeServer, json, type FakeAnswer, type RecordedRequest } from "./fake-server.ts";

export interface ChatMessage {
  role: string;
  content: string;
}

export class FakeOpenAI extends FakeServer {
  protected readonly name = "OpenAI";
  readonly apiKeys = new Set<string>();
  /** What the assistant answers; by default it acknowledges the last user message. */
  reply: (messages: ChatMessage[], model: string) => string = (messages) => {
    const lastUser = [...messages].reverse().find((m) => m.role === "user");
    return `Thanks for your message${lastUser ? ` ("${lastUser.content.slice(0, 80)}")` : ""}. Could you tell me a bit more about what you need?`;
  };

  protected errorBody(status: number): unknown {
    return {
      error: {
        message:
          status >= 500 ? "The server had an error while processing your request. Sorry about that!" : `HTTP ${status}`,
        type: status >= 500 ? "server_error" : "invalid_request_error",
        param: null,
        code: null,
      },
    };
  }

  /** The chat completion requests received, parsed. */
  completions(): { model: string; messages: ChatMessage[] }[] {
    return this.received("POST", "/v1/chat/completions").map(
      (r) => r.json as { model: string; messages: ChatMessage[] },
    );
  }

  protected route(req: RecordedRequest): FakeAnswer {
    const key = bearer(req.headers);
    if (!key || (this.apiKeys.size > 0 && !this.apiKeys.has(key))) {
      return json(401, {
        error: {
          message: "Incorrect API key provided.",
          type: "invalid_request_error",
          param: null,
          code: "invalid_api_key",
        },
      });
    }
    if (req.method === "GET" && req.path === "/v1/models") {
      return json(200, {
        object: "list",
        data: ["gpt-4o-mini", "gpt-4o"].map((id) => ({
          id,
          object: "model",
          created: 1_715_367_049,
          owned_by: "system",
        })),
      });
    }
    if (req.method !== "POST" || req.path !== "/v1/chat/completions")
      return json(404, {
        error: {
          message: `Unknown request URL: ${req.method} ${req.path}`,
          type: "invalid_request_error",
          param: null,
          code: "unknown_url",
        },
      });
    const b = (req.json ?? {}) as { model?: unknown; messages?: unknown };
    if (typeof b.model !== "string" || !Array.isArray(b.messages) || b.messages.length === 0) {
      return json(400, {
        error: {
          message: "'model' and a non-empty 'messages' are required.",
          type: "invalid_request_error",
          param: null,
          code: null,
        },
      });
    }
    const messages = b.messages as ChatMessage[];
    const content = this.reply(messages, b.model);
    const promptTokens = messages.reduce((n, m) => n + Math.ceil(String(m.content).length / 4), 0);
    const completionTokens = Math.ceil(content.length / 4);
    return json(200, {
      id: `chatcmpl-${randomBytes(12).toString("hex")}`,
      object: "chat.completion",
      created: Math.floor(Date.now() / 1000),
      model: b.model,
      choices: [
        { index: 0, message: { role: "assistant", content, refusal: null }, logprobs: null, finish_reason: "stop" },
      ],
      usage: {
        prompt_tokens: promptTokens,
        completion_tokens: completionTokens,
        total_tokens: promptTokens + completionTokens,
      },
      system_fingerprint: "fp_fake",
    });
  }
}
