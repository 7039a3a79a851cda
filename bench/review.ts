// Review preparation on a synthetic 300-file, 20,000-line pull request against a 16k-token context.
import { diffRoom, reviewChunk, reviewInput, type Finding } from "../src/agents/editor/review.js";
import { defaultRepoConfig } from "../src/config/index.js";
import { reviewOptionsFrom, type ReviewOptions } from "../src/features/review/options.js";
import { placeFindings } from "../src/features/review/placement.js";
import { prepareReview, type PreparedReview } from "../src/features/review/prepare.js";
import { estimateMessageTokens, estimateTokens } from "../src/runner/token-estimate.js";
import type { ModelRuntime } from "../src/runner/types.js";
import { syntheticPull } from "../test/features/review/synthetic-pull.js";
import type { BenchResult } from "./types.js";

const FILES = 300;
const CHANGED_LINES = 20_000;
const CONTEXT_TOKENS = 16_384;
/** The runtime's default output reserve (SYMPHONY_MAX_OUTPUT_TOKENS). */
const OUTPUT_RESERVE = 4096;
const PROMPT_BUDGET = CONTEXT_TOKENS - OUTPUT_RESERVE;
const RUNS = 7;

const pullRequest = {
  title: "Rework the order pipeline",
  description: "Moves pricing into its own module and retries failed payments.\n".repeat(8),
};

/** Sizes prompts as the runtime would, with a fixed budget; never asked for a reply. */
const budgetOnly: ModelRuntime = {
  promptBudget: async () => PROMPT_BUDGET,
  estimateTokens,
  generateText: () => Promise.reject(new Error("the review bench makes no model calls")),
  generateObject: () => Promise.reject(new Error("the review bench makes no model calls")),
};

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};

function cpuMs(run: () => void): number {
  const before = process.cpuUsage();
  run();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000;
}

/** One finding per file a chunk shows, on its first added line: what a model citing exactly returns. */
function findingsFor(prepared: PreparedReview): Finding[] {
  return prepared.chunks.flatMap((chunk) =>
    [...chunk.text.matchAll(/^File: (\S+)[^\n]*\n(?:.*\n)*?\s+(\d+) \+ (.{10,40})/gm)].map(
      ([, path, line, text]): Finding => ({
        path: path!,
        line: Number(line) + 1, // off by one, so placement has to search the hunk
        snippet: text!.trim(),
        severity: "minor",
        rule: "bug",
        title: "Check this",
        body: "",
      }),
    ),
  );
}

async function measure(
  label: string,
  options: ReviewOptions,
): Promise<Record<string, string | number>> {
  const pull = syntheticPull({
    files: FILES,
    changedLines: CHANGED_LINES,
    giantHunkLines: 1500,
    seed: 42,
  });
  const budget = await diffRoom(budgetOnly, pullRequest);
  let prepared: PreparedReview | undefined;
  const prepareSamples: number[] = [];
  const placeSamples: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    prepareSamples.push(
      cpuMs(() => {
        prepared = prepareReview(pull.files, {
          options,
          budget,
          estimateTokens,
          headLines: pull.headLines,
        });
      }),
    );
    const findings = findingsFor(prepared!);
    placeSamples.push(
      cpuMs(() => placeFindings(findings, prepared!.reviewable, { maxInlineComments: 15 })),
    );
  }
  const result = prepared!;
  // As sent: the reply's schema stated in the system prompt counts too.
  const prompts = result.chunks.map((chunk) =>
    estimateMessageTokens(
      reviewChunk.sentMessages(reviewInput(chunk, pullRequest, result.chunks.length)),
    ),
  );
  const reviewedHunks = new Set(
    result.chunks.flatMap((chunk) => chunk.parts.map((part) => `${part.path}#${part.hunk}`)),
  );
  const changed = pull.files.reduce((sum, file) => sum + file.changes, 0);
  return {
    caps: label,
    files: pull.files.length,
    "changed lines": changed,
    hunks: result.hunkCount,
    "model calls": result.chunks.length,
    "largest prompt": Math.max(...prompts),
    "prompt budget": PROMPT_BUDGET,
    "hunks reviewed %": Number(((reviewedHunks.size / result.hunkCount) * 100).toFixed(1)),
    "not reviewed (files)": result.notReviewed.length,
    "prepare CPU ms (median)": Number(median(prepareSamples).toFixed(1)),
    "placement CPU ms (median)": Number(median(placeSamples).toFixed(1)),
  };
}

export default async function reviewBench(): Promise<BenchResult> {
  const defaults = reviewOptionsFrom(defaultRepoConfig());
  const rows = [
    await measure("above the PR", { ...defaults, maxFiles: 1000, maxChunks: 1000 }),
    await measure(`defaults (files ${defaults.maxFiles}, calls ${defaults.maxChunks})`, defaults),
  ];
  const uncapped = rows[0]!;
  const fits = rows.every((row) => Number(row["largest prompt"]) <= PROMPT_BUDGET);
  return {
    title: `review preparation: ${FILES} files, ${CHANGED_LINES} changed lines, ${CONTEXT_TOKENS}-token context`,
    rows,
    notes: [
      `largest prompt within the budget (${PROMPT_BUDGET} = ${CONTEXT_TOKENS} context − ${OUTPUT_RESERVE} output): ${fits ? "yes" : "NO"}`,
      `every hunk reviewed below the caps: ${uncapped["hunks reviewed %"] === 100 ? "yes" : "NO"}`,
      `CPU figures are medians of ${RUNS} runs (process.cpuUsage); placement is 1 finding per file shown, each off by one line.`,
    ],
    details: { promptBudget: PROMPT_BUDGET, runs: RUNS },
  };
}
