import { describe, expect, it } from "vitest";
import { extractEpic, PROMPT_VERSION } from "../../src/agents/feature/prompt.js";
import { EpicSchema } from "../../src/agents/feature/schema.js";
import { MockModelRuntime } from "../support/mock-runtime.js";
import { epicReply, intentReply, planReply } from "./fixtures.js";

describe("Feature agent", () => {
  it("asks for an Epic with the brief and the issue in the prompt", async () => {
    const runtime = new MockModelRuntime().script("feature", epicReply());
    const { value } = await extractEpic.call(runtime, {
      mode: "plan",
      intent: intentReply(),
      issue_context: "Issue #42: Greet first-time contributors",
    });
    const [call] = runtime.calls;
    expect(call?.schema).toBe(EpicSchema);
    expect(call?.promptVersion).toBe(PROMPT_VERSION);
    expect(call?.messages[1]?.content).toContain("Welcome first-time issue authors");
    expect(call?.messages[1]?.content).toContain("Issue #42");
    expect(call?.messages[0]?.content).toContain("Leave subtasks out");
    expect(value.features).toHaveLength(2);
  });

  it("looking deeper sends the previous backlog and the design and asks for subtasks", async () => {
    const runtime = new MockModelRuntime().script("feature", epicReply());
    await extractEpic.call(runtime, {
      mode: "deeper",
      intent: intentReply(),
      issue_context: "",
      previous_epic: epicReply(),
      plan: planReply(),
    });
    const [system, user] = runtime.calls[0]?.messages ?? [];
    expect(system?.content).toContain("add subtasks to every feature");
    expect(user?.content).toContain("<previous_backlog>");
    expect(user?.content).toContain("src/handlers/welcome.ts");
  });
});
