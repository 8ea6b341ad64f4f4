// OpenAI through the official `openai` SDK, `baseURL` from OPENAI_BASE_URL. SDK retries are off:
// the agent-reply job retries with backoff instead, so a retry is visible and bounded.
import OpenAI from "openai";

import { ProviderError } from "./provider-error.ts";

export interface OpenAICredentials {
  apiKey: string;
  model: string;
}

export interface ChatTurn {
  role: "system" | "user" | "assistant";
  content: string;
}

export function createOpenAIAdapter(cfg: { baseUrl: string; timeoutMs: number }) {
  const clientFor = (c: OpenAICredentials) =>
    new OpenAI({ apiKey: c.apiKey, baseURL: cfg.baseUrl, maxRetries: 0, timeout: cfg.timeoutMs });

  const wrap = (err: unknown): ProviderError => {
    if (err instanceof OpenAI.APIConnectionTimeoutError)
      return new ProviderError("OpenAI", `no answer within ${cfg.timeoutMs} ms`, null, null);
    if (err instanceof OpenAI.APIError && typeof err.status === "number") {
      const body = err.error as { message?: string } | undefined;
      return new ProviderError("OpenAI", body?.message ?? err.message, err.status, err.code ?? null);
    }
    return new ProviderError("OpenAI", err instanceof Error ? err.message : String(err), null, null);
  };

  return {
    async complete(c: OpenAICredentials, messages: ChatTurn[]): Promise<string> {
      try {
        const r = await clientFor(c).chat.completions.create({ model: c.model, messages });
        const content = r.choices[0]?.message?.content?.trim();
        if (!content) throw new ProviderError("OpenAI", "the completion had no text", 200, null);
        return content;
      } catch (err) {
        if (err instanceof ProviderError) throw err;
        throw wrap(err);
      }
    },

    async test(c: OpenAICredentials): Promise<string> {
      try {
        const models: string[] = [];
        for await (const m of clientFor(c).models.list()) models.push(m.id);
        const has = models.includes(c.model);
        return has
          ? `OpenAI accepted this API key; model ${c.model} is available.`
          : `OpenAI accepted this API key, but model ${c.model} is not among the ${models.length} models it offers.`;
      } catch (err) {
        throw wrap(err);
      }
    },
  };
}

export type OpenAIAdapter = ReturnType<typeof createOpenAIAdapter>;
