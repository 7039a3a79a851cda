// Reads GitHub's per-file patch into hunks, and the lines a review comment may sit on (RIGHT side).
import type { RestEndpointMethodTypes } from "@octokit/rest";
import { parsePatch } from "diff";

type DiffEntry = RestEndpointMethodTypes["pulls"]["listFiles"]["response"]["data"][number];

/** One entry of `pulls.listFiles` (or `repos.compareCommits` files), as far as review needs it. */
export type PullFile = Pick<
  DiffEntry,
  "filename" | "status" | "additions" | "deletions" | "changes" | "patch" | "previous_filename"
>;

export type FileStatus = PullFile["status"];

interface LineBase {
  /** The line's text without its diff marker and line ending. */
  text: string;
  /** The file has no newline after this line ("\ No newline at end of file"). */
  noNewlineAtEnd?: true;
}
export type DiffLine =
  | (LineBase & { kind: "added"; newLine: number })
  | (LineBase & { kind: "context"; oldLine: number; newLine: number })
  | (LineBase & { kind: "removed"; oldLine: number });

export interface Hunk {
  /** Position of the hunk in its file, from 0. */
  index: number;
  /** The `@@ -a,b +c,d @@ section` line as GitHub sent it. */
  header: string;
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  lines: DiffLine[];
}

/** A line a comment may use with `side: RIGHT`: an added or context line of the new file. */
export interface RightLine {
  hunk: number;
  kind: "added" | "context";
  text: string;
}

/** Why a file has no hunks to read. */
export type UnreadablePatch = "no-patch" | "not-text" | "malformed";

export interface FileDiff {
  path: string;
  previousPath?: string;
  status: FileStatus;
  additions: number;
  deletions: number;
  hunks: Hunk[];
  unreadable?: UnreadablePatch;
  /** New-file line number → the RIGHT-side line there; only lines inside hunks. */
  right: ReadonlyMap<number, RightLine>;
}

const HUNK_HEADER = /^@@ -\d+(?:,\d+)? \+\d+(?:,\d+)? @@.*$/gm;
const REPLACEMENT_CHAR = /\uFFFD/g;

/**
 * GitHub sends invalid UTF-8 as U+FFFD and binary-ish content as NUL bytes; a few stray
 * replacement characters in a comment are normal, a patch full of them is not text.
 */
function looksLikeText(patch: string): boolean {
  if (patch.includes("\u0000")) return false;
  const replaced = patch.match(REPLACEMENT_CHAR)?.length ?? 0;
  return replaced <= Math.max(3, patch.length * 0.01);
}

function stripCarriageReturn(text: string): string {
  return text.endsWith("\r") ? text.slice(0, -1) : text;
}

function readHunkLines(raw: readonly string[], oldStart: number, newStart: number): DiffLine[] {
  const lines: DiffLine[] = [];
  let oldLine = oldStart;
  let newLine = newStart;
  for (const rawLine of raw) {
    const marker = rawLine[0] ?? " ";
    const text = stripCarriageReturn(rawLine.slice(1));
    if (marker === "\\") {
      const previous = lines[lines.length - 1];
      if (previous) previous.noNewlineAtEnd = true;
    } else if (marker === "+") {
      lines.push({ kind: "added", text, newLine: newLine++ });
    } else if (marker === "-") {
      lines.push({ kind: "removed", text, oldLine: oldLine++ });
    } else {
      lines.push({ kind: "context", text, oldLine: oldLine++, newLine: newLine++ });
    }
  }
  return lines;
}

function readHunks(patch: string): Hunk[] {
  const headers = patch.match(HUNK_HEADER) ?? [];
  // GitHub's patch is hunks without file headers; parsePatch reads that as one file.
  return parsePatch(patch)
    .flatMap((file) => file.hunks)
    .map((hunk, index) => ({
      index,
      header: stripCarriageReturn(headers[index] ?? ""),
      oldStart: hunk.oldStart,
      oldLines: hunk.oldLines,
      newStart: hunk.newStart,
      newLines: hunk.newLines,
      lines: readHunkLines(hunk.lines, hunk.oldStart, hunk.newStart),
    }));
}

function rightSide(hunks: readonly Hunk[]): Map<number, RightLine> {
  const right = new Map<number, RightLine>();
  for (const hunk of hunks) {
    for (const line of hunk.lines) {
      if (line.kind !== "removed") {
        right.set(line.newLine, { hunk: hunk.index, kind: line.kind, text: line.text });
      }
    }
  }
  return right;
}

function hunksOf(patch: string | undefined): { hunks: Hunk[]; unreadable?: UnreadablePatch } {
  if (patch === undefined || patch === "") return { hunks: [], unreadable: "no-patch" };
  if (!looksLikeText(patch)) return { hunks: [], unreadable: "not-text" };
  try {
    return { hunks: readHunks(patch) };
  } catch {
    // parsePatch throws on counts that do not add up: a patch cut short or mangled on the way.
    return { hunks: [], unreadable: "malformed" };
  }
}

export function parseFileDiff(file: PullFile): FileDiff {
  const { hunks, unreadable } = hunksOf(file.patch);
  return {
    path: file.filename,
    ...(file.previous_filename !== undefined && file.previous_filename !== file.filename
      ? { previousPath: file.previous_filename }
      : {}),
    status: file.status,
    additions: file.additions,
    deletions: file.deletions,
    hunks,
    ...(unreadable ? { unreadable } : {}),
    right: rightSide(hunks),
  };
}

/** Whether `first`..`last` may carry one multi-line comment: both RIGHT lines of the same hunk. */
export function isCommentableRange(file: FileDiff, first: number, last: number): boolean {
  const start = file.right.get(first);
  const end = file.right.get(last);
  return start !== undefined && end !== undefined && first <= last && start.hunk === end.hunk;
}
