// A local receiver of outbound webhooks (A5): records every POST (headers and raw body, which is
// what a Standard Webhooks verifier needs), answers 204, and can be told to fail the next N
// deliveries (failNext) or to answer slowly (latencyMs), like any other fake.
import { FakeServer, type FakeAnswer, type RecordedRequest } from "./fake-server.ts";

export interface ReceivedWebhook {
  path: string;
  id: string;
  timestamp: string;
  signature: string;
  body: string;
  json: unknown;
  status: number;
  at: Date;
}

export class FakeWebhookReceiver extends FakeServer {
  protected readonly name = "Webhook receiver";

  protected errorBody(status: number): unknown {
    return { error: `receiver answered ${status}` };
  }

  protected route(req: RecordedRequest): FakeAnswer {
    if (req.method !== "POST") return { status: 405, body: { error: "POST only" } };
    return { status: 204 };
  }

  /** Every delivery attempt received (answered or not), in order. */
  deliveries(): ReceivedWebhook[] {
    return this.requests
      .filter((r) => r.method === "POST")
      .map((r) => ({
        path: r.path,
        id: String(r.headers["webhook-id"] ?? ""),
        timestamp: String(r.headers["webhook-timestamp"] ?? ""),
        signature: String(r.headers["webhook-signature"] ?? ""),
        body: r.rawBody,
        json: r.json,
        status: r.status,
        at: r.at,
      }));
  }
}
