// OpenAI through the official `openai` SDK, `baseURL` from OPENAI_BASE_URL. SDK retries are off:
// the agent-reply job retries with backoff instead, so a retry is visible and bounded. The SDK is
// imported at the first call (load-once.ts).
import type OpenAI from "openai";

import { loadOnce } from "../../../platform/load-once.ts";
import { ProviderError } from "./provider-error.ts";

const sdk = loadOnce(async () => (await import("openai")).default);

export interface OpenAICredentials {
  apiKey: string;
  model: string;
}

export interface ChatTurn {
  role: "system" | "user" | "assistant";
  content: string;
}

export function createOpenAIAdapter(cfg: { baseUrl: string; timeoutMs: number }) {
  const clientFor = async (c: OpenAICredentials): Promise<OpenAI> => {
    const OpenAI = await sdk();
    return new OpenAI({ apiKey: c.apiKey, baseURL: cfg.baseUrl, maxRetries: 0, timeout: cfg.timeoutMs });
  };

  const wrap = async (err: unknown): Promise<ProviderError> => {
    const OpenAI = await sdk();
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
        const r = await (await clientFor(c)).chat.completions.create({ model: c.model, messages });
        const content = r.choices[0]?.message?.content?.trim();
        if (!content) throw new ProviderError("OpenAI", "the completion had no text", 200, null);
        return content;
      } catch (err) {
        if (err instanceof ProviderError) throw err;
        throw await wrap(err);
      }
    },

    async test(c: OpenAICredentials): Promise<string> {
      try {
        const models: string[] = [];
        for await (const m of (await clientFor(c)).models.list()) models.push(m.id);
        const has = models.includes(c.model);
        return has
          ? `OpenAI accepted this API key; model ${c.model} is available.`
          : `OpenAI accepted this API key, but model ${c.model} is not among the ${models.length} models it offers.`;
      } catch (err) {
        throw await wrap(err);
      }
    },
  };
}

export type OpenAIAdapter = ReturnType<typeof createOpenAIAdapter>;
