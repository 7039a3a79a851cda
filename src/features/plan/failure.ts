// The status comment when planning fails: which step, why in plain words, what to do. Never a
// stack trace, a raw model reply or a half-rendered plan.
import { NoPlanYetError, PlanStepError } from "../../agents/conductor/plan-step-error.js";
import { AGENT_LABELS } from "../../agents/registry.js";
import { inlineProse } from "../../comments/sanitise.js";

export function renderPlanFailure(error: unknown): string {
  const lines = ["**Symphony could not finish the plan.**", ""];
  if (error instanceof PlanStepError) {
    lines.push(
      `- **What failed:** step ${error.step} of ${error.total}, the ${AGENT_LABELS[error.agent]}.`,
      `- **Why:** ${inlineProse(error.reason)}`,
      `- **What to do:** ${error.advice}`,
    );
  } else if (error instanceof NoPlanYetError) {
    lines.push(`- **Why:** ${inlineProse(error.message)}`);
  } else {
    lines.push(
      "- **Why:** an unexpected error inside Symphony.",
      "- **What to do:** comment `/symphony plan` to try again; if it fails again, the app's logs have the details.",
    );
  }
  return lines.join("\n");
}
