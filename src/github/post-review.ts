// Posts a review's inline comments as one `pulls.createReview`; a 422 costs the refused comments, never the review.
import type { Logger } from "probot";
import { isCommentableRange, type FileDiff } from "../review/patch.js";
import {
  dropRejectedComments,
  isRejectedReview,
  type RejectedComment,
} from "../review/rejected-comments.js";
import { withRejectedComments, type ReviewOutcome } from "../review/review-pull-request.js";
import { parseFindingFingerprint } from "../review/state.js";
import type { GitHubClient } from "./client.js";
import type { PullRef } from "./pull-request-files.js";

/** Each retry posts fewer comments, so this only bounds a GitHub that keeps refusing. */
const MAX_ATTEMPTS = 4;

export interface PostedReview {
  /** The outcome as posted: refused comments moved to the summary, not remembered as posted. */
  outcome: ReviewOutcome;
  /** The review's id; undefined when no comment was left to post. */
  reviewId?: number;
}

/**
 * Comments that do not sit on the pull request's own diff. An incremental review places findings
 * on the diff between two heads; a line there that the pull request no longer changes (a commit
 * that reverts another) would make GitHub refuse the whole review.
 */
export function commentsOutsideDiff(
  outcome: ReviewOutcome,
  pullDiff: readonly FileDiff[],
): RejectedComment[] {
  const files = new Map(pullDiff.map((file) => [file.path, file]));
  return (outcome.review?.comments ?? []).flatMap((comment): RejectedComment[] => {
    const file = files.get(comment.path);
    const line = comment.line;
    if (file && line !== undefined && isCommentableRange(file, comment.start_line ?? line, line)) {
      return [];
    }
    const fingerprint = parseFindingFingerprint(comment.body);
    return [
      {
        comment,
        reason: "the line is no longer part of the pull request's diff",
        ...(fingerprint ? { fingerprint } : {}),
      },
    ];
  });
}

export async function postReview(
  client: GitHubClient,
  pull: PullRef,
  prepared: ReviewOutcome,
  pullDiff: readonly FileDiff[],
  log: Pick<Logger, "warn">,
): Promise<PostedReview> {
  const outside = commentsOutsideDiff(prepared, pullDiff);
  let outcome = outside.length > 0 ? withRejectedComments(prepared, outside) : prepared;
  for (let attempt = 1; outcome.review && attempt <= MAX_ATTEMPTS; attempt++) {
    try {
      const { data } = await client.rest.pulls.createReview({ ...pull, ...outcome.review });
      return { outcome, reviewId: data.id };
    } catch (error) {
      if (!isRejectedReview(error)) throw error;
      const retry = dropRejectedComments(outcome.review, error, pullDiff);
      log.warn(
        { err: error, refused: retry.dropped.map((item) => item.comment.path) },
        "GitHub refused the review; posting it again without the refused comments",
      );
      outcome = withRejectedComments(outcome, retry.dropped);
    }
  }
  if (outcome.review) {
    // Still refused after every retry: keep the findings in the summary rather than lose them.
    const all = outcome.review.comments.map((comment) => {
      const fingerprint = parseFindingFingerprint(comment.body);
      return {
        comment,
        reason: "GitHub kept refusing the review",
        ...(fingerprint ? { fingerprint } : {}),
      };
    });
    outcome = withRejectedComments(outcome, all);
  }
  return { outcome };
}
