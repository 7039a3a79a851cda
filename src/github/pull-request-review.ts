// Symphony's reviews on GitHub: the one already posted on a head, found by its marker, and a new
// one created with that marker. What to post, and what to do when GitHub refuses some comments,
// is features/review/post-review.ts.
import type { RestEndpointMethodTypes } from "@octokit/rest";
import type { GitHubClient } from "./client.js";
import { parseFindingFingerprint } from "./finding-marker.js";
import { hasMarker, withMarker, type Marker } from "./markers.js";
import type { PullRef } from "./pull-request-files.js";

type CreateReviewParameters = RestEndpointMethodTypes["pulls"]["createReview"]["parameters"];

/** `pulls.createReview`'s body besides owner, repo and pull_number. */
export interface ReviewToPost {
  commit_id: string;
  event: NonNullable<CreateReviewParameters["event"]>;
  body: string;
  comments: NonNullable<CreateReviewParameters["comments"]>;
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

/** Posts the review, marked with the head it covers; its id. Throws what GitHub answered. */
export async function createMarkedReview(
  client: GitHubClient,
  pull: PullRef,
  review: ReviewToPost,
): Promise<number> {
  const { data } = await client.rest.pulls.createReview({
    ...pull,
    ...review,
    body: withMarker(review.body, reviewHeadMarker(review.commit_id)),
  });
  return data.id;
}
