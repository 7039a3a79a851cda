// What the implement status comment says: queued, planning first, implementing, then the outcome
// with a link to the pull request, or what went wrong and what to do.
import type { PlanProgress } from "../../agents/conductor/plan-steps.js";
import { inlineCode, inlineProse } from "../../comments/sanitise.js";
import type { ImplementResult } from "./types.js";

export const IMPLEMENT_QUEUED = "**Implementing…** queued; Symphony starts in a moment.";

export function renderPlanningFirst(progress?: PlanProgress): string {
  const step =
    progress === undefined ? "" : ` ${progress.step}/${progress.total} ${progress.label}`;
  return [
    `**Planning first…**${step}`,
    "",
    "This issue has no plan yet: the plan comment fills in, then the implementation starts.",
    "",
    "- ⏳ Plan",
    "- ⬜ Implement",
  ].join("\n");
}

export function renderImplementing(line: string, planned: boolean): string {
  const steps = planned ? ["- ✅ Plan", "- ⏳ Implement", ""] : [];
  return [`**Implementing…** ${inlineProse(line)}`, "", ...steps].join("\n").trimEnd();
}

export function renderImplementResult(result: ImplementResult): string {
  const done = result.tasks.filter(
    (t) => t.status === "committed" || t.status === "already_done",
  ).length;
  const total = result.tasks.length;
  const lines: string[] = [];
  if (result.pullRequest === undefined) {
    lines.push(
      `**Symphony could not implement any task** (0 of ${total}); no branch or pull request was created.`,
    );
  } else {
    const verb = result.pullRequest.created ? "Opened" : "Updated";
    lines.push(
      `✅ ${verb} draft pull request #${result.pullRequest.number} on ${inlineCode(result.branch)}: ${done} of ${total} task${total === 1 ? "" : "s"} committed.`,
    );
  }
  const problems = result.tasks.flatMap((task) => {
    if (task.status === "failed") {
      const files = task.files.map((f) => ` ${inlineCode(f.path)}: ${inlineProse(f.reason)}`);
      return [
        `- **${inlineProse(task.task_id)}** failed: ${inlineProse(task.reason)}.${files.join(";")}`,
      ];
    }
    if (task.status === "skipped") {
      return [`- **${inlineProse(task.task_id)}** not attempted: ${inlineProse(task.reason)}.`];
    }
    return [];
  });
  if (problems.length > 0) lines.push("", ...problems);
  if (done < total) {
    lines.push("", "Comment `/symphony implement` again to retry what did not go through.");
  }
  return lines.join("\n");
}

/** A failure before or around the tasks, in plain words: what happened and what to do. */
export function renderImplementFailure(reason: string, advice: string): string {
  return [
    "**Symphony could not implement this issue.**",
    "",
    `- **Why:** ${inlineProse(reason)}`,
    `- **What to do:** ${advice}`,
  ].join("\n");
}
