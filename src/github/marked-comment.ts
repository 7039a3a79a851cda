// Finds Symphony's own comment by its hidden marker and updates it in place, so nothing piles up.
import type { GitHubClient, IssueComment, IssueRef } from "./client.js";
import { hasMarker, withMarker, type Marker } from "./markers.js";

/**
 * The first comment on the issue that carries the marker and was written by `author` (the app's
 * bot login), so a marker pasted by someone else is never mistaken for Symphony's.
 */
export async function findMarkedComment(
  client: GitHubClient,
  issue: IssueRef,
  marker: Marker,
  author: string,
): Promise<IssueComment | undefined> {
  const pages = client.paginate.iterator(client.rest.issues.listComments, {
    ...issue,
    per_page: 100,
  });
  for await (const page of pages) {
    const found = page.data.find(
      (comment) => isBy(comment, author) && hasMarker(comment.body, marker),
    );
    if (found !== undefined) return found;
  }
  return undefined;
}

export interface UpsertedComment {
  comment: IssueComment;
  /** False when an existing comment was edited (or already said exactly this). */
  created: boolean;
}

/** Edits the marked comment when there is one, else creates it; the marker is added if missing. */
export async function upsertMarkedComment(
  client: GitHubClient,
  issue: IssueRef,
  marker: Marker,
  body: string,
  author: string,
): Promise<UpsertedComment> {
  const text = withMarker(body, marker);
  const existing = await findMarkedComment(client, issue, marker, author);
  if (existing === undefined) {
    const { data } = await client.rest.issues.createComment({ ...issue, body: text });
    return { comment: data, created: true };
  }
  if (existing.body === text) return { comment: existing, created: false };
  const { data } = await client.rest.issues.updateComment({
    owner: issue.owner,
    repo: issue.repo,
    comment_id: existing.id,
    body: text,
  });
  return { comment: data, created: false };
}

function isBy(comment: IssueComment, login: string): boolean {
  return comment.user?.login.toLowerCase() === login.toLowerCase();
}
