// What a provider answered when a call failed, in a form the caller can store and show: the
// HTTP status and the provider's own error code and message. `retryable`: a 5xx, a 429, a
// timeout or a connection failure (the same request may succeed later); anything else is final.
export type ProviderName = "Twilio" | "Vapi" | "Cal.com" | "OpenAI";

export class ProviderError extends Error {
  readonly retryable: boolean;
  constructor(
    readonly provider: ProviderName,
    message: string,
    readonly status: number | null,
    readonly code: string | null,
  ) {
    super(message);
    this.name = "ProviderError";
    this.retryable = status === null || status >= 500 || status === 429;
  }

  /** One line a person can read: "Twilio answered HTTP 400, error 21211: Invalid 'To' Phone Number". */
  describe(): string {
    if (this.status === null) return `${this.provider} could not be reached: ${this.message}`;
    return `${this.provider} answered HTTP ${this.status}${this.code ? `, error ${this.code}` : ""}: ${this.message}`;
  }
}

/** A fetch with the configured timeout; network failures and timeouts become retryable ProviderErrors. */
export async function providerFetch(
  provider: ProviderName,
  url: string,
  init: RequestInit,
  timeoutMs: number,
): Promise<{ status: number; body: unknown }> {
  let res: Response;
  try {
    res = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    const timedOut = err instanceof Error && (err.name === "TimeoutError" || err.name === "AbortError");
    throw new ProviderError(
      provider,
      timedOut
        ? `no answer within ${timeoutMs} ms`
        : err instanceof Error
          ? err.cause instanceof Error
            ? err.cause.message
            : err.message
          : String(err),
      null,
      null,
    );
  }
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, body };
}
