// pg's own value mapping for bind parameters (pg/lib/utils.js), used by the one-Sync pipeline
// (clients.ts) so its parameters go on the wire exactly as pg's own queries send them.
declare module "pg/lib/utils.js" {
  const utils: { prepareValue: (value: unknown) => string | Buffer | null };
  export default utils;
}
