// Spotting a reply that leaves out part of a file ("// ... rest unchanged") instead of writing it.

/** Phrases models use in place of code they did not write out. */
const ELISION_PHRASES: readonly RegExp[] = [
  /(\.\.\.|…)\s*(the )?(rest|remainder)\b/i,
  /\b(rest|remainder) of (the |this )?(\w+ ){0,2}(is |remains |stays )?(unchanged|the same|as before|omitted|elided|not shown|goes here|here)\b/i,
  /\b(rest|remainder)\b.{0,20}\b(unchanged|the same|as before|omitted|elided)\b/i,
  /\b(existing|previous|original|other|remaining|unchanged|same) (code|content|implementation|logic|methods|functions|tests|imports|properties|styles|rules|settings|sections?|entries|fields|cases|routes|handlers)\b.{0,24}\b(here|unchanged|remains?|stays?|omitted|elided|as (before|is|above)|goes here|continues?)\b/i,
  /\b(code|content|implementation|lines?) (unchanged|omitted|elided|truncated) (for brevity|here)\b/i,
  /\b(keep|same) as (before|above|original)\b/i,
  /(\.\.\.|…)\s*\(?(unchanged|existing|omitted|same as before|as before)\b/i,
  /\b(unchanged|omitted for brevity)\s*(\.\.\.|…)/i,
];

/**
 * A comment holding nothing but an ellipsis: `// ...`, `# …`, `/* ... *\/`, `<!-- ... -->`. The
 * closer takes its own blanks, so no two `\s*` compete for the same run of spaces (which made a
 * line of thousands of spaces take seconds).
 */
const ELLIPSIS_COMMENT =
  /^\s*(\/\/|#|--|;|%|\/\*|<!--|\{\/\*)\s*(\.\.\.|…)(?:\s*(\*\/\}?|-->))?\s*$/;

/** A line holding only an ellipsis; valid Python (and type stubs), an elision elsewhere. */
const BARE_ELLIPSIS = /^\s*(\.\.\.|…)\s*$/;

export interface ElisionOptions {
  /** Python's `...` is a statement, not an elision. */
  allowBareEllipsis: boolean;
}

/**
 * Lines of `after` that stand in for omitted code. A line that the original already had
 * (a real comment, a doc that mentions "existing code here") does not count.
 */
export function elidedLines(
  before: string | undefined,
  after: string,
  options: ElisionOptions,
): string[] {
  const known = new Set((before ?? "").split(/\r?\n/).map((line) => line.trim()));
  return after
    .split(/\r?\n/)
    .filter((line) => !known.has(line.trim()) && looksElided(line, options))
    .map((line) => line.trim());
}

function looksElided(line: string, options: ElisionOptions): boolean {
  if (ELLIPSIS_COMMENT.test(line)) return true;
  if (!options.allowBareEllipsis && BARE_ELLIPSIS.test(line)) return true;
  return ELISION_PHRASES.some((phrase) => phrase.test(line));
}

/** Whether a path names a Python source or stub, where a bare `...` is code. */
export function allowsBareEllipsis(path: string): boolean {
  return /\.pyi?$/i.test(path);
}
