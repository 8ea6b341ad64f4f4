// Integration secrets at rest (I1, I2, S6): JWE compact serialisation, `dir` + `A256GCM` (jose),
// the protected header naming the platform key (`kid`) and the row the secret belongs to
// (`wid` workspace, `prv` provider). The header is authenticated, so a ciphertext copied into
// another workspace's or provider's row refuses to open: A's credentials are never used for B.
import { compactDecrypt, CompactEncrypt, decodeProtectedHeader } from "jose";

import type { IntegrationKey } from "../../env.ts";

export interface SealedSecret {
  jwe: string;
  kid: string;
}

export interface SecretBinding {
  workspaceId: string;
  provider: string;
}

export class EncryptionKeyMissingError extends Error {
  constructor() {
    super(
      "Credentials cannot be saved: the platform has no INTEGRATIONS_ENCRYPTION_KEY. Ask the operator to set it (32 random bytes, base64) and restart the API.",
    );
    this.name = "EncryptionKeyMissingError";
  }
}

export class UnknownKeyError extends Error {
  constructor(readonly kid: string) {
    super(
      `A stored secret was sealed with platform key ${kid}, which INTEGRATIONS_ENCRYPTION_KEY no longer lists. Add that key back (after the newest) and rotate.`,
    );
    this.name = "UnknownKeyError";
  }
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export class SecretBox {
  private readonly byKid: Map<string, Uint8Array>;

  constructor(private readonly keys: readonly IntegrationKey[]) {
    this.byKid = new Map(keys.map((k) => [k.kid, k.key]));
  }

  /** The key new secrets are sealed with; null when none is configured (production without a key). */
  get newestKid(): string | null {
    return this.keys[0]?.kid ?? null;
  }

  get kids(): string[] {
    return this.keys.map((k) => k.kid);
  }

  async seal(values: Record<string, string>, bound: SecretBinding): Promise<SealedSecret> {
    const newest = this.keys[0];
    if (!newest) throw new EncryptionKeyMissingError();
    const jwe = await new CompactEncrypt(encoder.encode(JSON.stringify(values)))
      .setProtectedHeader({ alg: "dir", enc: "A256GCM", kid: newest.kid, wid: bound.workspaceId, prv: bound.provider })
      .encrypt(newest.key);
    return { jwe, kid: newest.kid };
  }

  async open(jwe: string, bound: SecretBinding): Promise<Record<string, string>> {
    const { plaintext, protectedHeader } = await compactDecrypt(
      jwe,
      (header) => {
        const key = typeof header.kid === "string" ? this.byKid.get(header.kid) : undefined;
        if (!key) throw new UnknownKeyError(String(header.kid));
        return key;
      },
      { keyManagementAlgorithms: ["dir"], contentEncryptionAlgorithms: ["A256GCM"] },
    );
    if (protectedHeader.wid !== bound.workspaceId || protectedHeader.prv !== bound.provider) {
      throw new Error("This secret belongs to another workspace or provider");
    }
    return JSON.parse(decoder.decode(plaintext)) as Record<string, string>;
  }

  /** The kid a sealed secret names (from its protected header, without decrypting). */
  static kidOf(jwe: string): string | null {
    const kid = decodeProtectedHeader(jwe).kid;
    return typeof kid === "string" ? kid : null;
  }
}
