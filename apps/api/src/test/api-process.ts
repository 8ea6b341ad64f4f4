// A second API instance in its own process (live fan-out tests): the same server and services as
// `pnpm start`, on an existing database. Usage: tsx src/test/api-process.ts <appUrl> <ownerUrl>;
// the configuration comes from the environment. Prints "api ready <port>" once listening.
import "reflect-metadata";

import { createDb } from "@atrium/db";

import { loadConfig } from "../env.ts";
import { buildServer } from "../server.ts";
import { createServices } from "../services.ts";

const [appUrl, ownerUrl] = process.argv.slice(2);
if (!appUrl || !ownerUrl) throw new Error("usage: api-process.ts <appUrl> <ownerUrl>");
const config = loadConfig();
const db = createDb({ appUrl, ownerUrl });
const services = createServices(config, db);
const app = await buildServer(config, services);
await app.listen({ port: 0, host: "127.0.0.1" });
const addr = app.server.address();
console.log(`api ready ${typeof addr === "object" && addr ? addr.port : 0}`);
const stop = () =>
  void app
    .close()
    .then(() => db.disconnect())
    .finally(() => process.exit(0));
process.on("SIGTERM", stop);
// Benchmarks ask for the heap and resident size (after a full GC when run with --expose-gc).
process.on("SIGUSR2", () => {
  (globalThis as { gc?: () => void }).gc?.();
  console.log(`mem ${JSON.stringify({ ...process.memoryUsage(), subscribers: services.live.subscriberCount })}`);
});
process.on("SIGINT", stop);
