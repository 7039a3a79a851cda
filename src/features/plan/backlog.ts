// `/symphony backlog`: the plan's features filed as sub-issues of the issue, once; run again, it
// updates the issues it filed instead of filing twins.
import type { Logger } from "probot";
import type { CommandInvocation, SymphonyCommand } from "../../app/commands.js";
import type { GitHubClient, IssueRef } from "../../github/client.js";
import { parseMarkers } from "../../github/markers.js";
import type { StatusComment } from "../../github/status-comment.js";
import {
  fileSubIssue,
  linkSubIssue,
  listIssuesCreatedBy,
  listSubIssues,
  updateSubIssue,
  type SubIssue,
} from "../../github/sub-issues.js";
import {
  featureIssues,
  renderBacklogReport,
  type BacklogOutcome,
  type FeatureIssue,
} from "./backlog-issue.js";
import { readStoredPlan } from "./plan-comment.js";
import { startRun } from "../../app/start-run.js";

export const backlogCommand: SymphonyCommand = {
  name: "backlog",
  usage: "/symphony backlog",
  summary: "File the plan's features as sub-issues of this issue; run again to update them.",
  run: (invocation) => requestBacklog(invocation),
};

async function requestBacklog({ context, config, services, log }: CommandInvocation) {
  const { issue } = context.payload;
  if (issue.pull_request !== undefined) {
    log.info("ignored: a backlog is filed for an issue, not a pull request");
    return;
  }
  const client = context.octokit;
  const parent: IssueRef = { ...context.repo(), issue_number: issue.number };
  const outcome = await startRun({
    client,
    repo: context.repo(),
    services,
    config,
    event: {
      name: "issue_comment.created",
      deliveryId: context.id,
      sender: context.payload.sender.login,
      commentId: context.payload.comment.id,
    },
    number: issue.number,
    marker: { kind: "backlog", key: String(issue.number) },
    initialStatus: "**Filing the backlog…** Symphony is reading the plan.",
    whileRunning: "ignore",
    log,
    run: async ({ status, log: runLog }) => {
      await fileBacklog(client, parent, await services.botLogin(), status, runLog);
      runLog.info("backlog filed");
    },
  });
  log.info({ outcome }, "backlog requested");
}

/** Reads the plan from the plan comment and files or updates one sub-issue per feature. */
export async function fileBacklog(
  client: GitHubClient,
  parent: IssueRef,
  botLogin: string,
  status: StatusComment,
  log: Logger,
): Promise<BacklogOutcome | undefined> {
  const stored = await readStoredPlan(client, parent, parent.issue_number, botLogin);
  const epic = stored?.record?.epic;
  if (epic === undefined) {
    await status.flush(
      stored?.record === undefined
        ? "**There is no plan on this issue yet**, so there is no backlog to file.\n\nComment `/symphony plan` first, then `/symphony backlog`."
        : "**This issue was answered as a question**, so the plan has no features to file.\n\nComment `/symphony plan <what you want changed>` for a plan, then `/symphony backlog`.",
    );
    return undefined;
  }
  const existing = await filedBefore(client, parent, botLogin, log);
  const wanted = featureIssues(parent.issue_number, epic);
  const outcome: BacklogOutcome = { filed: [], updated: [], unchanged: [], stale: [] };
  for (const item of wanted) {
    await fileOrUpdate(client, parent, item, existing, outcome);
    status.update(`**Filing the backlog…** ${progress(outcome)} of ${wanted.length} features.`);
  }
  const keys = new Set(wanted.map((item) => item.marker.key));
  outcome.stale = existing
    .filter((issue) => ownKeys(issue, parent.issue_number).some((key) => !keys.has(key)))
    .map((issue) => ({ number: issue.number, title: issue.title }));
  await status.flush(renderBacklogReport(outcome));
  return outcome;
}

/**
 * The issues Symphony filed for this parent's features: its sub-issues, and issues whose link
 * under the parent failed after they were created (found by creator and marker, and linked now),
 * so that a run after a half-done one updates them instead of filing twins.
 */
async function filedBefore(
  client: GitHubClient,
  parent: IssueRef,
  botLogin: string,
  log: Logger,
): Promise<SubIssue[]> {
  const mine = (issue: SubIssue) => issue.author?.toLowerCase() === botLogin.toLowerCase();
  const linked = (await listSubIssues(client, parent)).filter(mine);
  const linkedIds = new Set(linked.map((issue) => issue.id));
  const unlinked = (await listIssuesCreatedBy(client, parent, botLogin)).filter(
    (issue) =>
      mine(issue) && !linkedIds.has(issue.id) && ownKeys(issue, parent.issue_number).length > 0,
  );
  for (const issue of unlinked) {
    // Still updated when the link fails again (it may sit under another parent now): never a twin.
    await linkSubIssue(client, parent, issue.id).catch((error: unknown) => {
      log.warn({ err: error, issue: issue.number }, "could not link an earlier backlog issue");
    });
  }
  return [...linked, ...unlinked];
}

async function fileOrUpdate(
  client: GitHubClient,
  parent: IssueRef,
  item: FeatureIssue,
  existing: readonly SubIssue[],
  outcome: BacklogOutcome,
): Promise<void> {
  const content = { title: item.title, body: item.body };
  const match = existing.find((issue) =>
    ownKeys(issue, parent.issue_number).includes(item.marker.key),
  );
  if (match === undefined) {
    const filed = await fileSubIssue(client, parent, content);
    outcome.filed.push({ feature: item.feature, number: filed.number });
  } else if (match.title === content.title && match.body === content.body) {
    outcome.unchanged.push({ feature: item.feature, number: match.number });
  } else {
    await updateSubIssue(client, parent, match.number, content);
    outcome.updated.push({ feature: item.feature, number: match.number });
  }
}

/** The feature keys of this parent that a sub-issue's body carries. */
function ownKeys(issue: SubIssue, parentNumber: number): string[] {
  return parseMarkers(issue.body)
    .filter((m) => m.kind === "backlog-item" && m.key.startsWith(`${parentNumber}:`))
    .map((m) => m.key);
}

function progress(outcome: BacklogOutcome): number {
  return outcome.filed.length + outcome.updated.length + outcome.unchanged.length;
}
