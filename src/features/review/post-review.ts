// Posting a review's inline comments as one `pulls.createReview`: a 422 costs the refused comments,
// never the review; they move to the summary, which is rendered again.
import type { Logger } from "probot";
import type { GitHubClient } from "../../github/client.js";
import { parseFindingFingerprint } from "../../github/finding-marker.js";
import { createMarkedReview, type ExistingReview } from "../../github/pull-request-review.js";
import type { PullRef } from "../../github/pull-request-files.js";
import { isCommentableRange, type FileDiff } from "../../github/pull-request-patch.js";
import {
  dropRejectedComments,
  isRejectedReview,
  type RejectedComment,
} from "./rejected-comments.js";
import { withRejectedComments, type ReviewOutcome } from "./review-pull-request.js";
import { nextReviewState } from "./state.js";
import { renderReviewSummary } from "./summary.js";

/** Each retry posts fewer comments, so this only bounds a GitHub that keeps refusing. */
const MAX_ATTEMPTS = 4;

export interface PostedReview {
  /** The outcome as posted: refused comments moved to the summary, not remembered as posted. */
  outcome: ReviewOutcome;
  /** The review's id; undefined when no comment was left to post. */
  reviewId?: number;
}

/**
 * The outcome when `existing` already covers the head: nothing is posted again. Its findings are
 * remembered as posted; this run's findings it does not carry move to the summary.
 */
export function reusePostedReview(prepared: ReviewOutcome, existing: ExistingReview): PostedReview {
  const carried = new Set(existing.fingerprints);
  const missing = (prepared.review?.comments ?? []).flatMap((comment): RejectedComment[] => {
    const fingerprint = parseFindingFingerprint(comment.body);
    if (fingerprint !== undefined && carried.has(fingerprint)) return [];
    return [
      {
        comment,
        reason: "the review already posted on this commit does not carry it",
        ...(fingerprint ? { fingerprint } : {}),
      },
    ];
  });
  const trimmed = withRejectedComments(prepared, missing);
  const state = nextReviewState(trimmed.state, {
    headSha: trimmed.state.headSha,
    posted: existing.fingerprints,
  });
  const summaryInput = { ...trimmed.summaryInput, inlineCount: existing.commentCount, state };
  return {
    outcome: {
      ...trimmed,
      review: undefined,
      state,
      summaryInput,
      summary: renderReviewSummary(summaryInput),
    },
    reviewId: existing.id,
  };
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
      const reviewId = await createMarkedReview(client, pull, outcome.review);
      return { outcome, reviewId };
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
