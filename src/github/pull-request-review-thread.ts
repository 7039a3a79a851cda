// One review thread of a pull request: its root comment, its replies, and a reply posted into it.
import type { GitHubClient } from "./client.js";
import type { PullRef } from "./pull-request-files.js";
import { listReviewCommentsOf, type ReviewCommentEntry } from "./review-dismissals.js";
import { isNotFound } from "./http-status.js";

export interface ReviewThread {
  root: ReviewCommentEntry;
  /** Oldest first, the root excluded. */
  replies: ReviewCommentEntry[];
}

/** The thread whose first comment is `rootId`; undefined when that comment is gone. */
export async function fetchReviewThread(
  client: GitHubClient,
  pull: PullRef,
  rootId: number,
): Promise<ReviewThread | undefined> {
  const comments = await listReviewCommentsOf(client, pull);
  const root = comments.find((comment) => comment.id === rootId);
  if (root === undefined) return undefined;
  const replies = comments
    .filter((comment) => comment.in_reply_to_id === rootId)
    .sort((a, b) => a.created_at.localeCompare(b.created_at));
  return { root, replies };
}

/** The thread's root comment alone, to tell whose thread it is before doing anything else. */
export async function fetchReviewComment(
  client: GitHubClient,
  pull: PullRef,
  commentId: number,
): Promise<ReviewCommentEntry | undefined> {
  try {
    const { data } = await client.rest.pulls.getReviewComment({
      owner: pull.owner,
      repo: pull.repo,
      comment_id: commentId,
    });
    return data;
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/** Posts `body` as a reply in the thread that `rootId` starts. */
export async function replyInThread(
  client: GitHubClient,
  pull: PullRef,
  rootId: number,
  body: string,
): Promise<void> {
  await client.rest.pulls.createReplyForReviewComment({ ...pull, comment_id: rootId, body });
}
