// What people did with Symphony's output, read from GitHub: reactions on its comments, its pull
// requests merged or closed, issues closed as not planned. The Conductor learns from it; nothing
// else keeps it.
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
  /** Issues (not pull requests) closed as not planned, by number. */
  notPlanned: number[];
}

/** The newest comments, closed pull requests and closed issues looked at: one page of each. */
const PAGE = 100;

/**
 * The bot's own comments updated most recently in the repository, with their reaction counts,
 * its closed pull requests (branches `symphony/…`) and the issues closed as not planned: three
 * requests, whatever the history.
 */
export async function readFeedback(
  client: GitHubClient,
  repo: RepoRef,
  botLogin: string,
): Promise<Feedback> {
  const [comments, pulls, issues] = await Promise.all([
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
    client.rest.issues.listForRepo({
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
    notPlanned: issues.data
      .filter((issue) => issue.pull_request === undefined && issue.state_reason === "not_planned")
      .map((issue) => issue.number),
  };
}
