// The eval's tables: one row per agent and a total, per-case lines, and two runs compared.
import type { CaseKind } from "./case-schema.js";
import { caseValue, type CaseResult } from "./score.js";

export type Row = Record<string, string | number>;

const AGENT_OF: Record<CaseKind, string> = {
  plan: "plan (Enhancer → Visualizer)",
  review: "review (Editor findings)",
  implement: "implement (Editor edits)",
};

const mean = (values: readonly number[]): number =>
  values.length === 0 ? 0 : values.reduce((sum, value) => sum + value, 0) / values.length;
const round = (value: number, digits = 2): number => Number(value.toFixed(digits));
const count = (results: readonly CaseResult[], test: (result: CaseResult) => boolean): number =>
  results.filter(test).length;

/** One row per kind of case, then the total: the score is the mean of caseValue over every run. */
export function summaryRows(results: readonly CaseResult[]): Row[] {
  const kinds = (["plan", "review", "implement"] as const).filter((kind) =>
    results.some((result) => result.kind === kind),
  );
  const rows = kinds.map((kind) =>
    row(
      AGENT_OF[kind],
      results.filter((r) => r.kind === kind),
    ),
  );
  rows.push(row("total", results));
  return rows;
}

function row(name: string, results: readonly CaseResult[]): Row {
  const ids = new Set(results.map((result) => result.id));
  return {
    agent: name,
    cases: ids.size,
    runs: results.length,
    score: round(mean(results.map(caseValue))),
    detail: detail(results),
    failed: count(results, (result) => result.error !== undefined),
    "model s": round(
      results.reduce((sum, result) => sum + result.seconds, 0),
      1,
    ),
    "prompt tokens": results.reduce((sum, result) => sum + result.promptTokens, 0),
    "output tokens": results.reduce((sum, result) => sum + result.outputTokens, 0),
  };
}

/** What the score is made of, in words short enough for a table cell. */
function detail(results: readonly CaseResult[]): string {
  const parts: string[] = [];
  const plans = results.flatMap((r) => (r.kind === "plan" && r.score ? [r.score] : []));
  if (plans.length > 0) {
    parts.push(
      `fixed files named ${round(mean(plans.map((score) => score.recall)) * 100, 0)}%`,
      `plans inventing a path ${count(results, (r) => r.kind === "plan" && (r.score?.invented.length ?? 0) > 0)}`,
    );
  }
  const reviews = results.flatMap((r) => (r.kind === "review" && r.score ? [r.score] : []));
  if (reviews.length > 0) {
    parts.push(
      `bug found ${reviews.filter((score) => score.hit).length}/${reviews.length}`,
      `findings ${reviews.reduce((sum, score) => sum + score.findings, 0)}`,
      `far from any fix ${reviews.reduce((sum, score) => sum + score.far, 0)}`,
    );
  }
  const edits = results.flatMap((r) => (r.kind === "implement" && r.score ? [r.score] : []));
  if (edits.length > 0) {
    const tested = edits.filter((score) => score.tested);
    parts.push(
      `applied ${edits.filter((score) => score.applied).length}/${edits.length}`,
      `parses ${edits.filter((score) => score.compiles === true).length}/${edits.length}`,
      `tests pass ${tested.filter((score) => score.passes === true).length}/${tested.length} cases with tests`,
    );
  }
  return parts.join("; ");
}

/** One line per run of a case, for the Markdown report and the JSON. */
export function caseRows(results: readonly CaseResult[]): Row[] {
  return results.map((result) => ({
    case: result.id,
    run: result.run,
    value: round(caseValue(result)),
    outcome: result.error !== undefined ? `error: ${result.error}` : outcome(result),
  }));
}

function outcome(result: CaseResult): string {
  if (result.score === undefined) return "";
  switch (result.kind) {
    case "plan": {
      const { named, missed, invented } = result.score;
      return [
        named.length > 0 ? `named ${named.join(", ")}` : "",
        missed.length > 0 ? `missed ${missed.join(", ")}` : "",
        invented.length > 0 ? `invented ${invented.join(", ")}` : "",
      ]
        .filter(Boolean)
        .join("; ");
    }
    case "review": {
      const { hit, findings, near, far } = result.score;
      return `${hit ? "found" : "missed"}; ${findings} findings, ${near} near the fix, ${far} far`;
    }
    case "implement": {
      const { applied, compiles, passes, problem } = result.score;
      const steps = [
        applied ? "applied" : "not applied",
        compiles === undefined ? "" : compiles ? "parses" : "does not parse",
        passes === undefined ? "" : passes ? "tests pass" : "tests fail",
      ];
      const why = problem ? `: ${problem.split("\n").slice(-1)[0]!.slice(0, 160)}` : "";
      return `${steps.filter(Boolean).join(", ")}${why}`;
    }
  }
}

export function markdownTable(rows: readonly Row[]): string {
  if (rows.length === 0) return "";
  const columns = Object.keys(rows[0]!);
  const cell = (value: unknown): string =>
    String(value ?? "")
      .replace(/\|/g, "\\|")
      .replace(/\n/g, " ");
  return [
    `| ${columns.join(" | ")} |`,
    `| ${columns.map(() => "---").join(" | ")} |`,
    ...rows.map((row) => `| ${columns.map((column) => cell(row[column])).join(" | ")} |`),
  ].join("\n");
}

export interface EvalReport {
  format: 1;
  at: string;
  model: string;
  host: string;
  symphonyCommit?: string;
  /** Agent → prompt versions its calls used: what a prompt change moves. */
  promptVersions: Record<string, string[]>;
  repeat: number;
  summary: Row[];
  results: CaseResult[];
}

export function markdownReport(report: EvalReport): string {
  const versions = Object.entries(report.promptVersions)
    .map(([agent, list]) => `${agent} ${list.join(", ")}`)
    .join("; ");
  return [
    `# Symphony eval: ${report.model}`,
    "",
    `${report.at} · host ${report.host} · Symphony ${report.symphonyCommit ?? "(not a git checkout)"} · ` +
      `${report.repeat} run(s) per case`,
    "",
    `Prompt versions: ${versions || "none (no model call succeeded)"}`,
    "",
    markdownTable(report.summary),
    "",
    "## Cases",
    "",
    markdownTable(caseRows(report.results)),
    "",
  ].join("\n");
}

/** Two reports side by side: the score per agent in each, and the cases whose value changed. */
export function compareReports(
  before: EvalReport,
  after: EvalReport,
): { rows: Row[]; changed: Row[] } {
  const scores = (report: EvalReport) =>
    new Map(report.summary.map((row) => [String(row["agent"]), Number(row["score"])]));
  const a = scores(before);
  const b = scores(after);
  const rows = [...new Set([...a.keys(), ...b.keys()])].map((agent) => ({
    agent,
    [before.model]: a.get(agent) ?? "",
    [after.model === before.model ? `${after.model} (after)` : after.model]: b.get(agent) ?? "",
    change: round((b.get(agent) ?? 0) - (a.get(agent) ?? 0)),
  }));
  const perCase = (report: EvalReport) => {
    const values = new Map<string, number[]>();
    for (const result of report.results) {
      values.set(result.id, [...(values.get(result.id) ?? []), caseValue(result)]);
    }
    return new Map([...values].map(([id, list]) => [id, mean(list)]));
  };
  const ca = perCase(before);
  const cb = perCase(after);
  const changed = [...new Set([...ca.keys(), ...cb.keys()])]
    .filter((id) => (ca.get(id) ?? 0) !== (cb.get(id) ?? 0))
    .map((id) => ({ case: id, before: round(ca.get(id) ?? 0), after: round(cb.get(id) ?? 0) }));
  return { rows, changed };
}
