// The issue as the agents read it: title, labels, body and the newest comments, within a budget.
import { z } from "zod";
import { cutWithNote, type EstimateTokens } from "./budget.js";

export const IssueCommentSchema = z.object({
  author: z.string(),
  body: z.string(),
  created_at: z.string().optional(),
});

export const IssueSchema = z.object({
  number: z.number().int().positive(),
  title: z.string(),
  body: z.string().nullable().optional(),
  labels: z.array(z.string()).default([]),
  /** Oldest first, as GitHub lists them. */
  comments: z.array(IssueCommentSchema).default([]),
});

export type IssueComment = z.infer<typeof IssueCommentSchema>;
export type Issue = z.infer<typeof IssueSchema>;
export type IssueInput = z.input<typeof IssueSchema>;

const MAX_TITLE_CHARS = 300;
const MAX_LABELS = 20;
const MAX_COMMENTS = 50;
const MAX_COMMENT_CHARS = 4_000;
/** Share of the issue's allowance the body may take when there are comments too. */
const BODY_SHARE = 0.6;

// Symphony's own comments (plans, status) carry this marker; feeding them back would echo the
// previous plan into the next one.
const SYMPHONY_MARKER = "<!-- symphony:";

/** The issue as prompt text within `maxTokens`; the body is cut with a visible note, newest comments kept. */
export function renderIssue(issue: Issue, maxTokens: number, estimate: EstimateTokens): string {
  const head = issueHead(issue);
  const headTokens = estimate(head);
  if (headTokens > maxTokens) return "";
  const body = (issue.body ?? "").trim() || "(no description)";
  const comments = issue.comments
    .filter((c) => !c.body.includes(SYMPHONY_MARKER))
    .slice(-MAX_COMMENTS)
    .map(renderComment);
  const room = maxTokens - headTokens;
  const commentsTokens =
    comments.length === 0 ? 0 : estimate(commentsBlock(comments, comments.length));
  const bodyRoom =
    comments.length === 0 ? room : Math.max(room * BODY_SHARE, room - commentsTokens);
  const bodyHead = "\nBody:\n";
  const cut = cutWithNote(
    body,
    Math.floor(bodyRoom) - estimate(bodyHead) - 1,
    estimate,
    "issue body",
  );
  const bodyText = `${bodyHead}${cut}\n`;
  const left = room - estimate(bodyText);
  return head + bodyText + newestCommentsWithin(comments, left, estimate);
}

function issueHead(issue: Issue): string {
  const title = issue.title.slice(0, MAX_TITLE_CHARS);
  const labels = issue.labels.slice(0, MAX_LABELS).join(", ") || "(none)";
  return `Issue #${issue.number}: ${title}\nLabels: ${labels}\n`;
}

function renderComment(comment: IssueComment): string {
  const when = comment.created_at ? ` (${comment.created_at})` : "";
  const body =
    comment.body.length > MAX_COMMENT_CHARS
      ? `${comment.body.slice(0, MAX_COMMENT_CHARS)} [… comment cut]`
      : comment.body;
  return `- ${comment.author}${when}: ${body.trim()}`;
}

function commentsBlock(comments: string[], kept: number): string {
  const dropped = comments.length - kept;
  const note = dropped > 0 ? `[${dropped} older comment(s) left out]\n` : "";
  return `\nComments (oldest first):\n${note}${comments.slice(comments.length - kept).join("\n")}\n`;
}

/** As many of the newest comments as fit, rendered oldest first. */
function newestCommentsWithin(comments: string[], maxTokens: number, estimate: EstimateTokens) {
  if (comments.length === 0) return "";
  let low = 0;
  let high = comments.length;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (estimate(commentsBlock(comments, middle)) <= maxTokens) low = middle;
    else high = middle - 1;
  }
  return low === 0 ? "" : commentsBlock(comments, low);
}
