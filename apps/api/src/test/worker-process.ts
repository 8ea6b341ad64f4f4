// A job worker in its own process (for tests that kill it): the same services as `pnpm start`,
// without the HTTP server. Usage: tsx src/test/worker-process.ts <appUrl> <ownerUrl>; the
// configuration comes from the environment like the API's. Prints "worker ready" once working.
import "reflect-metadata";

import { createDb } from "@atrium/db";

import { loadConfig } from "../env.ts";
import { createServices } from "../services.ts";

const [appUrl, ownerUrl] = process.argv.slice(2);
if (!appUrl || !ownerUrl) throw new Error("usage: worker-process.ts <appUrl> <ownerUrl>");
const config = loadConfig();
const db = createDb({ appUrl, ownerUrl, poolSize: 4 });
const services = createServices(config, db);
await services.jobs.start();
await services.messaging.startWorkers();
await services.campaigns.startWorkers();
await services.privacy.startWorkers();
console.log("worker ready");
