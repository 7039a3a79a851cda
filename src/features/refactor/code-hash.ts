// The hash that says whether the code a suggestion points at has changed since.
import { createHash } from "node:crypto";

/**
 * Short SHA-256 of code, blind to line endings and trailing whitespace: an editor's reformat of
 * line ends must not bring a dismissed suggestion back, an edit of the code itself must.
 */
export function codeHash(code: string): string {
  const normalised = code
    .split(/\r?\n/)
    .map((line) => line.trimEnd())
    .join("\n")
    .trimEnd();
  return createHash("sha256").update(normalised).digest("hex").slice(0, 12);
}
