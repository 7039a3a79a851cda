// The draft pull request as reviewers read it: `Closes #<n>`, the task checklist mapped to
// commits, what failed and why, and the folded footer.
import { toPlanUsage, type PlanRecord } from "../agents/conductor/plan-record.js";
import { renderMarker } from "../github/markers.js";
import { GITHUB_COMMENT_LIMIT } from "../render/comment-size.js";
import { runDetails } from "../render/run-details.js";
import { inlineCode, inlineProse } from "../render/untrusted-text.js";
import type { UsageRecord } from "../runner/types.js";
import type { TaskOutcome } from "./types.js";

const TITLE_LIMIT = 200;

/** From the EPIC's name; a plan without one falls back to the issue's title as the Enhancer read it. */
export function pullRequestTitle(record: PlanRecord): string {
  const name = record.epic?.epic.name ?? record.intent.title;
  const title = name.replace(/\s+/g, " ").trim();
  return title.length <= TITLE_LIMIT ? title : `${title.slice(0, TITLE_LIMIT - 1)}…`;
}

export interface PullRequestBodyInput {
  issueNumber: number;
  tasks: readonly TaskOutcome[];
  usage: readonly UsageRecord[];
  record: PlanRecord;
  planUrl?: string;
}

export function renderPullRequestBody(input: PullRequestBodyInput): string {
  const { issueNumber, tasks } = input;
  const done = tasks.filter((t) => t.status === "committed" || t.status === "already_done").length;
  const plan = input.planUrl === undefined ? "plan" : `[plan](${input.planUrl})`;
  const lines = [
    renderMarker({ kind: "implement-pr", key: String(issueNumber) }),
    `Closes #${issueNumber}`,
    "",
    `Symphony implemented the ${plan} of #${issueNumber}: ${done} of ${tasks.length} task${tasks.length === 1 ? "" : "s"} committed, one commit per task. Nothing the model wrote was run; review every change before marking this ready.`,
    "",
    "### Tasks",
    "",
    ...tasks.map(checklistLine),
  ];
  const failures = tasks.flatMap(failureLines);
  if (failures.length > 0) lines.push("", "### What failed", "", ...failures);
  lines.push("", footer(input));
  const body = lines.join("\n");
  return body.length <= GITHUB_COMMENT_LIMIT
    ? body
    : `${body.slice(0, GITHUB_COMMENT_LIMIT - 40)}\n\n_(shortened to fit GitHub)_`;
}

function checklistLine(task: TaskOutcome): string {
  const name = `**${inlineProse(task.task_id)}** ${inlineProse(task.title)}`;
  switch (task.status) {
    case "committed":
    case "already_done":
      return `- [x] ${name}: ${task.commitSha}`;
    case "failed":
      return `- [ ] ${name}: failed, see below`;
    case "skipped":
      return `- [ ] ${name}: not attempted, ${inlineProse(task.reason)}`;
  }
}

function failureLines(task: TaskOutcome): string[] {
  if (task.status !== "failed") return [];
  const head = `- **${inlineProse(task.task_id)}** ${inlineProse(task.title)}: ${inlineProse(task.reason)}`;
  return [
    head,
    ...task.files.map((file) => `  - ${inlineCode(file.path)}: ${inlineProse(file.reason)}`),
  ];
}

function footer(input: PullRequestBodyInput): string {
  const hint =
    `To continue: comment \`/symphony implement\` on #${input.issueNumber} to retry what failed ` +
    "(new commits on this branch), or leave review comments here: each one gets a follow-up commit or a reply.";
  return runDetails(
    { ...input.record, usage: input.usage.map(toPlanUsage), context_notes: [] },
    hint,
  );
}
