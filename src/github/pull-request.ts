// One pull request, its reviews and review comments, read by number or id.
import type { GitHubClient, RepoRef } from "./client.js";
import type { PullRef } from "./pull-request-files.js";

export async function fetchPullRequest(client: GitHubClient, pull: PullRef) {
  const { data } = await client.rest.pulls.get({ ...pull });
  return data;
}

export async function fetchReview(client: GitHubClient, pull: PullRef, reviewId: number) {
  const { data } = await client.rest.pulls.getReview({ ...pull, review_id: reviewId });
  return data;
}

/** Every review of the pull request, oldest first. */
export async function listReviews(client: GitHubClient, pull: PullRef) {
  return client.paginate(client.rest.pulls.listReviews, { ...pull, per_page: 100 });
}

export async function fetchPullRequestReviewComment(
  client: GitHubClient,
  repo: RepoRef,
  commentId: number,
) {
  const { data } = await client.rest.pulls.getReviewComment({ ...repo, comment_id: commentId });
  return data;
}
