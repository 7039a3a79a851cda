// Everything before the first model call: parse, skip, and cut the diff into chunks. Pure and fast.
import { planChunks, type ChunkPlan } from "./chunks.js";
import type { ReviewOptions } from "./options.js";
import type { PullFile } from "../../github/pull-request-patch.js";
import { selectReviewableFiles, type FileSelection } from "./skip.js";

export interface PreparedReview extends FileSelection, ChunkPlan {
  /** Hunks of the reviewable files, reviewed or not. */
  hunkCount: number;
}

export interface PrepareSettings {
  options: Pick<
    ReviewOptions,
    "ignore" | "defaultIgnores" | "maxFiles" | "maxChunks" | "contextLines"
  >;
  /** Tokens the diff text of one call may use (see `diffRoom` in agents/editor/review.ts). */
  budget: number;
  estimateTokens: (text: string) => number;
  headLines?: (path: string) => readonly string[] | undefined;
}

export function prepareReview(
  files: readonly PullFile[],
  settings: PrepareSettings,
): PreparedReview {
  const { options } = settings;
  const selection = selectReviewableFiles(files, options);
  const plan = planChunks(selection.reviewable, {
    budget: settings.budget,
    estimateTokens: settings.estimateTokens,
    maxChunks: options.maxChunks,
    maxFiles: options.maxFiles,
    contextLines: options.contextLines,
    ...(settings.headLines ? { headLines: settings.headLines } : {}),
  });
  const hunkCount = selection.reviewable.reduce((sum, file) => sum + file.hunks.length, 0);
  return { ...selection, ...plan, hunkCount };
}
