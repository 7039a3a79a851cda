// Puts each finding on a line GitHub accepts, by construction, or lists it in the summary with why.
import type { Arm } from "../../agents/conductor/bandit.js";
import { SEVERITIES, type Finding } from "../../agents/editor/review.js";
import { findingFingerprint } from "./fingerprint.js";
import { lineShowsSnippet, normalisedText } from "./line-text.js";
import {
  isCommentableRange,
  type FileDiff,
  type Hunk,
  type RightLine,
} from "../../github/pull-request-patch.js";

export interface PlacedFinding {
  finding: Finding;
  fingerprint: string;
  path: string;
  /** First and last new-file line the comment covers; equal for a one-line comment. */
  firstLine: number;
  lastLine: number;
  /** Kept only when it replaces exactly firstLine..lastLine. */
  suggestion?: string;
  /** The cited line did not show the snippet; the snippet's line in the same hunk is used. */
  moved: boolean;
  /** The model and prompt that wrote the finding, kept in its comment for the Conductor. */
  arm?: Arm;
}

export interface UnplacedFinding {
  finding: Finding;
  fingerprint: string;
  /** A sentence for the summary. */
  reason: string;
}

export interface RepeatedFinding {
  finding: Finding;
  fingerprint: string;
  /** Posted by an earlier review, dismissed by a person, or already raised in this one. */
  previously: "posted" | "dismissed" | "this-review";
}

export interface PlacementResult {
  /** At most `maxInlineComments`, most severe first. */
  inline: PlacedFinding[];
  unplaced: UnplacedFinding[];
  repeated: RepeatedFinding[];
}

export interface PlacementOptions {
  maxInlineComments: number;
  /** Fingerprints an earlier review posted. */
  posted?: Iterable<string>;
  /** Fingerprints of findings people dismissed (thread resolved, or answered "won't fix"). */
  dismissed?: Iterable<string>;
}

interface Location {
  firstLine: number;
  lastLine: number;
  moved: boolean;
  /** The cited range could not be kept; a suggestion written for it no longer fits. */
  shrunk?: true;
}

function hunkAt(file: FileDiff, line: number): Hunk | undefined {
  const index = file.right.get(line)?.hunk;
  if (index !== undefined) return file.hunks[index];
  return file.hunks.find((hunk) => line >= hunk.newStart && line < hunk.newStart + hunk.newLines);
}

/** The cited span moved to `firstLine`; a span GitHub would refuse shrinks to its first line. */
function span(file: FileDiff, finding: Finding, firstLine: number, moved: boolean): Location {
  const length = Math.max(0, (finding.end_line ?? finding.line) - finding.line);
  const lastLine = firstLine + length;
  return isCommentableRange(file, firstLine, lastLine)
    ? { firstLine, lastLine, moved }
    : { firstLine, lastLine: firstLine, moved, shrunk: true };
}

function locate(file: FileDiff, finding: Finding): Location | string {
  const cited = file.right.get(finding.line);
  if (cited && lineShowsSnippet(cited.text, finding.snippet))
    return span(file, finding, finding.line, false);
  const hunk = hunkAt(file, finding.line);
  if (!hunk) return `line ${finding.line} is outside the diff`;
  const matches = hunk.lines.filter(
    (line) => line.kind !== "removed" && lineShowsSnippet(line.text, finding.snippet),
  );
  const [match] = matches;
  if (!match || match.kind === "removed") {
    return `the quoted code was not found on line ${finding.line} or elsewhere in its hunk`;
  }
  if (matches.length > 1) {
    return `the quoted code appears on ${matches.length} lines of the hunk around line ${finding.line}`;
  }
  return span(file, finding, match.newLine, true);
}

/** Whether the line is in the same hunk and not blank: blank neighbours prove nothing. */
const sameHunkText = (line: RightLine | undefined, hunk: number): string | undefined =>
  line && line.hunk === hunk && normalisedText(line.text) !== ""
    ? normalisedText(line.text)
    : undefined;

/**
 * The suggestion, when it replaces exactly the cited lines: not a no-op, and not repeating the
 * line just before or after the range (the usual sign it covers more lines than were cited).
 */
function fittingSuggestion(
  file: FileDiff,
  where: Location,
  suggestion: string | undefined,
): string | undefined {
  if (suggestion === undefined || where.shrunk) return undefined;
  const text = suggestion.replace(/\r\n?/g, "\n").replace(/\n$/, "");
  const cited: string[] = [];
  for (let line = where.firstLine; line <= where.lastLine; line++)
    cited.push(file.right.get(line)?.text ?? "");
  if (normalisedText(text) === normalisedText(cited.join("\n"))) return undefined;
  const hunk = file.right.get(where.firstLine)?.hunk ?? -1;
  const lines = text.split("\n");
  const before = sameHunkText(file.right.get(where.firstLine - 1), hunk);
  const after = sameHunkText(file.right.get(where.lastLine + 1), hunk);
  const first = normalisedText(lines[0] ?? "");
  const last = normalisedText(lines[lines.length - 1] ?? "");
  if (before !== undefined && first === before && first !== normalisedText(cited[0] ?? ""))
    return undefined;
  if (
    after !== undefined &&
    last === after &&
    last !== normalisedText(cited[cited.length - 1] ?? "")
  ) {
    return undefined;
  }
  return text;
}

const severityRank = (finding: Finding): number => SEVERITIES.indexOf(finding.severity);

/**
 * Places each finding on a RIGHT-side line of its file's diff: the cited line when it shows the
 * snippet, else the one line of the same hunk that does; otherwise the finding goes to the
 * summary. Findings posted before or dismissed are left out; the most severe keep inline places.
 */
export function placeFindings(
  findings: readonly Finding[],
  files: readonly FileDiff[],
  options: PlacementOptions,
): PlacementResult {
  const byPath = new Map(files.map((file) => [file.path, file]));
  const posted = new Set(options.posted);
  const dismissed = new Set(options.dismissed);
  const seen = new Set<string>();
  const result: PlacementResult = { inline: [], unplaced: [], repeated: [] };
  const bySeverity = [...findings].sort((a, b) => severityRank(a) - severityRank(b));
  for (const finding of bySeverity) {
    const fingerprint = findingFingerprint(finding);
    const previously = dismissed.has(fingerprint)
      ? "dismissed"
      : posted.has(fingerprint)
        ? "posted"
        : seen.has(fingerprint)
          ? "this-review"
          : undefined;
    seen.add(fingerprint);
    if (previously) {
      result.repeated.push({ finding, fingerprint, previously });
      continue;
    }
    const file = byPath.get(finding.path);
    if (!file) {
      const reason = `${finding.path} is not a reviewed file of this diff`;
      result.unplaced.push({ finding, fingerprint, reason });
      continue;
    }
    const where = locate(file, finding);
    if (typeof where === "string") {
      result.unplaced.push({ finding, fingerprint, reason: where });
      continue;
    }
    if (result.inline.length >= options.maxInlineComments) {
      const reason = `over the limit of ${options.maxInlineComments} inline comments per review`;
      result.unplaced.push({ finding, fingerprint, reason });
      continue;
    }
    const suggestion = fittingSuggestion(file, where, finding.suggestion);
    result.inline.push({
      finding,
      fingerprint,
      path: file.path,
      firstLine: where.firstLine,
      lastLine: where.lastLine,
      moved: where.moved,
      ...(suggestion !== undefined ? { suggestion } : {}),
    });
  }
  return result;
}
