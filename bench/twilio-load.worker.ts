// autocannon in a worker thread, sending signed Twilio inbound messages: every request has a new
// MessageSid and a new sender number, and its X-Twilio-Signature is computed by the official
// `twilio` package (through @atrium/fakes) over the public URL and that request's parameters.
import { randomBytes } from "node:crypto";
import { parentPort, workerData } from "node:worker_threads";
import autocannon from "autocannon";

import { twilioSignature } from "@atrium/fakes";

import type { LoadResult } from "./load.worker.ts";

export interface TwilioLoadJob {
  url: string;
  path: string;
  signedUrl: string;
  authToken: string;
  accountSid: string;
  to: string;
  connections: number;
  seconds: number;
  /** First sender number (10 digits after +1); each request takes the next. */
  firstNumber: number;
}

const job = workerData as TwilioLoadJob;
const runTag = randomBytes(4).toString("hex");
let sent = 0;
let wrongBody = 0;
const opts = { url: job.url, connections: job.connections, duration: job.seconds };
const aggregate = (
  autocannon as unknown as { aggregateResult: (results: unknown[], opts: unknown) => autocannon.Result }
).aggregateResult;
const raw: unknown = await autocannon({
  ...opts,
  requests: [
    {
      method: "POST",
      path: job.path,
      setupRequest: (req: autocannon.Request) => {
        const n = sent++;
        const from = `whatsapp:+1${job.firstNumber + n}`;
        const sid = `SM${runTag}${n.toString(16).padStart(24, "0")}`;
        const params = {
          MessageSid: sid,
          SmsMessageSid: sid,
          AccountSid: job.accountSid,
          From: from,
          To: job.to,
          Body: `Hello from lead ${n}`,
          NumMedia: "0",
          ProfileName: `Lead ${n}`,
          WaId: from.slice(10),
        };
        return {
          ...req,
          headers: {
            "content-type": "application/x-www-form-urlencoded",
            "x-twilio-signature": twilioSignature(job.authToken, job.signedUrl, params),
          },
          body: new URLSearchParams(params).toString(),
        };
      },
      onResponse: (status: number, body: string) => {
        if (status === 200 && !body.includes("<Response>")) wrongBody++;
      },
    },
  ],
});
const result = aggregate([raw], opts);
const out: LoadResult = {
  requests: result.requests.total,
  reqPerSec: result.requests.total / result.duration,
  p50: result.latency.p50,
  p99: result.latency.p99,
  non2xx: result.non2xx,
  gqlErrors: 0,
  wrongBody,
  socketErrors: result.errors,
  timeouts: result.timeouts,
};
parentPort!.postMessage(out);
