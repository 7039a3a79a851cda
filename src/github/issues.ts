// Issues read and written by number or by label: the rolling refactor issue, the plan comment's
// link line and the events the Action rebuilds from a dispatch.
import type { GitHubClient, RepoRef } from "./client.js";

export type Issue = Awaited<ReturnType<GitHubClient["rest"]["issues"]["get"]>>["data"];

export type ListedIssue = Awaited<
  ReturnType<GitHubClient["rest"]["issues"]["listForRepo"]>
>["data"][number];

/** Every issue (and pull request) with the label, open or closed, oldest first. */
export async function* issuesWithLabel(
  client: GitHubClient,
  repo: RepoRef,
  label: string,
): AsyncGenerator<ListedIssue> {
  const pages = client.paginate.iterator(client.rest.issues.listForRepo, {
    ...repo,
    labels: label,
    state: "all",
    sort: "created",
    direction: "asc",
    per_page: 100,
  });
  for await (const page of pages) yield* page.data;
}

export async function fetchIssue(client: GitHubClient, repo: RepoRef, number: number) {
  const { data } = await client.rest.issues.get({ ...repo, issue_number: number });
  return data;
}

export async function fetchIssueComment(client: GitHubClient, repo: RepoRef, commentId: number) {
  const { data } = await client.rest.issues.getComment({ ...repo, comment_id: commentId });
  return data;
}

/** The issue's timeline of events (labelled, closed, ...), oldest first. */
export async function listIssueEvents(client: GitHubClient, repo: RepoRef, number: number) {
  return client.paginate(client.rest.issues.listEvents, {
    ...repo,
    issue_number: number,
    per_page: 100,
  });
}

export async function createIssue(
  client: GitHubClient,
  repo: RepoRef,
  issue: { title: string; body: string; labels: string[] },
) {
  const { data } = await client.rest.issues.create({ ...repo, ...issue });
  return data;
}

/** Rewrites the body, and the state when one is given. */
export async function updateIssue(
  client: GitHubClient,
  repo: RepoRef,
  number: number,
  change: { body: string; state?: "open" | "closed" },
) {
  const { data } = await client.rest.issues.update({ ...repo, issue_number: number, ...change });
  return data;
}

export async function updateIssueComment(
  client: GitHubClient,
  repo: RepoRef,
  commentId: number,
  body: string,
): Promise<void> {
  await client.rest.issues.updateComment({ ...repo, comment_id: commentId, body });
}
