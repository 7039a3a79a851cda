// Accepting a whole-file reply: unwrap it, keep the file's line endings, and refuse one that leaves code out.
import { allowsBareEllipsis, elidedLines } from "./elision.js";
import { opensWithFence, stripMarkdownFence } from "./fence.js";
import { dominantLineEnding, lineTexts, withLineEndings } from "./text-lines.js";

export type WholeFileFailureReason = "elided" | "shrunk";

export interface WholeFileFailure {
  reason: WholeFileFailureReason;
  /** A sentence for the model's next attempt and for the pull request body. */
  message: string;
  /** The lines that gave the elision away, or the line counts before and after. */
  evidence: string[];
}

export type WholeFileResult =
  { ok: true; content: string; unfenced: boolean } | { ok: false; failure: WholeFileFailure };

export interface WholeFileOptions {
  /** The task asks to remove or shorten code, so a much shorter file is expected. */
  removalRequested?: boolean;
  /** A file shorter than this many non-blank lines is never judged by its shrink; default 20. */
  shrinkMinLines?: number;
  /** Share of the non-blank lines that must remain; default 0.5. */
  shrinkKeepRatio?: number;
}

export function acceptWholeFile(
  path: string,
  before: string | undefined,
  content: string,
  options: WholeFileOptions = {},
): WholeFileResult {
  const bare = stripMarkdownFence(content);
  const unfenced = bare.unfenced && !(before !== undefined && opensWithFence(before));
  const text = normalizeEnding(before, unfenced ? bare.text : content);
  const elided = elidedLines(before, text, { allowBareEllipsis: allowsBareEllipsis(path) });
  if (elided.length > 0) {
    return {
      ok: false,
      failure: {
        reason: "elided",
        message:
          `the reply for ${path} leaves code out (${quote(elided[0]!)}); ` +
          `send the complete file, every line of it, with nothing abbreviated`,
        evidence: elided,
      },
    };
  }
  const shrink = unexplainedShrink(path, before, text, options);
  if (shrink) return { ok: false, failure: shrink };
  return { ok: true, content: text, unfenced };
}

/** Keeps CRLF files CRLF and the final newline as it was (new files end with one). */
function normalizeEnding(before: string | undefined, text: string): string {
  const eol = before === undefined ? "\n" : dominantLineEnding(before);
  const withEol = withLineEndings(text, eol);
  const wantsFinalNewline = before === undefined ? withEol !== "" : /\n$/.test(before);
  const body = withEol.replace(/\r?\n$/, "");
  if (body === "") return "";
  return wantsFinalNewline ? body + eol : body;
}

function unexplainedShrink(
  path: string,
  before: string | undefined,
  after: string,
  options: WholeFileOptions,
): WholeFileFailure | undefined {
  if (before === undefined || options.removalRequested) return undefined;
  const count = (text: string) => lineTexts(text).filter((line) => line.trim() !== "").length;
  const was = count(before);
  const is = count(after);
  if (was < (options.shrinkMinLines ?? 20) || is >= was * (options.shrinkKeepRatio ?? 0.5)) {
    return undefined;
  }
  return {
    reason: "shrunk",
    message:
      `the reply for ${path} shrinks the file from ${was} to ${is} non-blank lines though the task ` +
      `does not ask to remove code; send the complete file with every line that stays`,
    evidence: [`${was} lines before`, `${is} lines after`],
  };
}

function quote(line: string): string {
  return line.length > 60 ? `"${line.slice(0, 57)}…"` : `"${line}"`;
}
