// Hotspots: the files that change often AND are hard to read, ranked by normalised change
// frequency × normalised complexity, with the functions that make them hard.
import { mapWithConcurrency } from "../../lib/bounded-concurrency.js";
import { codeHash } from "./code-hash.js";
import {
  canMeasure,
  isSkipped,
  measureComplexity,
  type FileComplexity,
  type FunctionComplexity,
  type MeasureMethod,
  type SkipReason,
} from "./complexity.js";
import { pathExclusions, type PathSkipReason } from "./exclusions.js";

export const DEFAULT_TOP = 5;
/** The most-changed files measured per run; the rest changed too rarely to outrank them. */
export const DEFAULT_MAX_FILES = 500;
const DEFAULT_READ_CONCURRENCY = 8;

/** Reads a file at the default branch head; undefined when it no longer exists there. */
export type ReadFile = (path: string) => Promise<string | undefined>;

export interface RankHotspotsOptions {
  /** Changes per path over the window (from `collectChangeCounts`). */
  counts: ReadonlyMap<string, number>;
  readFile: ReadFile;
  /** Rows to return (config `refactor.top`). */
  top?: number;
  /** Rank test files too (config `refactor.include_tests`). */
  includeTests?: boolean;
  /** The config's ignore globs (picomatch). */
  ignore?: readonly string[];
  /** How many of the most-changed files are read and measured (config `refactor.max_files`). */
  maxFiles?: number;
  /** Reads in flight at once. */
  concurrency?: number;
}

export interface HotspotFunction extends FunctionComplexity {
  /** The function's source, for the Planner's prompt. */
  code: string;
  /** `codeHash` of `code`: what a suggestion's fingerprint is tied to. */
  codeHash: string;
}

export interface HotspotRow {
  file: string;
  language: string;
  method: MeasureMethod;
  /** Commits in the window that touched the file. */
  changes: number;
  /** Total cognitive complexity of the file. */
  complexity: number;
  cyclomatic: number;
  lines: number;
  /** normalised changes × normalised complexity, in (0, 1]. */
  score: number;
  longestFunction: FunctionComplexity | undefined;
  worstFunctions: HotspotFunction[];
  /** `codeHash` of the whole file, for suggestions about the file rather than one function. */
  fileHash: string;
}

export type HotspotSkipReason = PathSkipReason | SkipReason | "missing" | "beyond-max-files";

export interface HotspotRanking {
  rows: HotspotRow[];
  /** Paths with at least one change in the window. */
  changedFiles: number;
  /** Files read and measured. */
  measured: number;
  /** Changed files left out, by why. */
  skipped: Partial<Record<HotspotSkipReason, number>>;
}

/** A measured file without its full function list: what ranking needs, and little memory. */
type Measured = Omit<FileComplexity, "functions"> & { changes: number; weight: number };

/**
 * Normalises a heavy-tailed count to [0, 1]: log(1 + x) / log(1 + max). The log keeps one outlier
 * (a file changed 400 times, a 5,000-line module) from flattening everyone else to zero.
 */
export function normalised(value: number, max: number): number {
  return max <= 0 ? 0 : Math.log1p(value) / Math.log1p(max);
}

/** The score of a file: normalised changes × normalised complexity, each against the largest. */
export function hotspotScore(
  changes: number,
  complexity: number,
  maxChanges: number,
  maxComplexity: number,
): number {
  return normalised(changes, maxChanges) * normalised(complexity, maxComplexity);
}

/** Highest weight first; ties by changes, then complexity, then path, so the order is stable. */
function byRank(a: Measured, b: Measured): number {
  return (
    b.weight - a.weight ||
    b.changes - a.changes ||
    b.cognitive - a.cognitive ||
    (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)
  );
}

export async function rankHotspots(options: RankHotspotsOptions): Promise<HotspotRanking> {
  const top = options.top ?? DEFAULT_TOP;
  const skipped: Partial<Record<HotspotSkipReason, number>> = {};
  const skip = (reason: HotspotSkipReason, count = 1) => {
    skipped[reason] = (skipped[reason] ?? 0) + count;
  };
  const candidates = measurableCandidates(options, skip);
  const maxFiles = options.maxFiles ?? DEFAULT_MAX_FILES;
  if (candidates.length > maxFiles) skip("beyond-max-files", candidates.length - maxFiles);

  const leaders = new Leaders(top);
  const measured: Measured[] = [];
  await mapWithConcurrency(
    candidates.slice(0, maxFiles),
    options.concurrency ?? DEFAULT_READ_CONCURRENCY,
    async ([path, changes]) => {
      const content = await options.readFile(path);
      if (content === undefined) return skip("missing");
      const result = await measureComplexity(path, content);
      if (isSkipped(result)) return skip(result.skipped);
      const { functions: _all, ...summary } = result;
      const file: Measured = {
        ...summary,
        changes,
        weight: Math.log1p(changes) * Math.log1p(result.cognitive),
      };
      measured.push(file);
      leaders.offer(file, content);
    },
  );

  const maxChanges = measured.reduce((max, file) => Math.max(max, file.changes), 0);
  const maxComplexity = measured.reduce((max, file) => Math.max(max, file.cognitive), 0);
  const rows = measured
    .filter((file) => file.weight > 0)
    .sort(byRank)
    .slice(0, top)
    .map((file) => hotspotRow(file, leaders.contentOf(file.path), maxChanges, maxComplexity));
  return { rows, changedFiles: countChanged(options.counts), measured: measured.length, skipped };
}

function countChanged(counts: ReadonlyMap<string, number>): number {
  let changed = 0;
  for (const changes of counts.values()) if (changes > 0) changed += 1;
  return changed;
}

/** Changed files worth reading, most-changed first (ties by path), excluded ones counted. */
function measurableCandidates(
  options: RankHotspotsOptions,
  skip: (reason: HotspotSkipReason) => void,
): [string, number][] {
  const excluded = pathExclusions({
    includeTests: options.includeTests ?? false,
    ignore: options.ignore ?? [],
  });
  const candidates: [string, number][] = [];
  for (const [path, changes] of options.counts) {
    if (changes <= 0) continue;
    const reason = excluded(path) ?? (canMeasure(path) ? undefined : "not-code");
    if (reason) skip(reason);
    else candidates.push([path, changes]);
  }
  return candidates.sort(([pathA, a], [pathB, b]) => b - a || (pathA < pathB ? -1 : 1));
}

function hotspotRow(
  file: Measured,
  content: string,
  maxChanges: number,
  maxComplexity: number,
): HotspotRow {
  const lines = content.split(/\r?\n/);
  return {
    file: file.path,
    language: file.language,
    method: file.method,
    changes: file.changes,
    complexity: file.cognitive,
    cyclomatic: file.cyclomatic,
    lines: file.lines,
    score: hotspotScore(file.changes, file.cognitive, maxChanges, maxComplexity),
    longestFunction: file.longestFunction,
    worstFunctions: file.worstFunctions.map((fn) => {
      const code = lines.slice(fn.line - 1, fn.endLine).join("\n");
      return { ...fn, code, codeHash: codeHash(code) };
    }),
    fileHash: codeHash(content),
  };
}

/**
 * Holds the contents of the files ranked highest so far, and only those: the rows need their
 * functions' code, and keeping every file read would cost memory in proportion to the repository.
 */
class Leaders {
  private readonly files: { file: Measured; content: string }[] = [];

  constructor(private readonly size: number) {}

  offer(file: Measured, content: string): void {
    if (this.size <= 0 || file.weight <= 0) return;
    this.files.push({ file, content });
    this.files.sort((a, b) => byRank(a.file, b.file));
    if (this.files.length > this.size) this.files.pop();
  }

  contentOf(path: string): string {
    const held = this.files.find(({ file }) => file.path === path);
    if (!held) throw new Error(`hotspot ${path} was ranked without its contents`);
    return held.content;
  }
}
