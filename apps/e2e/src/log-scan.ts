/**
 * The redaction check over the server's log of a whole browser run (decision 0037): no personal
 * data and no secret the suite used may appear in it. Two nets:
 * - the values the run itself used (log-secrets.ts collects them: the test users' e-mail
 *   addresses, names and passwords, the leads' phone numbers, provider tokens, API key and
 *   webhook secrets, session cookies), each matched verbatim (phone numbers also without spaces
 *   and without their +);
 * - patterns for what no log line should carry whatever its value: an e-mail address, an E.164
 *   phone number, an API key (`atr_<env>_…`), a webhook secret (`whsec_…`), a Bearer credential,
 *   a JWT, a credential in a query string, a credential-named JSON field with a value.
 * Pure: global-setup.ts runs it after the suite, log-scan.test.ts proves it finds each kind.
 */

export interface Finding {
  /** 1-based line of the log. */
  readonly line: number;
  readonly kind: string;
  /** The match, masked past its first characters: the report must not spread the secret further. */
  readonly excerpt: string;
}

/** Values shorter than this are not matched verbatim (a short name or word would match anywhere). */
const MIN_KNOWN_LENGTH = 6;

/** Addresses that are configuration, not anybody's: the default sender. */
const NOT_PERSONAL = new Set(["no-reply@atrium.local"]);

const PATTERNS: readonly { kind: string; re: RegExp }[] = [
  { kind: "e-mail address", re: /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g },
  { kind: "phone number", re: /(?<![\w+])\+[1-9]\d{7,14}(?!\d)/g },
  { kind: "API key", re: /\batr_(?:dev|stg|live)_[0-9A-Za-z]+_[0-9A-Za-z]{10,}/g },
  { kind: "webhook secret", re: /\bwhsec_[A-Za-z0-9+/=_-]{8,}/g },
  { kind: "Bearer credential", re: /\bBearer\s+[A-Za-z0-9._~+/=-]{8,}/gi },
  { kind: "JWT", re: /\beyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g },
  {
    kind: "credential in a query string",
    re: /[?&](?:token|access_token|refresh_token|code|secret|key|password)=[^&\s"']+/gi,
  },
  {
    kind: "credential field",
    re: /"(?:password|passwordHash|authorization|cookie|accessToken|refreshToken|secret|authToken|apiKey|serverSecret)"\s*:\s*"(?!\[Redacted\]")[^"]+"/gi,
  },
];

const mask = (value: string): string => (value.length <= 4 ? "****" : `${value.slice(0, 4)}…(${value.length} chars)`);

/** The known values as matched: verbatim, and a phone number written with spaces also without them. */
function needles(known: Iterable<string>): string[] {
  const out = new Set<string>();
  for (const value of known) {
    const trimmed = value.trim();
    if (trimmed.length < MIN_KNOWN_LENGTH) continue;
    out.add(trimmed);
    // As a URL carries it (an e-mail address in a query string: %40).
    out.add(encodeURIComponent(trimmed));
    if (/^\+?[\d\s().-]+$/.test(trimmed)) {
      const compact = trimmed.replace(/[\s().-]/g, "");
      if (compact.length >= MIN_KNOWN_LENGTH) out.add(compact);
      // And its digits alone (a provider's or a formatter's spelling): long enough not to be chance.
      const digits = compact.replace(/^\+/, "");
      if (digits.length >= 8) out.add(digits);
    }
  }
  return [...out];
}

export function scanLog(text: string, known: Iterable<string>): Finding[] {
  const findings: Finding[] = [];
  const values = needles(known);
  const lines = text.split("\n");
  lines.forEach((line, index) => {
    for (const value of values) {
      if (line.includes(value))
        findings.push({ line: index + 1, kind: "a value the suite used", excerpt: mask(value) });
    }
    for (const { kind, re } of PATTERNS) {
      for (const match of line.matchAll(re)) {
        if (kind === "e-mail address" && NOT_PERSONAL.has(match[0].toLowerCase())) continue;
        findings.push({ line: index + 1, kind, excerpt: mask(match[0]) });
      }
    }
  });
  return findings;
}

/** One line per finding, for the run's report. */
export function describeFindings(file: string, findings: readonly Finding[]): string[] {
  return findings.map((f) => `${file}:${f.line}: ${f.kind} (${f.excerpt})`);
}
