// The numbered diff text a model reviews: only numbered lines can be cited.
import { shownLineText } from "./line-text.js";
import type { DiffLine, FileDiff, Hunk } from "../../github/pull-request-patch.js";

/** Width of the line-number column; wide enough for files of a million lines. */
export const NUMBER_WIDTH = 6;

const BLANK_NUMBER = " ".repeat(NUMBER_WIDTH);

/**
 * `    42 + added`, `    43   context`, `       - removed` (no number: it is not on the RIGHT
 * side), so the model can only cite lines a comment can sit on.
 */
export function numberedLine(line: DiffLine): string {
  const text = shownLineText(line.text);
  switch (line.kind) {
    case "added":
      return `${String(line.newLine).padStart(NUMBER_WIDTH)} + ${text}`;
    case "context":
      return `${String(line.newLine).padStart(NUMBER_WIDTH)}   ${text}`;
    case "removed":
      return `${BLANK_NUMBER} - ${text}`;
  }
}

/** A line of the head file outside the hunk: shown for orientation, never citable. */
export function surroundingLine(text: string): string {
  const withoutCr = text.endsWith("\r") ? text.slice(0, -1) : text;
  return `${BLANK_NUMBER} · ${shownLineText(withoutCr)}`;
}

export function fileHeading(file: FileDiff): string {
  const renamed = file.previousPath ? `, renamed from ${file.previousPath}` : "";
  return `File: ${file.path} (${file.status}${renamed}, +${file.additions} -${file.deletions})`;
}

/** The hunk's header, marked as one part of several when a long hunk is split. */
export function hunkHeading(hunk: Hunk, part?: { index: number; count: number }): string {
  const header =
    hunk.header || `@@ -${hunk.oldStart},${hunk.oldLines} +${hunk.newStart},${hunk.newLines} @@`;
  return part ? `${header} (part ${part.index + 1} of ${part.count})` : header;
}

/** Head-file lines just before and after the hunk, where the caller can read the head file. */
export function surroundingLines(
  hunk: Hunk,
  headLines: readonly string[] | undefined,
  count: number,
): { before: string[]; after: string[] } {
  if (!headLines || count === 0) return { before: [], after: [] };
  const firstIndex = hunk.newStart - 1;
  const endIndex = firstIndex + hunk.newLines;
  return {
    before: headLines.slice(Math.max(0, firstIndex - count), Math.max(0, firstIndex)),
    after: headLines.slice(endIndex, endIndex + count),
  };
}
