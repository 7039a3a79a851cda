// Loads the cases, runs each through its pipeline `repeat` times, and writes the JSON and Markdown reports.
import { execFileSync } from "node:child_process";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { ModelRuntime } from "../src/runner/types.js";
import { EvalCaseSchema, type EvalCase } from "./case-schema.js";
import { RecordingRuntime, runImplementCase, runPlanCase, runReviewCase } from "./pipelines.js";
import { markdownReport, summaryRows, type EvalReport } from "./report.js";
import type { CaseResult } from "./score.js";

const here = dirname(fileURLToPath(import.meta.url));
export const CASES_DIR = join(here, "cases");
export const RESULTS_DIR = join(here, "results");

/** Every case under `dir`, sorted by kind then id; `filters` keep those whose id or kind contains one. */
export async function loadCases(
  dir = CASES_DIR,
  filters: readonly string[] = [],
): Promise<EvalCase[]> {
  const cases: EvalCase[] = [];
  for (const kind of ["plan", "review", "implement"]) {
    const folder = join(dir, kind);
    const names = (await readdir(folder).catch(() => [] as string[])).filter((n) =>
      n.endsWith(".json"),
    );
    for (const name of names.sort()) {
      const text = await readFile(join(folder, name), "utf8");
      const parsed = EvalCaseSchema.safeParse(JSON.parse(text));
      if (!parsed.success)
        throw new Error(`${kind}/${name} is not a valid case: ${parsed.error.message}`);
      cases.push(parsed.data);
    }
  }
  if (filters.length === 0) return cases;
  return cases.filter((item) => filters.some((f) => item.kind === f || item.id.includes(f)));
}

export interface EvalOptions {
  cases: readonly EvalCase[];
  runtime: ModelRuntime;
  model: string;
  host: string;
  repeat?: number;
  /** Where the reports go; default eval/results. */
  outDir?: string;
  /** A line per finished case run. */
  onResult?: (result: CaseResult) => void;
  now?: () => Date;
}

export interface EvalRun {
  report: EvalReport;
  files: { json: string; markdown: string };
}

export async function runEval(options: EvalOptions): Promise<EvalRun> {
  const repeat = Math.max(1, options.repeat ?? 1);
  const results: CaseResult[] = [];
  const versions = new Map<string, Set<string>>();
  for (let run = 1; run <= repeat; run++) {
    for (const item of options.cases) {
      const runtime = new RecordingRuntime(options.runtime);
      const result = await runCase(item, runtime, run);
      for (const usage of runtime.usage) {
        versions.set(
          usage.agent,
          (versions.get(usage.agent) ?? new Set()).add(usage.promptVersion),
        );
      }
      results.push(result);
      options.onResult?.(result);
    }
  }
  const at = (options.now ?? (() => new Date()))().toISOString();
  const report: EvalReport = {
    format: 1,
    at,
    model: options.model,
    host: options.host,
    ...symphonyCommit(),
    promptVersions: Object.fromEntries(
      [...versions].map(([agent, set]) => [agent, [...set].sort()]),
    ),
    repeat,
    summary: summaryRows(results),
    results,
  };
  const outDir = options.outDir ?? RESULTS_DIR;
  await mkdir(outDir, { recursive: true });
  const stem = join(
    outDir,
    `${at.replace(/[:.]/g, "-")}-${options.model.replace(/[^\w.-]+/g, "_")}`,
  );
  const files = { json: `${stem}.json`, markdown: `${stem}.md` };
  await writeFile(files.json, `${JSON.stringify(report, null, 2)}\n`);
  await writeFile(files.markdown, markdownReport(report));
  return { report, files };
}

async function runCase(
  item: EvalCase,
  runtime: RecordingRuntime,
  run: number,
): Promise<CaseResult> {
  const totals = () => ({
    seconds: runtime.usage.reduce((sum, usage) => sum + usage.wallMs, 0) / 1000,
    promptTokens: runtime.usage.reduce((sum, usage) => sum + usage.promptTokens, 0),
    outputTokens: runtime.usage.reduce((sum, usage) => sum + usage.outputTokens, 0),
  });
  const base = { id: item.id, run };
  try {
    switch (item.kind) {
      case "plan":
        return { ...base, kind: "plan", score: await runPlanCase(item, runtime), ...totals() };
      case "review":
        return { ...base, kind: "review", score: await runReviewCase(item, runtime), ...totals() };
      case "implement":
        return {
          ...base,
          kind: "implement",
          score: await runImplementCase(item, runtime),
          ...totals(),
        };
    }
  } catch (error) {
    const message = (error instanceof Error ? error.message : String(error)).split("\n")[0]!;
    return { ...base, kind: item.kind, error: message.slice(0, 300), ...totals() };
  }
}

function symphonyCommit(): { symphonyCommit?: string } {
  try {
    const sha = execFileSync("git", ["rev-parse", "--short", "HEAD"], {
      cwd: here,
      encoding: "utf8",
    }).trim();
    return sha ? { symphonyCommit: sha } : {};
  } catch {
    return {};
  }
}
