// The plan comment on an issue (`<!-- symphony:plan:<n> -->`): where the plan is read back from,
// and what it says while a new plan is made or after one failed.
import type { PlanRecord } from "../../agents/conductor/plan-record.js";
import type { PlanProgress } from "../../agents/conductor/plan-steps.js";
import type { GitHubClient, IssueComment, RepoRef } from "../../github/client.js";
import { findMarkedComment } from "../../github/marked-comment.js";
import type { Marker } from "../../github/markers.js";
import { GITHUB_COMMENT_LIMIT } from "../../comments/comment-size.js";
import { renderPlanFailure } from "./failure.js";
import { parsePlanRecord, renderPlanComment } from "./plan-markdown.js";
import { planDataBlock } from "./plan-data.js";
import { renderPlanProgress } from "./progress.js";
import { inlineProse } from "../../comments/sanitise.js";
import { PlanSourcesError } from "./plan-sources.js";

export function planMarker(issueNumber: number): Marker {
  return { kind: "plan", key: String(issueNumber) };
}

export interface StoredPlan {
  comment: IssueComment;
  /** Undefined when the comment holds no readable plan (a failure, a run in progress). */
  record: PlanRecord | undefined;
}

/** Symphony's plan comment on the issue and the plan stored in it. */
export async function readStoredPlan(
  client: GitHubClient,
  repo: RepoRef,
  issueNumber: number,
  botLogin: string,
): Promise<StoredPlan | undefined> {
  const comment = await findMarkedComment(
    client,
    { ...repo, issue_number: issueNumber },
    planMarker(issueNumber),
    botLogin,
  );
  if (comment === undefined) return undefined;
  return { comment, record: parsePlanRecord(comment.body ?? "") };
}

// The hidden data of the plan being replaced rides along in progress and failure bodies, so a run
// that fails or is abandoned never loses the plan the issue had.
const KEPT_DATA_LIMIT = 30_000;

/** The status while planning; with the previous plan kept, hidden, until the new one is ready. */
export function renderPlanStatus(progress?: PlanProgress, previous?: PlanRecord): string {
  const body = renderPlanProgress(progress);
  if (previous === undefined) return body;
  return `${body}\n\n_The current plan comes back here if this run fails._\n\n${planDataBlock(previous, KEPT_DATA_LIMIT)}`;
}

/** The failure, followed by the previous plan when there was one, so it stays readable. */
export function renderPlanRunFailure(error: unknown, previous?: PlanRecord): string {
  const failure = renderFailure(error);
  if (previous === undefined) return failure;
  const separator = "\n\n---\n\n_The plan as it was before this run:_\n\n";
  const plan = renderPlanComment(previous);
  // The marker and a little slack are added by the caller.
  if (failure.length + separator.length + plan.length <= GITHUB_COMMENT_LIMIT - 200) {
    return `${failure}${separator}${plan}`;
  }
  return `${failure}\n\n${planDataBlock(previous, KEPT_DATA_LIMIT)}`;
}

function renderFailure(error: unknown): string {
  if (!(error instanceof PlanSourcesError)) return renderPlanFailure(error);
  return [
    "**Symphony could not finish the plan.**",
    "",
    `- **What failed:** reading ${inlineProse(error.what)} from GitHub, before any model ran.`,
    `- **Why:** ${inlineProse(error.message)}`,
    "- **What to do:** fix what the line above names, then comment `/symphony plan`.",
  ].join("\n");
}
