// The status comment while the plan is being made: "Planning… 2/5 Feature agent".
import type { PlanProgress } from "../../agents/conductor/plan-steps.js";
import { AGENT_LABELS, PLAN_AGENT_NAMES, type PlanAgentName } from "../../agents/registry.js";
import { inlineProse } from "../../comments/sanitise.js";

/** The one-line status, also fit for logs and check-run titles. */
export function progressLine(progress: PlanProgress): string {
  return `Planning… ${progress.step}/${progress.total} ${progress.label}`;
}

/** The status comment body; without progress, the plan is queued and no agent has started. */
export function renderPlanProgress(progress?: PlanProgress): string {
  if (!progress) {
    return "**Planning…** queued; Symphony starts in a moment.\n\n_This comment will be replaced by the plan._";
  }
  const lines = [`**${progressLine(progress)}**`];
  // The restated problem, as soon as the Enhancer has one: the reader sees it was understood.
  if (progress.brief !== undefined) lines.push("", `> ${inlineProse(progress.brief)}`);
  // The full pipeline lists its steps; a one-step run (deeper) needs no list.
  if (progress.total === PLAN_AGENT_NAMES.length) {
    lines.push(
      "",
      ...PLAN_AGENT_NAMES.map((agent, i) => {
        const step = i + 1;
        const mark = markOf(progress, agent, step);
        return `- ${mark} ${step === progress.step ? progress.label : AGENT_LABELS[agent]}`;
      }),
    );
  }
  lines.push("", "_This comment will be replaced by the plan._");
  return lines.join("\n");
}

/** Done, running or waiting; with steps side by side the runner says which are which. */
function markOf(progress: PlanProgress, agent: PlanAgentName, step: number): string {
  if (progress.running !== undefined) {
    if (progress.running.includes(agent)) return "⏳";
    return progress.finished?.includes(agent) ? "✅" : "⬜";
  }
  return step < progress.step ? "✅" : step === progress.step ? "⏳" : "⬜";
}
