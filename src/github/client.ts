// The GitHub client every feature receives: Probot's in the App, @octokit/rest in the Action and CLI.
import type { ProbotOctokit } from "probot";

/** The part of Octokit Symphony uses; both Probot's client and createRestOctokit's satisfy it. */
export type GitHubClient = Pick<ProbotOctokit, "rest" | "paginate" | "request">;

export interface RepoRef {
  owner: string;
  repo: string;
}

/** An issue or pull request, in Octokit's parameter names. */
export interface IssueRef extends RepoRef {
  issue_number: number;
}

/** One issue comment as the REST API returns it. */
export type IssueComment = Awaited<
  ReturnType<GitHubClient["rest"]["issues"]["listComments"]>
>["data"][number];
