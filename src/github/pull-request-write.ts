// Symphony's own pull requests: found by head branch, opened as drafts, their bodies kept current,
// and replies in review threads.
import type { GitHubClient, RepoRef } from "./client.js";
import { statusOf } from "./http-status.js";

export interface PullRequestLink {
  number: number;
  url: string;
}

export interface OpenPullRequest extends PullRequestLink {
  body: string;
}

/** The open pull request from `branch` (in this repository) into any base, if there is one. */
export async function findOpenPullRequest(
  client: GitHubClient,
  repo: RepoRef,
  branch: string,
): Promise<OpenPullRequest | undefined> {
  const { data } = await client.rest.pulls.list({
    ...repo,
    head: `${repo.owner}:${branch}`,
    state: "open",
    per_page: 10,
  });
  const found = data.find((pull) => pull.head.ref === branch);
  return found === undefined
    ? undefined
    : { number: found.number, url: found.html_url, body: found.body ?? "" };
}

/**
 * Opens a draft pull request. Repositories whose plan has no drafts answer 422; the pull
 * request is then opened ready for review, since a PR nobody can see helps no one.
 */
export async function openDraftPullRequest(
  client: GitHubClient,
  repo: RepoRef,
  input: { title: string; head: string; base: string; body: string },
): Promise<PullRequestLink> {
  try {
    const { data } = await client.rest.pulls.create({ ...repo, ...input, draft: true });
    return { number: data.number, url: data.html_url };
  } catch (error) {
    if (!refusesDrafts(error)) throw error;
    const { data } = await client.rest.pulls.create({ ...repo, ...input });
    return { number: data.number, url: data.html_url };
  }
}

/** The body as it is now: the webhook's copy may predate an earlier run's edit. */
export async function pullRequestBody(
  client: GitHubClient,
  repo: RepoRef,
  pullNumber: number,
): Promise<string> {
  const { data } = await client.rest.pulls.get({ ...repo, pull_number: pullNumber });
  return data.body ?? "";
}

export async function updatePullRequestBody(
  client: GitHubClient,
  repo: RepoRef,
  pullNumber: number,
  body: string,
): Promise<void> {
  await client.rest.pulls.update({ ...repo, pull_number: pullNumber, body });
}

/** One comment of a submitted review, as far as the follow-up needs it. */
export interface ReviewThreadComment {
  id: number;
  /** The thread's first comment, which replies must go to (GitHub has no replies to replies). */
  threadId: number;
  path: string;
  line: number | undefined;
  body: string;
  diffHunk: string;
  /** Where a reader finds the comment on GitHub. */
  url: string | undefined;
}

export async function listReviewComments(
  client: GitHubClient,
  repo: RepoRef,
  pullNumber: number,
  reviewId: number,
): Promise<ReviewThreadComment[]> {
  const comments = await client.paginate(client.rest.pulls.listCommentsForReview, {
    ...repo,
    pull_number: pullNumber,
    review_id: reviewId,
    per_page: 100,
  });
  return comments.map((comment) => ({
    id: comment.id,
    threadId: comment.in_reply_to_id ?? comment.id,
    path: comment.path,
    line: comment.line ?? comment.original_line ?? undefined,
    body: comment.body,
    diffHunk: comment.diff_hunk,
    url: comment.html_url,
  }));
}

export async function replyInThread(
  client: GitHubClient,
  repo: RepoRef,
  input: { pullNumber: number; threadId: number; body: string },
): Promise<void> {
  await client.rest.pulls.createReplyForReviewComment({
    ...repo,
    pull_number: input.pullNumber,
    comment_id: input.threadId,
    body: input.body,
  });
}

function refusesDrafts(error: unknown): boolean {
  if (statusOf(error) !== 422) return false;
  const message = error instanceof Error ? error.message : "";
  return /draft/i.test(message);
}
