// Posts a review's inline comments as one `pulls.createReview`; a 422 costs the refused comments, never the review.
import type { Logger } from "probot";
import { isCommentableRange, type FileDiff } from "./pull-request-patch.js";
// eslint-disable-next-line no-restricted-imports -- posting a review still renders its summary and state here; to be split into features/review (#12)
import {
  dropRejectedComments,
  isRejectedReview,
  type RejectedComment,
} from "../features/review/rejected-comments.js";
// eslint-disable-next-line no-restricted-imports -- posting a review still renders its summary and state here; to be split into features/review (#12)
import {
  withRejectedComments,
  type ReviewOutcome,
} from "../features/review/review-pull-request.js";
// eslint-disable-next-line no-restricted-imports -- posting a review still renders its summary and state here; to be split into features/review (#12)
import { nextReviewState, parseFindingFingerprint } from "../features/review/state.js";
// eslint-disable-next-line no-restricted-imports -- posting a review still renders its summary and state here; to be split into features/review (#12)
import { renderReviewSummary } from "../features/review/summary.js";
import type { GitHubClient } from "./client.js";
import { hasMarker, withMarker, type Marker } from "./markers.js";
import type { PullRef } from "./pull-request-files.js";

/** Each retry posts fewer comments, so this only bounds a GitHub that keeps refusing. */
const MAX_ATTEMPTS = 4;

export interface PostedReview {
  /** The outcome as posted: refused comments moved to the summary, not remembered as posted. */
  outcome: ReviewOutcome;
  /** The review's id; undefined when no comment was left to post. */
  reviewId?: number;
}

/** A review Symphony already posted on the head, found again by its marker. */
export interface ExistingReview {
  id: number;
  /** The fingerprints its inline comments carry. */
  fingerprints: string[];
  commentCount: number;
}

/** `<!-- symphony:review-head:<sha> -->` in the review's body: which head the review covers. */
export function reviewHeadMarker(headSha: string): Marker {
  return { kind: "review-head", key: headSha };
}

/**
 * Symphony's review of `headSha`, when one is there already: a run that died after posting it and
 * before recording the head in the summary must not lead the next run to post a second one.
 * Only reviews by `author` count: anyone can paste the marker into a review of their own.
 */
export async function findPostedReview(
  client: GitHubClient,
  pull: PullRef,
  headSha: string,
  author: string,
): Promise<ExistingReview | undefined> {
  const reviews = await client.paginate(client.rest.pulls.listReviews, { ...pull, per_page: 100 });
  const login = author.toLowerCase();
  const found = reviews.find(
    (review) =>
      review.user?.login.toLowerCase() === login &&
      review.commit_id === headSha &&
      hasMarker(review.body, reviewHeadMarker(headSha)),
  );
  if (found === undefined) return undefined;
  const comments = await client.paginate(client.rest.pulls.listCommentsForReview, {
    ...pull,
    review_id: found.id,
    per_page: 100,
  });
  const fingerprints = comments.flatMap((comment) => {
    const fingerprint = parseFindingFingerprint(comment.body);
    return fingerprint ? [fingerprint] : [];
  });
  return { id: found.id, fingerprints, commentCount: comments.length };
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
      const request = outcome.review;
      const { data } = await client.rest.pulls.createReview({
        ...pull,
        ...request,
        body: withMarker(request.body, reviewHeadMarker(request.commit_id)),
      });
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
