import { describe, expect, it } from "vitest";
import { visualizeLogic, PROMPT_VERSION } from "../../src/agents/visualizer/prompt.js";
import { VisualSchema } from "../../src/agents/visualizer/schema.js";
import { MockModelRuntime } from "../support/mock-runtime.js";
import { intentReply, planReply, taskListReply, visualReply } from "./fixtures.js";

describe("Code-Visualizer agent", () => {
  it("asks for a Visual with the design and the tasks in the prompt", async () => {
    const runtime = new MockModelRuntime().script("visualizer", visualReply());
    const { value } = await visualizeLogic.call(runtime, {
      intent: intentReply(),
      plan: planReply(),
      tasks: taskListReply().tasks,
    });
    const [call] = runtime.calls;
    expect(call?.schema).toBe(VisualSchema);
    expect(call?.promptVersion).toBe(PROMPT_VERSION);
    expect(call?.messages[1]?.content).toContain("Greet first issues");
    expect(call?.messages[1]?.content).toContain("Rate limits on search");
    expect(value.undefined_points).toHaveLength(1);
  });
});
