// What each eval case scores, computed from what the pipeline produced: pure, so the scoring is
// tested on cases whose answers are known (test/eval/score.test.ts).

/** A finding's place, as the review pipeline placed it on the diff's right side. */
export interface FindingPlace {
  path: string;
  line: number;
  endLine?: number;
}

/** A finding within this many lines of a line the later fix changed is "near" the bug. */
export const NEAR_LINES = 3;

export interface PlanScore {
  /** Share of the files the real fix changed that the plan names (0..1). */
  recall: number;
  named: string[];
  missed: string[];
  /** Paths the Planner wrote that are neither in the repository nor new files under a real folder. */
  invented: string[];
}

/**
 * `planned`: the files the final plan names (design and tasks, after Symphony's path checks);
 * `written`: every path the Planner itself wrote, with its action, before those checks.
 */
export function scorePlan(
  expected: { changedFiles: readonly string[]; tree: readonly string[] },
  planned: readonly string[],
  written: readonly { path: string; action: "modify" | "create" }[],
): PlanScore {
  const named = expected.changedFiles.filter((path) => planned.includes(path));
  const missed = expected.changedFiles.filter((path) => !planned.includes(path));
  const files = new Set(expected.tree);
  const folders = new Set(expected.tree.flatMap((path) => ancestors(path)));
  const invented = written
    .filter(({ path, action }) => {
      if (files.has(path)) return false;
      if (action === "create") {
        const parent = path.includes("/") ? path.slice(0, path.lastIndexOf("/")) : "";
        return parent !== "" && !folders.has(parent);
      }
      return true;
    })
    .map(({ path }) => path);
  return {
    recall: expected.changedFiles.length === 0 ? 0 : named.length / expected.changedFiles.length,
    named,
    missed,
    invented: [...new Set(invented)],
  };
}

function ancestors(path: string): string[] {
  const parts = path.split("/");
  return parts.slice(1).map((_, i) => parts.slice(0, i + 1).join("/"));
}

export interface ReviewScore {
  /** At least one finding within NEAR_LINES of a line the fix changed. */
  hit: boolean;
  findings: number;
  near: number;
  /** Findings nowhere near a fixed line: noise, as far as this case can tell. */
  far: number;
}

export function scoreReview(
  fixed: readonly { path: string; lines: readonly number[] }[],
  findings: readonly FindingPlace[],
): ReviewScore {
  const isNear = (finding: FindingPlace): boolean => {
    const first = finding.line;
    const last = Math.max(first, finding.endLine ?? first);
    return fixed.some(
      (file) =>
        file.path === finding.path &&
        file.lines.some((line) => line >= first - NEAR_LINES && line <= last + NEAR_LINES),
    );
  };
  const near = findings.filter(isNear).length;
  return { hit: near > 0, findings: findings.length, near, far: findings.length - near };
}

export interface ImplementScore {
  /** The case has tests to run (the rest are scored on applying and parsing). */
  tested: boolean;
  /** Every file the task edits came back from the Editor applied and checked. */
  applied: boolean;
  /** The edited files parse (Python: `ast.parse`; TS/JS: the TypeScript parser); undefined when not applied. */
  compiles?: boolean;
  /** The case's tests pass with the edit; undefined when the case has none or nothing was applied. */
  passes?: boolean;
  /** Why the case failed where it did: the Editor's reason, a syntax error, the tests' last lines. */
  problem?: string;
}

/** One run of one case, as the report lists it. */
export type CaseResult = (
  | { kind: "plan"; score?: PlanScore }
  | { kind: "review"; score?: ReviewScore }
  | { kind: "implement"; score?: ImplementScore }
) & {
  id: string;
  run: number;
  /** Model calls' wall time and tokens, summed. */
  seconds: number;
  promptTokens: number;
  outputTokens: number;
  /** Set when the pipeline itself failed (model down, output unusable): the case scores 0. */
  error?: string;
};

/**
 * One number per case, 0..1, for the totals: plan recall (0 when it invents a path), review hit,
 * implement tests passed (or, without tests, the edit parses).
 */
export function caseValue(result: CaseResult): number {
  if (result.error !== undefined || result.score === undefined) return 0;
  switch (result.kind) {
    case "plan":
      return result.score.invented.length > 0 ? 0 : result.score.recall;
    case "review":
      return result.score.hit ? 1 : 0;
    case "implement": {
      const score = result.score;
      return (score.passes ?? score.compiles ?? score.applied) ? 1 : 0;
    }
  }
}
