// A failed plan as the terminal shows it: which step, why, and what to do at a terminal (run the
// command again) rather than on GitHub (comment `/symphony plan`, read the app's logs).
import { PlanStepError } from "../agents/conductor/plan-step-error.js";
import { AGENT_LABELS } from "../agents/registry.js";

const RETRY = "run `symphony plan` again";
const DETAILS = "`LOG_LEVEL=debug` shows the details";

/** The agents' advice is worded for a comment; these are its GitHub-only phrases. */
const COMMENT_AGAIN =
  /\b([Cc])omment `\/symphony plan`(?: again| to try again| to start it again)?/g;
const APP_LOGS = /the app's logs have the details/g;

export function renderTerminalPlanFailure(error: unknown): string {
  const lines = ["Symphony could not finish the plan."];
  if (error instanceof PlanStepError) {
    lines.push(
      `- What failed: step ${error.step} of ${error.total}, the ${AGENT_LABELS[error.agent]}.`,
      `- Why: ${error.reason}`,
      `- What to do: ${forTheTerminal(error.advice)}`,
    );
  } else {
    // The terminal is the operator's own: the message may name internals a comment must not.
    lines.push(
      `- Why: ${error instanceof Error ? error.message : String(error)}`,
      `- What to do: ${RETRY}; if it fails again, ${DETAILS}.`,
    );
  }
  return lines.join("\n");
}

export function forTheTerminal(advice: string): string {
  return advice
    .replace(COMMENT_AGAIN, (_phrase, c: string) => (c === "C" ? "R" : "r") + RETRY.slice(1))
    .replace(APP_LOGS, DETAILS);
}
