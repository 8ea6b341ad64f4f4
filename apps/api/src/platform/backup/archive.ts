// Reading pg_dump's custom format (`pg_dump -Fc`) without pg_restore: the WebAssembly build the
// backup uses ships pg_dump only, and the machine's pg_restore (if any) is older than the archive.
// The archive is a header, a table of contents (TOC) in dependency order — each entry carrying
// its SQL (`defn`) — and one data block per table. pg_restore without --create, run as one
// transaction, prints the fixed session settings, then every entry's SQL and data in TOC order in
// three passes (main, ACLs, post-ACL); `archiveToScript` builds that same script, which the
// restore runs in one transaction. Layout: src/bin/pg_dump/pg_backup_archiver.c (WriteHead,
// WriteToc, WriteInt, WriteStr) and pg_backup_custom.c (_WriteExtraToc, _StartData, blocks) of
// PostgreSQL 18, archive version 1.16.
import { inflateSync } from "node:zlib";

export const ARCHIVE_MAGIC = "PGDMP";

export interface TocEntry {
  dumpId: number;
  hadDumper: boolean;
  tag: string;
  desc: string;
  section: number;
  defn: string | null;
  copyStmt: string | null;
  namespace: string | null;
  tablespace: string | null;
  tableam: string | null;
  relkind: number;
  /** The entry's data (INSERT statements: the backup dumps with --inserts), when it has some. */
  data: string | null;
}

export interface Archive {
  version: string;
  compression: "none" | "gzip";
  database: string;
  serverVersion: string;
  pgDumpVersion: string;
  entries: TocEntry[];
}

export class ArchiveError extends Error {
  override readonly name = "ArchiveError";
}

export const isArchive = (bytes: Uint8Array) =>
  bytes.length >= 5 && Buffer.from(bytes.subarray(0, 5)).toString("latin1") === ARCHIVE_MAGIC;

class Reader {
  at = 0;
  intSize = 4;
  offSize = 8;
  constructor(private readonly buf: Buffer) {}
  need(n: number): void {
    if (this.at + n > this.buf.length) throw new ArchiveError("the archive ends early (truncated file?)");
  }
  byte(): number {
    this.need(1);
    return this.buf[this.at++]!;
  }
  bytes(n: number): Buffer {
    this.need(n);
    const out = this.buf.subarray(this.at, this.at + n);
    this.at += n;
    return out;
  }
  /** WriteInt: a sign byte, then intSize bytes, least significant first. */
  int(): number {
    const negative = this.byte() !== 0;
    let value = 0;
    for (let i = 0; i < this.intSize; i++) value += this.byte() * 2 ** (8 * i);
    return negative ? -value : value;
  }
  /** WriteStr: a length (-1 for NULL), then the bytes. */
  str(): string | null {
    const len = this.int();
    if (len < 0) return null;
    return this.bytes(len).toString("utf8");
  }
  get done(): boolean {
    return this.at >= this.buf.length;
  }
}

const BLK_DATA = 1;
const BLK_BLOBS = 3;

export function readArchive(bytes: Uint8Array): Archive {
  const r = new Reader(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  if (r.bytes(5).toString("latin1") !== ARCHIVE_MAGIC) throw new ArchiveError("not a pg_dump custom-format archive");
  const [major, minor, rev] = [r.byte(), r.byte(), r.byte()];
  const version = `${major}.${minor}.${rev}`;
  // 1.14 added the compression algorithm byte, 1.16 (PostgreSQL 17) the relkind.
  if (major !== 1 || minor < 14 || minor > 16)
    throw new ArchiveError(`archive version ${version} is not supported (made by pg_dump 16–18 expected)`);
  r.intSize = r.byte();
  r.offSize = r.byte();
  if (r.intSize > 6 || r.offSize > 8) throw new ArchiveError("archive integer sizes not supported");
  const format = r.byte();
  if (format !== 1) throw new ArchiveError(`archive format ${format} is not the custom format (-Fc)`);
  const algorithm = r.byte();
  if (algorithm !== 0 && algorithm !== 1)
    throw new ArchiveError(
      `archive compression ${algorithm === 2 ? "lz4" : algorithm === 3 ? "zstd" : String(algorithm)} is not supported (none or gzip)`,
    );
  for (let i = 0; i < 7; i++) r.int(); // creation time (sec, min, hour, mday, mon, year, isdst)
  const database = r.str() ?? "";
  const serverVersion = r.str() ?? "";
  const pgDumpVersion = r.str() ?? "";

  const count = r.int();
  const entries: TocEntry[] = [];
  const byId = new Map<number, TocEntry>();
  for (let i = 0; i < count; i++) {
    const dumpId = r.int();
    const hadDumper = r.int() !== 0;
    r.str(); // catalog tableoid
    r.str(); // catalog oid
    const tag = r.str() ?? "";
    const desc = r.str() ?? "";
    const section = r.int();
    const defn = r.str();
    r.str(); // dropStmt
    const copyStmt = r.str();
    const namespace = r.str();
    const tablespace = r.str();
    const tableam = minor >= 14 ? r.str() : null;
    const relkind = minor >= 16 ? r.int() : 0;
    r.str(); // owner
    r.str(); // "false" (the former WITH OIDS flag)
    while (r.str() !== null); // dependencies, NULL-terminated
    // _WriteExtraToc (custom format): the data offset, a flag byte then offSize bytes.
    r.byte();
    r.bytes(r.offSize);
    const entry: TocEntry = {
      dumpId,
      hadDumper,
      tag,
      desc,
      section,
      defn,
      copyStmt,
      namespace,
      tablespace,
      tableam,
      relkind,
      data: null,
    };
    entries.push(entry);
    byId.set(dumpId, entry);
  }

  // Data blocks follow the TOC: type byte, dump id, then length-prefixed chunks ending in 0.
  while (!r.done) {
    const type = r.byte();
    const id = r.int();
    if (type === BLK_BLOBS)
      throw new ArchiveError("the archive holds large objects, which this restore does not handle");
    if (type !== BLK_DATA) throw new ArchiveError(`unexpected block type ${type} in the archive`);
    const chunks: Buffer[] = [];
    for (;;) {
      const len = r.int();
      if (len === 0) break;
      chunks.push(r.bytes(len));
    }
    const raw = Buffer.concat(chunks);
    const entry = byId.get(id);
    if (!entry) throw new ArchiveError(`a data block names dump id ${id}, which is not in the table of contents`);
    const data = algorithm === 1 && raw.length > 0 ? inflateSync(raw) : raw;
    entry.data = data.toString("utf8");
  }
  return { version, compression: algorithm === 1 ? "gzip" : "none", database, serverVersion, pgDumpVersion, entries };
}

// What pg_restore leaves out without --create: the database itself and what hangs on it.
const databaseLevel = (e: TocEntry) =>
  e.desc === "DATABASE" ||
  e.desc === "DATABASE PROPERTIES" ||
  ((e.desc === "COMMENT" || e.desc === "ACL" || e.desc === "SECURITY LABEL") && e.tag.startsWith("DATABASE "));

function restorePass(e: TocEntry): 0 | 1 | 2 {
  if (e.desc === "ACL" || e.desc === "ACL LANGUAGE" || e.desc === "DEFAULT ACL") return 1;
  if (e.desc === "EVENT TRIGGER" || e.desc === "MATERIALIZED VIEW DATA") return 2;
  if (e.desc === "COMMENT" && e.tag.startsWith("EVENT TRIGGER ")) return 2;
  return 0;
}

const RELKIND_PARTITIONED_TABLE = "p".charCodeAt(0);

/**
 * The SQL script pg_restore would print for this archive (no --create, no owners): the fixed
 * session settings, then each entry's definition and data in TOC order, ACLs after the rest.
 */
export function archiveToScript(archive: Archive): string {
  const out: string[] = [];
  const special = new Map(
    archive.entries
      .filter((e) => ["ENCODING", "STDSTRINGS", "SEARCHPATH"].includes(e.desc))
      .map((e) => [e.desc, e.defn ?? ""]),
  );
  out.push(
    "SET statement_timeout = 0;\nSET lock_timeout = 0;\nSET idle_in_transaction_session_timeout = 0;\nSET transaction_timeout = 0;\n",
  );
  out.push(special.get("ENCODING") ?? "", special.get("STDSTRINGS") ?? "", special.get("SEARCHPATH") ?? "");
  out.push(
    "SET check_function_bodies = false;\nSET xmloption = content;\nSET client_min_messages = warning;\nSET row_security = off;\n",
  );
  let tablespace: string | null = null;
  let tableam: string | null = null;
  for (const pass of [0, 1, 2] as const) {
    for (const e of archive.entries) {
      if (special.has(e.desc) || databaseLevel(e) || restorePass(e) !== pass) continue;
      if (e.copyStmt)
        throw new ArchiveError(
          `the entry ${e.desc} ${e.tag} holds COPY data; make the backup with pnpm atrium backup (INSERT statements)`,
        );
      if (e.tablespace !== null && e.tablespace !== tablespace) {
        tablespace = e.tablespace;
        out.push(`SET default_tablespace = '${tablespace.replaceAll("'", "''")}';\n`);
      }
      if (e.tableam !== null && e.relkind !== RELKIND_PARTITIONED_TABLE && e.tableam !== tableam) {
        tableam = e.tableam;
        out.push(`SET default_table_access_method = "${tableam.replaceAll('"', '""')}";\n`);
      }
      if (e.defn) out.push(e.defn.endsWith("\n") ? e.defn : `${e.defn}\n`);
      if (e.data) out.push(e.data);
    }
  }
  return out.join("");
}
