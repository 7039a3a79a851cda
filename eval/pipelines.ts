// Each case through the same code the plan, review and implement features run, with the case's
// repository snapshot in memory where the features read GitHub.
import type { z } from "zod";
import { runPlanPipeline } from "../src/agents/conductor/plan.js";
import { chooseEditFormat, editFile } from "../src/agents/editor/edit.js";
import { defaultRepoConfig } from "../src/config/schema.js";
import type { RepositoryTreeInput } from "../src/context/tree.js";
import { planSettings } from "../src/features/plan/plan-job.js";
import { reviewOptionsFrom } from "../src/features/review/options.js";
import { reviewPullRequest } from "../src/features/review/review-pull-request.js";
import type {
  GenerateObjectRequest,
  GenerateObjectResult,
  GenerateTextRequest,
  GenerateTextResult,
  ModelRuntime,
  UsageRecord,
} from "../src/runner/types.js";
import type { ImplementCase, PlanCase, ReviewCase } from "./case-schema.js";
import { runTests, syntaxProblem } from "./checks.js";
import {
  scorePlan,
  scoreReview,
  type FindingPlace,
  type ImplementScore,
  type PlanScore,
  type ReviewScore,
} from "./score.js";

/** The runtime as the pipeline sees it, keeping every call's usage and the Planner's own answers. */
export class RecordingRuntime implements ModelRuntime {
  readonly usage: UsageRecord[] = [];
  readonly plannerAnswers: unknown[] = [];

  constructor(private readonly inner: ModelRuntime) {}

  async generateText(request: GenerateTextRequest): Promise<GenerateTextResult> {
    const result = await this.inner.generateText(request);
    this.usage.push(result.usage);
    return result;
  }

  async generateObject<S extends z.ZodType>(
    request: GenerateObjectRequest<S>,
  ): Promise<GenerateObjectResult<z.infer<S>>> {
    const result = await this.inner.generateObject(request);
    this.usage.push(result.usage);
    if (request.agent === "planner") this.plannerAnswers.push(result.value);
    return result;
  }

  promptBudget(model?: string, maxOutputTokens?: number): Promise<number> {
    return this.inner.promptBudget(model, maxOutputTokens);
  }

  estimateTokens(text: string): number {
    return this.inner.estimateTokens(text);
  }
}

/** The file list as GitHub's recursive tree gives it: folders first, then files. */
function treeOf(paths: readonly string[]): RepositoryTreeInput {
  const folders = new Set<string>();
  for (const path of paths) {
    const parts = path.split("/");
    for (let i = 1; i < parts.length; i++) folders.add(parts.slice(0, i).join("/"));
  }
  return {
    entries: [
      ...[...folders].sort().map((path) => ({ path, type: "tree" as const })),
      ...paths.map((path) => ({ path, type: "blob" as const })),
    ],
    truncated: false,
  };
}

const config = defaultRepoConfig();

export async function runPlanCase(item: PlanCase, runtime: RecordingRuntime): Promise<PlanScore> {
  const record = await runPlanPipeline(
    {
      issue: { ...item.issue, labels: [], comments: [] },
      tree: treeOf(item.tree),
      ...(item.readme === undefined ? {} : { readme: item.readme }),
      defaultBranch: "main",
      ...planSettings(config),
    },
    { runtime, readFile: async (path) => item.files[path] },
  );
  const planned = new Set([
    ...(record.plan?.files_to_change.map((change) => change.path) ?? []),
    ...(record.tasks ?? []).flatMap((task) => [
      ...task.technical_requirements.files_to_modify,
      ...task.technical_requirements.files_to_create,
    ]),
  ]);
  const written = runtime.plannerAnswers.flatMap((answer) =>
    isPlanAnswer(answer) ? answer.files_to_change : [],
  );
  return scorePlan(
    { changedFiles: item.expect.changedFiles, tree: item.tree },
    [...planned],
    written,
  );
}

function isPlanAnswer(
  value: unknown,
): value is { files_to_change: { path: string; action: "modify" | "create" }[] } {
  return typeof value === "object" && value !== null && "files_to_change" in value;
}

export async function runReviewCase(
  item: ReviewCase,
  runtime: RecordingRuntime,
): Promise<ReviewScore> {
  const outcome = await reviewPullRequest(runtime, {
    pullRequest: {
      number: 1,
      title: item.pullRequest.title,
      body: item.pullRequest.body,
      headSha: item.source.introduced,
    },
    files: item.files,
    // The overview agents write no findings; leaving them out keeps the eval to what it scores.
    options: { ...reviewOptionsFrom(config), designRemarks: false, diagram: false },
  });
  const places: FindingPlace[] = [
    ...outcome.placement.inline.map((placed) => ({
      path: placed.path,
      line: placed.firstLine,
      endLine: placed.lastLine,
    })),
    ...outcome.placement.unplaced.map(({ finding }) => ({
      path: finding.path,
      line: finding.line,
      ...(finding.end_line === undefined ? {} : { endLine: finding.end_line }),
    })),
  ];
  return scoreReview(item.expect.fixedLines, places);
}

export async function runImplementCase(
  item: ImplementCase,
  runtime: RecordingRuntime,
): Promise<ImplementScore> {
  const tested = item.testCommand !== undefined;
  const files: Record<string, string> = { ...item.files };
  const tree = Object.keys(files).map((path) => ({ path, mode: "100644" }));
  const task = {
    task_id: "T1",
    title: item.task.title,
    description: item.task.description,
    success_criteria: [item.task.title],
  };
  // One file after the other, each seeing the ones edited before it, as an implementation does.
  for (const path of item.edit) {
    const current = files[path];
    const result = await editFile(
      runtime,
      {
        task,
        design: item.task.description,
        pseudocode: "",
        path,
        currentContent: current,
        format: chooseEditFormat(current, config.implement.whole_file_max_lines),
      },
      { tree, limits: config.implement, model: config.models.editor },
    );
    if (result.status === "failed")
      return { tested, applied: false, problem: `${path}: ${result.reason}` };
    files[path] = result.after;
  }
  for (const path of item.edit) {
    const problem = await syntaxProblem(path, files[path] ?? "");
    if (problem !== undefined)
      return { tested, applied: true, compiles: false, problem: `${path}: ${problem}` };
  }
  if (item.testCommand === undefined) return { tested, applied: true, compiles: true };
  const tests = await runTests({ ...files, ...item.tests }, item.testCommand);
  return tests.ok
    ? { tested, applied: true, compiles: true, passes: true }
    : { tested, applied: true, compiles: true, passes: false, problem: tests.output };
}
