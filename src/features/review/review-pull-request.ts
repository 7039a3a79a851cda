// One review of a pull request, start to finish, without GitHub: diff in; review body, summary and state out.
import { diffRoom, reviewChunk, reviewInput, type Finding } from "../../agents/editor/review.js";
import { remarkOnPullRequest, type ReviewRemarks } from "../../agents/planner/review-remarks.js";
import { drawChangeDiagram, type ChangeDiagram } from "../../agents/visualizer/review-diagram.js";
import { ContextOverflowError, ModelOutputError, ModelTimeoutError } from "../../runner/errors.js";
import type { AgentCallOptions } from "../../agents/define-agent.js";
import type { ModelRuntime, UsageRecord } from "../../runner/types.js";
import type { NotReviewed, ReviewChunk } from "./chunks.js";
import type { ReviewOptions } from "./options.js";
import type { PullFile } from "../../github/pull-request-patch.js";
import { placeFindings, type PlacementResult } from "./placement.js";
import { prepareReview, type PreparedReview } from "./prepare.js";
import { withMultilineSuggestions } from "./multiline-suggestions.js";
import type { RejectedComment } from "./rejected-comments.js";
import type { ReviewArm } from "./run-details.js";
import { buildReviewRequest, type ReviewRequest } from "./review-request.js";
import { nextReviewState, type ReviewState } from "./state.js";
import { renderReviewSummary, type ReviewSummaryInput } from "./summary.js";

export interface PullRequestReviewInput {
  pullRequest: { number: number; title: string; body?: string | null; headSha: string };
  /** From `pulls.listFiles`, or `repos.compareCommits` for an incremental review. */
  files: readonly PullFile[];
  /** The pulls API stopped at its 3,000-file cap. */
  fileListTruncated?: boolean;
  /** For an incremental review: the head reviewed last time. */
  since?: string;
  /** Read from the previous summary comment with `parseReviewState`. */
  previousState?: ReviewState;
  /** Fingerprints of findings people dismissed since (resolved threads, "won't fix" replies). */
  dismissed?: readonly string[];
  options: ReviewOptions;
  headLines?: (path: string) => readonly string[] | undefined;
  models?: { editor?: string; planner?: string; visualizer?: string };
  /** The settings' `max_context_tokens`: a cap below each model's own prompt budget. */
  maxContextTokens?: number;
  /** Each agent's model and why, named in the run details. */
  arms?: readonly ReviewArm[];
  /** Model calls in flight at once; the runtime queues per host as well. */
  concurrency?: number;
  signal?: AbortSignal;
  /** Called as each part of the diff is reviewed, for a progress line. */
  onChunkReviewed?: (done: number, total: number) => void;
}

export interface ReviewOutcome {
  /** Body for `pulls.createReview`; undefined when nothing is placed inline. */
  review?: ReviewRequest;
  /** Markdown of the summary comment, marker and hidden state included. */
  summary: string;
  state: ReviewState;
  placement: PlacementResult;
  prepared: PreparedReview;
  /** What the summary was rendered from, to render it again (see `withRejectedComments`). */
  summaryInput: ReviewSummaryInput;
}

/** Model failures that cost one chunk, not the whole review: the chunk is listed as not reviewed. */
const chunkFailure = (error: unknown): error is Error =>
  error instanceof ModelOutputError ||
  error instanceof ContextOverflowError ||
  error instanceof ModelTimeoutError;

async function inPool<T>(tasks: readonly (() => Promise<T>)[], concurrency: number): Promise<T[]> {
  const results: T[] = new Array<T>(tasks.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < tasks.length) {
      const index = next++;
      results[index] = await tasks[index]!();
    }
  };
  await Promise.all(
    Array.from({ length: Math.max(1, Math.min(concurrency, tasks.length)) }, worker),
  );
  return results;
}

interface ChunkOutcome {
  findings: Finding[];
  /** The findings' call, and the multi-line suggestions' where one was made. */
  usage?: UsageRecord[];
  failed?: NotReviewed[];
}

function failedChunk(chunk: ReviewChunk, error: Error): NotReviewed[] {
  const reason = `the model's review of this part failed: ${error.message}`;
  const hunks = new Map<string, number[]>();
  for (const part of chunk.parts)
    hunks.set(part.path, [...(hunks.get(part.path) ?? []), part.hunk]);
  return [...hunks].map(([path, list]) => ({ path, reason, hunks: [...new Set(list)] }));
}

/** The pull request's title and description as every review prompt shows them. */
function pullRequestText(input: PullRequestReviewInput): { title: string; description: string } {
  return { title: input.pullRequest.title, description: input.pullRequest.body ?? "" };
}

/** What every agent call of the review passes on: its model, the cap, the signal. */
function callOptions(input: PullRequestReviewInput, model: string | undefined): AgentCallOptions {
  return {
    ...(model !== undefined ? { model } : {}),
    ...(input.maxContextTokens !== undefined ? { maxContextTokens: input.maxContextTokens } : {}),
    ...(input.signal ? { signal: input.signal } : {}),
  };
}

function prepare(
  input: PullRequestReviewInput,
  runtime: ModelRuntime,
  budget: number,
): PreparedReview {
  return prepareReview(input.files, {
    options: input.options,
    budget,
    estimateTokens: (text) => runtime.estimateTokens(text),
    ...(input.headLines ? { headLines: input.headLines } : {}),
  });
}

interface OverviewAgents {
  remarks?: ReviewRemarks;
  remarksProblem?: string;
  diagram?: ChangeDiagram;
  usage: UsageRecord[];
}

/** The Planner's overview and the Code-Visualizer's diagram, one after the other. */
async function overviewAgents(
  runtime: ModelRuntime,
  input: PullRequestReviewInput,
  prepared: PreparedReview,
): Promise<OverviewAgents> {
  const result: OverviewAgents = { usage: [] };
  if (prepared.chunks.length === 0) return result;
  const overview = {
    ...pullRequestText(input),
    files: prepared.files,
    diff: prepared.chunks.map((chunk) => chunk.text).join("\n"),
  };
  const models = input.models ?? {};
  if (input.options.designRemarks) {
    try {
      const remarks = await remarkOnPullRequest(
        runtime,
        overview,
        callOptions(input, models.planner),
      );
      result.remarks = remarks.remarks;
      result.usage.push(remarks.usage);
    } catch (error) {
      if (!chunkFailure(error)) throw error;
      result.remarksProblem = error.message;
    }
  }
  if (input.options.diagram) {
    try {
      const drawn = await drawChangeDiagram(
        runtime,
        overview,
        callOptions(input, models.visualizer),
      );
      if (drawn.diagram) result.diagram = drawn.diagram;
      result.usage.push(drawn.usage);
    } catch (error) {
      // The diagram is an extra: without it the review is whole.
      if (!chunkFailure(error)) throw error;
    }
  }
  return result;
}

function reviewChunks(
  runtime: ModelRuntime,
  input: PullRequestReviewInput,
  prepared: PreparedReview,
): Promise<ChunkOutcome[]> {
  const options = callOptions(input, input.models?.editor);
  const count = prepared.chunks.length;
  let done = 0;
  const reviewed = <T>(outcome: T): T => {
    input.onChunkReviewed?.(++done, prepared.chunks.length);
    return outcome;
  };
  const pullRequest = pullRequestText(input);
  const tasks = prepared.chunks.map((chunk) => async (): Promise<ChunkOutcome> => {
    try {
      const asked = reviewInput(chunk, pullRequest, count);
      const { value, usage } = await reviewChunk.call(runtime, asked, options);
      const fixed = await withMultilineSuggestions(
        runtime,
        value.findings,
        prepared.reviewable,
        options,
      );
      return reviewed({
        findings: fixed.findings,
        usage: fixed.usage ? [usage, fixed.usage] : [usage],
      });
    } catch (error) {
      if (!chunkFailure(error)) throw error;
      return reviewed({ findings: [], failed: failedChunk(chunk, error) });
    }
  });
  return inPool(tasks, input.concurrency ?? 2);
}

/**
 * Reviews the pull request's diff: chunks to the Editor, the overview to the Planner and the
 * Code-Visualizer, findings placed by construction. Posting is the caller's: `review` with
 * `pulls.createReview`, `summary` as the comment found by its marker.
 */
export async function reviewPullRequest(
  runtime: ModelRuntime,
  input: PullRequestReviewInput,
): Promise<ReviewOutcome> {
  const started = performance.now();
  const editorOptions = callOptions(input, input.models?.editor);
  const budget = await diffRoom(runtime, pullRequestText(input), editorOptions);
  const cpuBefore = process.cpuUsage();
  const prepared = prepare(input, runtime, budget);
  const cpu = process.cpuUsage(cpuBefore);
  const [chunkOutcomes, overview] = await Promise.all([
    reviewChunks(runtime, input, prepared),
    overviewAgents(runtime, input, prepared),
  ]);
  const placement = placeFindings(
    chunkOutcomes.flatMap((outcome) => outcome.findings),
    prepared.reviewable,
    {
      maxInlineComments: input.options.maxInlineComments,
      posted: input.previousState?.posted ?? [],
      dismissed: [...(input.previousState?.dismissed ?? []), ...(input.dismissed ?? [])],
    },
  );
  const state = nextReviewState(input.previousState, {
    headSha: input.pullRequest.headSha,
    posted: placement.inline.map((placed) => placed.fingerprint),
    dismissed: input.dismissed ?? [],
  });
  const summaryInput: ReviewSummaryInput = {
    pullNumber: input.pullRequest.number,
    headSha: input.pullRequest.headSha,
    ...(input.since ? { since: input.since } : {}),
    files: prepared.files,
    ...(overview.remarks ? { remarks: overview.remarks } : {}),
    ...(overview.remarksProblem ? { remarksProblem: overview.remarksProblem } : {}),
    ...(overview.diagram ? { diagram: overview.diagram } : {}),
    chunkCount: prepared.chunks.length,
    inlineCount: placement.inline.length,
    unplaced: placement.unplaced,
    repeatedCount: placement.repeated.filter((repeat) => repeat.previously !== "this-review")
      .length,
    skipped: prepared.skipped,
    notReviewed: [
      ...prepared.notReviewed,
      ...chunkOutcomes.flatMap((outcome) => outcome.failed ?? []),
    ],
    fileListTruncated: input.fileListTruncated ?? false,
    runDetails: {
      usage: [...chunkOutcomes.flatMap((outcome) => outcome.usage ?? []), ...overview.usage],
      preparationMs: (cpu.user + cpu.system) / 1000,
      totalMs: performance.now() - started,
      ...(input.arms ? { arms: input.arms } : {}),
    },
    state,
  };
  const review = buildReviewRequest(placement.inline, { headSha: input.pullRequest.headSha });
  return {
    ...(review ? { review } : {}),
    summary: renderReviewSummary(summaryInput),
    state,
    placement,
    prepared,
    summaryInput,
  };
}

/**
 * The outcome after GitHub refused some comments (see `dropRejectedComments`): those findings
 * move to the summary, are not remembered as posted, and the summary is rendered again.
 */
export function withRejectedComments(
  outcome: ReviewOutcome,
  dropped: readonly RejectedComment[],
): ReviewOutcome {
  const reasons = new Map(
    dropped.flatMap((item): [string, string][] =>
      item.fingerprint ? [[item.fingerprint, item.reason]] : [],
    ),
  );
  const refused = outcome.placement.inline.filter((placed) => reasons.has(placed.fingerprint));
  const inline = outcome.placement.inline.filter((placed) => !reasons.has(placed.fingerprint));
  const unplaced = [
    ...refused.map((placed) => ({
      finding: placed.finding,
      fingerprint: placed.fingerprint,
      reason: reasons.get(placed.fingerprint) ?? "GitHub refused this comment",
    })),
    ...outcome.placement.unplaced,
  ];
  const state = {
    ...outcome.state,
    posted: outcome.state.posted.filter((fingerprint) => !reasons.has(fingerprint)),
  };
  const summaryInput = { ...outcome.summaryInput, inlineCount: inline.length, unplaced, state };
  const review = buildReviewRequest(inline, { headSha: outcome.summaryInput.headSha });
  return {
    ...outcome,
    review,
    placement: { ...outcome.placement, inline, unplaced },
    state,
    summary: renderReviewSummary(summaryInput),
    summaryInput,
  };
}
