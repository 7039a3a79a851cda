// A failed plan at the terminal: the agents' advice, worded for someone who runs the command.
import { describe, expect, it } from "vitest";
import { PlanStepError } from "../../src/agents/conductor/plan-step-error.js";
import { renderTerminalPlanFailure } from "../../src/cli/plan-failure.js";
import { ReplyCutOffError } from "../../src/runner/cut-off.js";
import {
  ContextOverflowError,
  ModelAbortedError,
  ModelNotFoundError,
  ModelOutputError,
  ModelOverloadedError,
  ModelTimeoutError,
  ModelUnavailableError,
} from "../../src/runner/errors.js";

const HOST = "http://127.0.0.1:11434";

describe("a failed plan at the terminal", () => {
  it.each([
    ["the model host is down", new ModelUnavailableError("connection refused", HOST)],
    ["the model is missing", new ModelNotFoundError("qwen2.5-coder:14b", HOST)],
    ["the prompt is too long", new ContextOverflowError("qwen2.5-coder:14b", 9000, 8192)],
    ["the reply was cut", new ReplyCutOffError("qwen2.5-coder:14b", 4096, "{")],
    ["the reply is unusable", new ModelOutputError("not the shape", "{}", [])],
    ["the host is busy", new ModelOverloadedError(HOST, 32)],
    ["the call timed out", new ModelTimeoutError(HOST, 900_000)],
    ["the run was cancelled", new ModelAbortedError("aborted")],
    ["something unexpected broke", new TypeError("x is undefined")],
  ])("when %s, says to run the command again, never to comment", (_when, cause) => {
    const text = renderTerminalPlanFailure(new PlanStepError(2, 5, "feature", cause));

    expect(text).toMatch(/^Symphony could not finish the plan\.\n- What failed: step 2 of 5/);
    expect(text).toMatch(/[Rr]un `symphony plan` again/);
    expect(text).not.toMatch(/comment|`\/symphony|app's logs|\*\*/i);
  });

  it("gives the message of an error outside the pipeline's steps, for the operator at hand", () => {
    expect(renderTerminalPlanFailure(new Error("disk full"))).toBe(
      [
        "Symphony could not finish the plan.",
        "- Why: disk full",
        "- What to do: run `symphony plan` again; if it fails again, `LOG_LEVEL=debug` shows the details.",
      ].join("\n"),
    );
  });
});
