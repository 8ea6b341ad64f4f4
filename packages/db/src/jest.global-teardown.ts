// Jest globalTeardown: stops the server the globalSetup started (same process, same globalThis).
export default async function teardown(): Promise<void> {
  await globalThis.atriumTestServer?.stop();
  globalThis.atriumTestServer = undefined;
}
