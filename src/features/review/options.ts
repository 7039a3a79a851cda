// The review settings the pure core needs, read from the repository's `.github/symphony.yml`.
import type { RepoConfig } from "../../config/index.js";

export interface ReviewOptions {
  /** Most inline comments in one review; the rest go to the summary (`review.max_inline_comments`). */
  maxInlineComments: number;
  /** Most reviewable files sent to the model; the rest are listed as not reviewed (`review.max_files`). */
  maxFiles: number;
  /** Most model calls (chunks) in one review; past it, the rest is listed as not reviewed. */
  maxChunks: number;
  /** Most tokens of diff per review call, below the model's own room (`review.max_diff_tokens`). */
  maxDiffTokens: number;
  /** Lines of the head file shown around each hunk where it fits. */
  contextLines: number;
  /** Globs of files never reviewed, on top of the built-in ones (`ignore`, `review.ignore`). */
  ignore: readonly string[];
  /** Whether the built-in globs (lock files, vendored, generated, minified, binary, build output) apply. */
  defaultIgnores: boolean;
  /** Whether the Planner writes design remarks and the walkthrough. */
  designRemarks: boolean;
  /** Whether the Code-Visualizer may draw a Mermaid diagram of the change. */
  diagram: boolean;
}

/** Settings the config file does not offer; the built-in skip globs always apply in the App. */
export const REVIEW_DEFAULTS = {
  defaultIgnores: true,
} as const satisfies Partial<ReviewOptions>;

export function reviewOptionsFrom(config: RepoConfig): ReviewOptions {
  return {
    ...REVIEW_DEFAULTS,
    maxInlineComments: config.review.max_inline_comments,
    maxFiles: config.review.max_files,
    maxChunks: config.review.max_chunks,
    maxDiffTokens: config.review.max_diff_tokens,
    contextLines: config.review.context_lines,
    designRemarks: config.review.design_remarks,
    diagram: config.review.diagram,
    ignore: [...config.ignore, ...config.review.ignore],
  };
}
