// The plan comment points at the pull request that implements it: one line, added or replaced,
// the rest of the comment (its hidden plan data above all) left byte for byte as it was.
import type { GitHubClient, IssueComment, RepoRef } from "../../github/client.js";
import { updateIssueComment } from "../../github/issues.js";

const LINK_LINE = /^\*\*Implementation:\*\* .*<!-- symphony:plan-pr:\d+ -->$/m;

export function planLinkLine(pullRequest: { number: number; url: string }): string {
  return `**Implementation:** [draft pull request #${pullRequest.number}](${pullRequest.url}) <!-- symphony:plan-pr:${pullRequest.number} -->`;
}

/** The body with the link line after the comment's marker line (or replacing an older link). */
export function withPlanLink(body: string, pullRequest: { number: number; url: string }): string {
  const line = planLinkLine(pullRequest);
  if (LINK_LINE.test(body)) return body.replace(LINK_LINE, line);
  const newline = body.indexOf("\n");
  const first = newline < 0 ? body : body.slice(0, newline);
  if (/^<!-- symphony:[a-z-]+:[^ ]+ -->$/.test(first.trim())) {
    return `${first}\n${line}\n${newline < 0 ? "" : body.slice(newline + 1)}`;
  }
  return `${line}\n\n${body}`;
}

/** Edits the plan comment when its link is missing or stale; a deleted comment is no error. */
export async function linkPlanToPullRequest(
  client: GitHubClient,
  repo: RepoRef,
  comment: Pick<IssueComment, "id" | "body">,
  pullRequest: { number: number; url: string },
): Promise<void> {
  const body = comment.body ?? "";
  const next = withPlanLink(body, pullRequest);
  if (next === body) return;
  await updateIssueComment(client, repo, comment.id, next);
}
