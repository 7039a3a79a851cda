// Reads GitHub's per-file patch into hunks, and the lines a review comment may sit on (RIGHT side).
import type { RestEndpointMethodTypes } from "@octokit/rest";

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

const FILE_HEADER = /^(---|\+\+\+)\s/;
const HUNK_COUNTS = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;
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

/** Counts that do not add up: a patch cut short or mangled on the way. */
class MalformedPatchError extends Error {}

/**
 * GitHub's patch is hunks without file headers, read in one pass with the rules of `diff`'s
 * parsePatch (which tested every line between and after hunks against four patterns: over a
 * second for 1 MB of newlines): a hunk's lines add up to its header's counts, an empty line
 * inside a hunk is a blank context line, and a hunk-like line right after them means the
 * counts are wrong. Anything else between hunks is skipped, except file headers: GitHub's patch
 * is one file's.
 */
function readHunks(patch: string): Hunk[] {
  const raw = patch.split("\n");
  const hunks: Hunk[] = [];
  let at = 0;
  while (at < raw.length) {
    const line = raw[at]!;
    if (line.startsWith("@@") && /\s/.test(line.charAt(2))) at = readHunk(raw, at, hunks);
    else if (FILE_HEADER.test(line)) throw new MalformedPatchError("a second file's header");
    else at++;
  }
  return hunks;
}

/** Reads the hunk whose header is at `headerAt` into `hunks`; returns the index after it. */
function readHunk(raw: readonly string[], headerAt: number, hunks: Hunk[]): number {
  const header = stripCarriageReturn(raw[headerAt]!);
  const counts = HUNK_COUNTS.exec(header);
  if (!counts) throw new MalformedPatchError(`unreadable hunk header ${header.slice(0, 80)}`);
  let oldLines = counts[2] === undefined ? 1 : Number(counts[2]);
  let newLines = counts[4] === undefined ? 1 : Number(counts[4]);
  // A side with no lines names the line before the change.
  const oldStart = Number(counts[1]) + (oldLines === 0 ? 1 : 0);
  const newStart = Number(counts[3]) + (newLines === 0 ? 1 : 0);
  const lines: DiffLine[] = [];
  let oldLine = oldStart;
  let newLine = newStart;
  let at = headerAt + 1;
  for (; at < raw.length; at++) {
    const rawLine = raw[at]!;
    const open = oldLine - oldStart < oldLines || newLine - newStart < newLines;
    if (!open && !rawLine.startsWith("\\")) break;
    const marker = rawLine === "" && at !== raw.length - 1 ? " " : rawLine.charAt(0);
    const text = stripCarriageReturn(rawLine.slice(1));
    if (marker === "+") lines.push({ kind: "added", text, newLine: newLine++ });
    else if (marker === "-") lines.push({ kind: "removed", text, oldLine: oldLine++ });
    else if (marker === " ") {
      lines.push({ kind: "context", text, oldLine: oldLine++, newLine: newLine++ });
    } else if (marker === "\\") {
      const previous = lines.at(-1);
      if (previous) previous.noNewlineAtEnd = true;
    } else throw new MalformedPatchError(`hunk line ${at + 1} is no diff line`);
  }
  const removed = oldLine - oldStart;
  const added = newLine - newStart;
  if (added === 0 && newLines === 1) newLines = 0;
  if (removed === 0 && oldLines === 1) oldLines = 0;
  if (added !== newLines || removed !== oldLines) {
    throw new MalformedPatchError(`hunk at line ${headerAt + 1} does not add up to its counts`);
  }
  if (/^[+ -]/.test(raw[at] ?? "")) {
    throw new MalformedPatchError(`hunk at line ${headerAt + 1} has more lines than its counts`);
  }
  hunks.push({ index: hunks.length, header, oldStart, oldLines, newStart, newLines, lines });
  return at;
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
  } catch (error) {
    if (error instanceof MalformedPatchError) return { hunks: [], unreadable: "malformed" };
    throw error;
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
