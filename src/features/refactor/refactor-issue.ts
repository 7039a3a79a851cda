// The one rolling issue of refactor suggestions on GitHub: found by label and hidden marker,
// created once, then edited (and reopened on request) in place.
import type { GitHubClient, RepoRef } from "../../github/client.js";
import {
  createIssue,
  fetchIssue,
  issuesWithLabel,
  updateIssue,
  type ListedIssue,
} from "../../github/issues.js";
import { isRollingIssue, ROLLING_ISSUE_LABEL, ROLLING_ISSUE_TITLE } from "./rolling-issue.js";

export interface RollingIssue {
  number: number;
  url: string;
  state: "open" | "closed";
  body: string;
}

/**
 * The rolling issue: the open one when there is one, else the most recently closed. Only issues
 * a bot wrote count (Symphony's App or the Action's token), so a person's copy of the marker
 * never takes its place.
 */
export async function findRollingIssue(
  client: GitHubClient,
  repo: RepoRef,
): Promise<RollingIssue | undefined> {
  let open: ListedIssue | undefined;
  let closed: ListedIssue | undefined;
  for await (const issue of issuesWithLabel(client, repo, ROLLING_ISSUE_LABEL)) {
    if (issue.pull_request || issue.user?.type !== "Bot" || !isRollingIssue(issue.body)) continue;
    if (issue.state === "open") open ??= issue;
    else if (!closed || (issue.closed_at ?? "") > (closed.closed_at ?? "")) closed = issue;
  }
  const found = open ?? closed;
  return found && asRollingIssue(found);
}

/** The issue's current body and state, read again just before it is rewritten. */
export async function fetchRollingIssue(
  client: GitHubClient,
  repo: RepoRef,
  number: number,
): Promise<RollingIssue> {
  return asRollingIssue(await fetchIssue(client, repo, number));
}

/** Creates the issue, or rewrites the existing one's body, reopening it when it was closed. */
export async function writeRollingIssue(
  client: GitHubClient,
  repo: RepoRef,
  existing: RollingIssue | undefined,
  body: string,
): Promise<RollingIssue> {
  if (existing === undefined) {
    const created = await createIssue(client, repo, {
      title: ROLLING_ISSUE_TITLE,
      body,
      labels: [ROLLING_ISSUE_LABEL],
    });
    return asRollingIssue(created);
  }
  const updated = await updateIssue(client, repo, existing.number, {
    body,
    ...(existing.state === "closed" ? { state: "open" as const } : {}),
  });
  return asRollingIssue(updated);
}

/** Rewrites only the body (a suggestion's line gaining its pull request link). */
export async function editRollingIssueBody(
  client: GitHubClient,
  repo: RepoRef,
  number: number,
  body: string,
): Promise<void> {
  await updateIssue(client, repo, number, { body });
}

function asRollingIssue(issue: {
  number: number;
  html_url: string;
  state: string;
  body?: string | null;
}): RollingIssue {
  return {
    number: issue.number,
    url: issue.html_url,
    state: issue.state === "closed" ? "closed" : "open",
    body: issue.body ?? "",
  };
}
