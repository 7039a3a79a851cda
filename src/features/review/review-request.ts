// The body of `pulls.createReview`: one review, event COMMENT, a comment per placed finding.
import type { RestEndpointMethodTypes } from "@octokit/rest";
import type { Severity } from "../../agents/editor/review.js";
import type { PlacedFinding } from "./placement.js";
import { findingMarker } from "../../github/finding-marker.js";
import { renderFindingState } from "./finding-state.js";
import { clip, codeBlock, untrustedLine, proseBlock } from "../../comments/sanitise.js";

type CreateReviewParameters = RestEndpointMethodTypes["pulls"]["createReview"]["parameters"];
export type ReviewComment = NonNullable<CreateReviewParameters["comments"]>[number];

/** What goes into `pulls.createReview` besides owner, repo and pull_number. */
export interface ReviewRequest {
  commit_id: string;
  event: "COMMENT";
  body: string;
  comments: ReviewComment[];
}

export const SEVERITY_LABELS: Readonly<Record<Severity, string>> = {
  critical: "🔴 Critical",
  major: "🟠 Major",
  minor: "🟡 Minor",
  nit: "⚪ Nit",
};

/** Severity, rule and title on top; the hidden fingerprint first, so no model text can hide it. */
export function reviewCommentBody(placed: PlacedFinding): string {
  const { finding } = placed;
  const parts = [
    findingMarker(placed.fingerprint),
    `**${SEVERITY_LABELS[finding.severity]}** · \`${finding.rule}\` · **${untrustedLine(finding.title, 200)}**`,
  ];
  const body = proseBlock(clip(finding.body.trim(), 4000));
  if (body !== "") parts.push("", body);
  if (placed.suggestion !== undefined) parts.push("", codeBlock(placed.suggestion, "suggestion"));
  // Last, where the one codec reads it: what the Conductor learns from this comment's fate.
  if (placed.arm !== undefined)
    parts.push(renderFindingState(placed.arm, finding, placed.suggestion));
  return parts.join("\n");
}

export function reviewComment(placed: PlacedFinding): ReviewComment {
  return {
    path: placed.path,
    line: placed.lastLine,
    side: "RIGHT",
    ...(placed.firstLine < placed.lastLine
      ? { start_line: placed.firstLine, start_side: "RIGHT" }
      : {}),
    body: reviewCommentBody(placed),
  };
}

/** Undefined when nothing is placed: a clean pull request gets the summary and no review. */
export function buildReviewRequest(
  inline: readonly PlacedFinding[],
  options: { headSha: string; body?: string },
): ReviewRequest | undefined {
  if (inline.length === 0) return undefined;
  const count = inline.length === 1 ? "1 comment" : `${inline.length} comments`;
  return {
    commit_id: options.headSha,
    event: "COMMENT",
    body:
      options.body ??
      `Symphony left ${count} on the changed lines; the summary is in the conversation.`,
    comments: inline.map(reviewComment),
  };
}
