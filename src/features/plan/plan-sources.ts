// What the planning agents read about an issue on GitHub: its thread, the tree at the default
// branch's head, the README, and a reader for the files the Planner asks for at that same commit.
import type { IssueInput } from "../../context/issue.js";
import type { ReadRepositoryFile } from "../../context/requested-files.js";
import type { RepositoryTreeInput } from "../../context/tree.js";
import type { GitHubClient, RepoRef } from "../../github/client.js";
import {
  createFileReader,
  fetchIssueThread,
  fetchReadme,
  fetchRepositoryTree,
} from "../../github/repository-snapshot.js";
import { statusOf } from "../../github/http-status.js";

export interface PlanSources {
  issue: IssueInput;
  tree: RepositoryTreeInput;
  readme: string | undefined;
  readFile: ReadRepositoryFile;
  defaultBranch: string;
}

/** GitHub would not give Symphony what it needs to plan; the message says what and why. */
export class PlanSourcesError extends Error {
  override name = "PlanSourcesError";
  constructor(
    readonly what: string,
    override readonly cause: unknown,
  ) {
    super(`GitHub did not let Symphony read ${what}: ${describeGitHubError(cause)}`, { cause });
  }
}

export async function readPlanSourcesFromGitHub(
  client: GitHubClient,
  repo: RepoRef,
  issueNumber: number,
): Promise<PlanSources> {
  const [thread, tree] = await Promise.all([
    reading(`issue #${issueNumber}`, () =>
      fetchIssueThread(client, { ...repo, issue_number: issueNumber }),
    ),
    reading("the repository's file tree", () => fetchRepositoryTree(client, repo)),
  ]);
  const readme = await reading("the README", () =>
    fetchReadme(client, { ...repo, ref: tree.commitSha }),
  );
  return {
    issue: {
      number: thread.number,
      title: thread.title,
      body: thread.body,
      labels: thread.labels,
      comments: thread.comments,
    },
    tree: { entries: tree.entries, truncated: tree.truncated },
    readme,
    readFile: createFileReader(client, { ...repo, ref: tree.commitSha }),
    defaultBranch: tree.defaultBranch,
  };
}

async function reading<T>(what: string, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    throw new PlanSourcesError(what, error);
  }
}

/** GitHub's status and message, never a stack or a header. */
function describeGitHubError(error: unknown): string {
  const status = statusOf(error);
  if (status !== undefined) {
    // 409 is what the Git Trees API answers for a repository without commits.
    if (status === 409)
      return "the repository is empty (409); push a first commit, then try again.";
    if (status === 404 || status === 403) {
      return `${status}: check that the app is installed on this repository with read access to contents and issues.`;
    }
    const message = error instanceof Error ? error.message.split("\n")[0] : "";
    return `${status}${message ? ` (${message.slice(0, 200)})` : ""}`;
  }
  return error instanceof Error ? error.message.slice(0, 200) : "an unknown error";
}
