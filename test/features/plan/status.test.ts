import { describe, expect, it } from "vitest";
import { NoPlanYetError, PlanStepError } from "../../../src/agents/conductor/plan-step-error.js";
import { renderPlanFailure } from "../../../src/features/plan/failure.js";
import { progressLine, renderPlanProgress } from "../../../src/features/plan/progress.js";
import { ModelNotFoundError, ModelOutputError } from "../../../src/runner/errors.js";

describe("status comment", () => {
  it("says which agent is running and which are done", () => {
    const progress = { step: 2, total: 5, agent: "feature" as const, label: "Feature agent" };
    expect(progressLine(progress)).toBe("Planning… 2/5 Feature agent");
    expect(renderPlanProgress(progress)).toMatchInlineSnapshot(`
      "**Planning… 2/5 Feature agent**

      - ✅ Enhancer-Prompt agent
      - ⏳ Feature agent
      - ⬜ Planner agent
      - ⬜ Coordinator agent
      - ⬜ Code-Visualizer agent

      _This comment will be replaced by the plan._"
    `);
  });

  it("says the plan is queued before any agent runs", () => {
    expect(renderPlanProgress()).toContain("**Planning…** queued");
  });

  it("says which step failed, why in plain words and what to do", () => {
    const error = new PlanStepError(
      2,
      5,
      "feature",
      new ModelNotFoundError("qwen2.5-coder:14b", "http://gpu-1:11434"),
    );
    expect(renderPlanFailure(error)).toMatchInlineSnapshot(`
      "**Symphony could not finish the plan.**

      - **What failed:** step 2 of 5, the Feature agent.
      - **Why:** model qwen2.5-coder:14b is not on the Ollama host http://gpu-1:11434: run <code>ollama pull qwen2.5-coder:14b</code>
      - **What to do:** Pull the model on the model host (\`ollama pull qwen2.5-coder:14b\`), or choose another model for this agent in \`.github/symphony.yml\`, then comment \`/symphony plan\`."
    `);
  });

  it("never shows a model's raw reply or an unexpected error's message", () => {
    const unusable = new PlanStepError(
      3,
      5,
      "planner",
      new ModelOutputError("the reply did not match", "SECRET RAW REPLY", []),
    );
    expect(renderPlanFailure(unusable)).not.toContain("SECRET RAW REPLY");
    const body = renderPlanFailure(
      new PlanStepError(4, 5, "coordinator", new TypeError("x is undefined at /srv/app.js:1")),
    );
    expect(body).toContain("an unexpected error inside Symphony (TypeError)");
    expect(body).not.toContain("/srv/app.js");
    expect(renderPlanFailure(new Error("boom at line 3"))).not.toContain("boom");
  });

  it("asks for a plan first when there is none to look deeper into", () => {
    expect(renderPlanFailure(new NoPlanYetError(42))).toContain(
      "comment <code>/symphony plan</code> first",
    );
  });
});
