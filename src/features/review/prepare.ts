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
    "ignore" | "defaultIgnores" | "maxFiles" | "maxChunks" | "maxDiffTokens" | "contextLines"
  >;
  /**
   * Tokens the diff text of one call has room for (see `diffRoom` in agents/editor/review.ts);
   * a chunk takes at most `maxDiffTokens` of it.
   */
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
  // The model's room, but never more than the configured share: a small model reviews a short
  // diff better than its whole context full of one.
  const plan = planChunks(selection.reviewable, {
    budget: Math.min(settings.budget, options.maxDiffTokens),
    estimateTokens: settings.estimateTokens,
    maxChunks: options.maxChunks,
    maxFiles: options.maxFiles,
    contextLines: options.contextLines,
    ...(settings.headLines ? { headLines: settings.headLines } : {}),
  });
  const hunkCount = selection.reviewable.reduce((sum, file) => sum + file.hunks.length, 0);
  return { ...selection, ...plan, hunkCount };
}
