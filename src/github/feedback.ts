// What people did with Symphony's output, read from GitHub: reactions on its comments and its
// pull requests merged or closed. The Conductor learns from it; nothing else keeps it.
import type { GitHubClient, RepoRef } from "./client.js";

export interface ReactedComment {
  body: string;
  plusOne: number;
  minusOne: number;
}

export interface ClosedPullRequest {
  body: string;
  merged: boolean;
}

export interface Feedback {
  comments: ReactedComment[];
  pulls: ClosedPullRequest[];
}

/** The newest comments and closed pull requests looked at: one page of each. */
const PAGE = 100;

/**
 * The bot's own comments updated most recently in the repository, with their reaction counts,
 * and its closed pull requests (branches `symphony/…`): two requests, whatever the history.
 */
export async function readFeedback(
  client: GitHubClient,
  repo: RepoRef,
  botLogin: string,
): Promise<Feedback> {
  const [comments, pulls] = await Promise.all([
    client.rest.issues.listCommentsForRepo({
      ...repo,
      sort: "updated",
      direction: "desc",
      per_page: PAGE,
    }),
    client.rest.pulls.list({
      ...repo,
      state: "closed",
      sort: "updated",
      direction: "desc",
      per_page: PAGE,
    }),
  ]);
  const mine = (login: string | undefined) => login?.toLowerCase() === botLogin.toLowerCase();
  return {
    comments: comments.data
      .filter((comment) => mine(comment.user?.login))
      .map((comment) => ({
        body: comment.body ?? "",
        plusOne: comment.reactions?.["+1"] ?? 0,
        minusOne: comment.reactions?.["-1"] ?? 0,
      })),
    pulls: pulls.data
      .filter((pull) => pull.head.ref.startsWith("symphony/"))
      .map((pull) => ({ body: pull.body ?? "", merged: pull.merged_at !== null })),
  };
}
