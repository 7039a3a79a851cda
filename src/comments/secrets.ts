// Secret-looking strings in a model's output: known token formats, private keys, and random-looking values assigned to secret names.

export type SecretKind =
  "github_token" | "aws_access_key" | "private_key" | "slack_token" | "high_entropy_assignment";

export interface SecretFinding {
  kind: SecretKind;
  /** 1-based line in the text searched. */
  line: number;
  /** The first characters and the length; never the secret itself. */
  redacted: string;
}

export interface SecretScanOptions {
  /**
   * Bits of Shannon entropy per character above which a value assigned to a secret-looking name
   * counts as a secret. Default 3.5: random base64 or mixed-case keys score 4–5, English-ish
   * identifiers and passphrases 3–3.4 (e.g. `created_at_timestamp_desc` 3.3).
   */
  entropyThreshold?: number;
  /** The same for values made only of hex digits, whose alphabet caps them at 4 bits; default 3.0. */
  hexEntropyThreshold?: number;
  /** Shorter values are never judged by entropy; default 16. */
  minValueLength?: number;
}

const KNOWN_FORMATS: readonly { kind: SecretKind; pattern: RegExp }[] = [
  { kind: "github_token", pattern: /\bgh[pousr]_[A-Za-z0-9]{36,255}\b/g },
  { kind: "github_token", pattern: /\bgithub_pat_[A-Za-z0-9_]{22,255}\b/g },
  { kind: "aws_access_key", pattern: /\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b/g },
  { kind: "private_key", pattern: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/g },
  { kind: "slack_token", pattern: /\bxox[abposr]-[A-Za-z0-9-]{10,}/g },
  {
    kind: "slack_token",
    pattern: /https:\/\/hooks\.slack\.com\/services\/T[A-Z0-9]+\/B[A-Z0-9]+\/[A-Za-z0-9]+/g,
  },
];

/**
 * `name = "value"`, `name: value`, `"name": "value"`, `NAME=value`, `name := "value"`. A name
 * starts only where no name character precedes it and is at most 128 characters long, so a long
 * run of letters (a 1 MB issue body) is scanned once instead of once per starting position.
 */
const ASSIGNMENT =
  /(?<![A-Za-z0-9_.-])([A-Za-z_][A-Za-z0-9_.-]{0,127})["']?\s*(?::=|=>|[:=])\s*(["'`]?)([^\s"'`,;(){}[\]<>]+)\2/g;

const SECRET_NAME = /(key|secret|token|passw(or)?d|passwd|pwd|credential|auth)/i;

/** Values that point at a secret instead of being one. */
const REFERENCE = /(process\.env|os\.environ|getenv|\$\{|\{\{|\$\(|^\$|^env\.|^secrets\.)/i;
const PLACEHOLDER =
  /(x{6,}|\*{4,}|example|placeholder|changeme|change_me|your[_-]|dummy|redacted|<[^>]*>)/i;
const IDENTIFIER_PATH = /^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)+$/;
const CONSTANT_NAME = /^[A-Z][A-Z0-9_]*$/;

/**
 * The text with every secret-looking value replaced by a placeholder naming its kind, so model
 * output posted to GitHub never carries a token, key or random-looking credential.
 */
export function redactSecrets(text: string, options: SecretScanOptions = {}): string {
  const values = [...new Set(scan(text, options).map((found) => found.value))];
  // Longest first, so a value that contains another is replaced whole.
  values.sort((a, b) => b.length - a.length);
  let out = text;
  for (const value of values) out = out.replaceAll(value, "[redacted secret]");
  return out;
}

/** The findings in `after` whose text `before` already held are left out: a copied fixture is not a leak. */
export function newSecrets(
  before: string | undefined,
  after: string,
  options: SecretScanOptions = {},
): SecretFinding[] {
  return scan(after, options)
    .filter(({ value }) => !(before ?? "").includes(value))
    .map(({ kind, line, value }) => ({ kind, line, redacted: redact(value) }));
}

interface Found {
  kind: SecretKind;
  line: number;
  value: string;
}

function scan(text: string, options: SecretScanOptions): Found[] {
  const found: Found[] = [];
  for (const { kind, pattern } of KNOWN_FORMATS) {
    for (const match of text.matchAll(pattern)) {
      found.push({ kind, line: lineOf(text, match.index), value: match[0] });
    }
  }
  for (const match of text.matchAll(ASSIGNMENT)) {
    const [, name = "", , value = ""] = match;
    if (!SECRET_NAME.test(name) || !looksRandom(value, options)) continue;
    if (found.some((other) => other.value.includes(value) || value.includes(other.value))) continue;
    found.push({ kind: "high_entropy_assignment", line: lineOf(text, match.index), value });
  }
  return found;
}

/** Shannon entropy in bits per character: −Σ p(c)·log2 p(c) over the value's characters. */
export function shannonEntropy(value: string): number {
  const counts = new Map<string, number>();
  for (const char of value) counts.set(char, (counts.get(char) ?? 0) + 1);
  let bits = 0;
  for (const count of counts.values()) {
    const p = count / value.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

function looksRandom(value: string, options: SecretScanOptions): boolean {
  if (value.length < (options.minValueLength ?? 16)) return false;
  if (REFERENCE.test(value) || PLACEHOLDER.test(value)) return false;
  if (IDENTIFIER_PATH.test(value) || CONSTANT_NAME.test(value)) return false;
  const threshold = /^[0-9a-f]+$/i.test(value)
    ? (options.hexEntropyThreshold ?? 3.0)
    : (options.entropyThreshold ?? 3.5);
  return shannonEntropy(value) >= threshold;
}

function redact(secret: string): string {
  return `${secret.slice(0, 4)}… (${secret.length} characters)`;
}

function lineOf(text: string, offset: number): number {
  return text.slice(0, offset).split("\n").length;
}
