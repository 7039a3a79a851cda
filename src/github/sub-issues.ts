// GitHub's sub-issues: issues filed under a parent issue (REST, `/issues/{n}/sub_issues`).
import type { GitHubClient, IssueRef, RepoRef } from "./client.js";

/** A sub-issue as Symphony reads it back. */
export interface SubIssue {
  /** The issue's id (not its number): what the sub-issues API links by. */
  id: number;
  number: number;
  title: string;
  body: string;
  state: string;
  url: string;
  author: string | undefined;
}

/** Every sub-issue of the parent, in GitHub's order. */
export async function listSubIssues(client: GitHubClient, parent: IssueRef): Promise<SubIssue[]> {
  const issues = await client.paginate(client.rest.issues.listSubIssues, {
    ...parent,
    per_page: 100,
  });
  return issues.map(toSubIssue);
}

/**
 * Every issue (open or closed, pull requests left out) that `creator` opened in the repository:
 * where Symphony finds the issues it filed whose link under the parent never happened.
 */
export async function listIssuesCreatedBy(
  client: GitHubClient,
  repo: RepoRef,
  creator: string,
): Promise<SubIssue[]> {
  const issues = await client.paginate(client.rest.issues.listForRepo, {
    owner: repo.owner,
    repo: repo.repo,
    creator,
    state: "all",
    per_page: 100,
  });
  return issues.filter((issue) => issue.pull_request === undefined).map(toSubIssue);
}

/** Links an existing issue under the parent, by the issue's id. */
export async function linkSubIssue(
  client: GitHubClient,
  parent: IssueRef,
  subIssueId: number,
): Promise<void> {
  await client.rest.issues.addSubIssue({ ...parent, sub_issue_id: subIssueId });
}

function toSubIssue(issue: {
  id: number;
  number: number;
  title: string;
  body?: string | null;
  state: string;
  html_url: string;
  user: { login: string } | null;
}): SubIssue {
  return {
    id: issue.id,
    number: issue.number,
    title: issue.title,
    body: issue.body ?? "",
    state: issue.state,
    url: issue.html_url,
    author: issue.user?.login,
  };
}

export interface SubIssueContent {
  title: string;
  body: string;
}

/** Files a new issue and links it under the parent. */
export async function fileSubIssue(
  client: GitHubClient,
  parent: IssueRef,
  content: SubIssueContent,
): Promise<SubIssue> {
  const { data: created } = await client.rest.issues.create({
    owner: parent.owner,
    repo: parent.repo,
    title: content.title,
    body: content.body,
  });
  await linkSubIssue(client, parent, created.id);
  return toSubIssue(created);
}

/** Rewrites a sub-issue's title and body; its state and links stay as they are. */
export async function updateSubIssue(
  client: GitHubClient,
  repo: RepoRef,
  issueNumber: number,
  content: SubIssueContent,
): Promise<void> {
  await client.rest.issues.update({
    owner: repo.owner,
    repo: repo.repo,
    issue_number: issueNumber,
    title: content.title,
    body: content.body,
  });
}
