// A failed planning step, told in plain words: which agent, why, and what the user can do.
import {
  ContextOverflowError,
  ModelAbortedError,
  ModelNotFoundError,
  ModelOutputError,
  ModelOverloadedError,
  ModelRuntimeError,
  ModelTimeoutError,
  ModelUnavailableError,
} from "../../runner/errors.js";
import { ReplyCutOffError } from "../../runner/cut-off.js";
import { AGENT_LABELS, type PlanAgentName } from "../registry.js";

export class PlanStepError extends Error {
  override name = "PlanStepError";
  /** Why, in plain words; never a stack trace or a model's raw reply. */
  readonly reason: string;
  /** What the user can do about it. */
  readonly advice: string;

  constructor(
    readonly step: number,
    readonly total: number,
    readonly agent: PlanAgentName,
    override readonly cause: unknown,
  ) {
    const reason = reasonFor(cause);
    super(`${AGENT_LABELS[agent]} (step ${step} of ${total}) failed: ${reason}`, { cause });
    this.reason = reason;
    this.advice = adviceFor(cause);
  }
}

function reasonFor(cause: unknown): string {
  // Only the runner's messages are written for users; anything else may carry internals.
  if (cause instanceof ModelRuntimeError) return cause.message;
  const kind = cause instanceof Error ? cause.name : typeof cause;
  return `an unexpected error inside Symphony (${kind})`;
}

function adviceFor(cause: unknown): string {
  if (cause instanceof ModelNotFoundError) {
    return `Pull the model on the model host (\`ollama pull ${cause.model}\`), or choose another model for this agent in \`.github/symphony.yml\`, then comment \`/symphony plan\`.`;
  }
  if (cause instanceof ModelUnavailableError) {
    return "Check that the model host is running and reachable from Symphony, then comment `/symphony plan` to try again.";
  }
  if (cause instanceof ContextOverflowError) {
    return "Shorten the issue or lower the maximum context in `.github/symphony.yml`, or choose a model with a longer context, then comment `/symphony plan`.";
  }
  if (cause instanceof ReplyCutOffError) {
    return "The model ran out of output tokens. Ask the operator to raise `SYMPHONY_MAX_OUTPUT_TOKENS` (with `SYMPHONY_NUM_CTX_MAX`), or narrow the issue, then comment `/symphony plan`.";
  }
  if (cause instanceof ModelOutputError) {
    return "The model's reply did not fit the expected shape even after repairs. Comment `/symphony plan` to try again, or choose a larger model for this agent in `.github/symphony.yml`.";
  }
  if (cause instanceof ModelOverloadedError || cause instanceof ModelTimeoutError) {
    return "The model host is busy. Comment `/symphony plan` again in a few minutes.";
  }
  if (cause instanceof ModelAbortedError)
    return "The run was cancelled; comment `/symphony plan` to start it again.";
  return "Comment `/symphony plan` to try again; if it fails again, the app's logs have the details.";
}

/** `/symphony deeper` or a refinement asked for on an issue that has no plan yet. */
export class NoPlanYetError extends Error {
  override name = "NoPlanYetError";
  constructor(readonly issueNumber: number) {
    super(
      `Issue #${issueNumber} has no plan to build on yet: comment \`/symphony plan\` first, then \`/symphony deeper\`.`,
    );
  }
}
