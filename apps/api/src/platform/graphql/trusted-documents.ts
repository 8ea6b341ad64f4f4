// A3 persisted operations. Two mechanisms:
// - Trusted documents: a manifest (hash → document) generated from the web app's operations at
//   build time and committed (apps/api/trusted-documents.json, `pnpm manifest`); a request may
//   send just the hash (`extensions.persistedQuery.sha256Hash` or `documentId`).
// - Automatic persisted queries (Apollo Server's APQ, in-memory cache) for everyone else.
// API keys flagged `persistedOnly` may run trusted documents only; anything else is refused with
// PERSISTED_QUERY_NOT_FOUND before the document is parsed.
import { readFileSync } from "node:fs";

import { sha256Hex } from "../crypto/digest.ts";

export class TrustedDocuments {
  private constructor(private readonly byHash: ReadonlyMap<string, string>) {}

  static load(path: string): TrustedDocuments {
    const raw = JSON.parse(readFileSync(path, "utf8")) as Record<string, string>;
    const map = new Map<string, string>();
    for (const [key, doc] of Object.entries(raw)) {
      const hash = key.replace(/^sha256:/, "");
      if (sha256Hex(doc) !== hash) throw new Error(`trusted document ${key} does not match its hash`);
      map.set(hash, doc);
    }
    return new TrustedDocuments(map);
  }

  static empty(): TrustedDocuments {
    return new TrustedDocuments(new Map());
  }

  get size(): number {
    return this.byHash.size;
  }

  get(hash: string): string | undefined {
    return this.byHash.get(hash);
  }

  /** The hash a request names, from APQ's extension or the trusted-documents `documentId`. */
  static hashOf(body: unknown): string | undefined {
    if (!body || typeof body !== "object") return undefined;
    const b = body as { documentId?: unknown; extensions?: unknown };
    if (typeof b.documentId === "string") return b.documentId.replace(/^sha256:/, "");
    let ext = b.extensions;
    if (typeof ext === "string") {
      try {
        ext = JSON.parse(ext);
      } catch {
        return undefined;
      }
    }
    const h = (ext as { persistedQuery?: { sha256Hash?: unknown } } | undefined)?.persistedQuery?.sha256Hash;
    return typeof h === "string" ? h : undefined;
  }

  /** Fills in the document for a trusted hash sent without one (mutates the parsed body). */
  expand(body: unknown): void {
    const hash = TrustedDocuments.hashOf(body);
    if (!hash || !body || typeof body !== "object") return;
    const b = body as { query?: unknown; extensions?: unknown };
    const doc = this.byHash.get(hash);
    if (doc && (b.query === undefined || b.query === null || b.query === "")) {
      b.query = doc;
      // Let Apollo's APQ see a consistent pair (hash of this very document).
      if (b.extensions === undefined) b.extensions = { persistedQuery: { version: 1, sha256Hash: hash } };
    }
  }

  /** For persisted-only callers: true only for a trusted hash whose document (if sent) matches it. */
  admits(body: unknown): boolean {
    const hash = TrustedDocuments.hashOf(body);
    if (!hash || !this.byHash.has(hash)) return false;
    const q = (body as { query?: unknown }).query;
    return q === undefined || q === null || (typeof q === "string" && sha256Hex(q) === hash);
  }
}
