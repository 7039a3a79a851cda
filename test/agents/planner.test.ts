import { describe, expect, it } from "vitest";
import { designPlan, PROMPT_VERSION } from "../../src/agents/planner/prompt.js";
import { PlanReplySchema } from "../../src/agents/planner/schema.js";
import { MockModelRuntime } from "../support/mock-runtime.js";
import { epicReply, intentReply, planReply } from "./fixtures.js";

const input = {
  intent: intentReply(),
  epic: epicReply(),
  issue_context: "Issue #42: Greet first-time contributors",
  readme: "A Probot app that triages issues.",
  file_tree: "Repository files (2 files):\nsrc/index.ts\nsrc/handlers/issues.ts\n",
  file_contents: "",
};

describe("Planner agent", () => {
  it("asks for a Plan with the backlog, README and file tree in the prompt", async () => {
    const runtime = new MockModelRuntime().script("planner", planReply());
    await designPlan.call(runtime, input);
    const [call] = runtime.calls;
    expect(call?.schema).toBe(PlanReplySchema);
    expect(call?.promptVersion).toBe(PROMPT_VERSION);
    const prompt = call?.messages[1]?.content ?? "";
    expect(prompt).toContain("EPIC-42");
    expect(prompt).toContain("A Probot app that triages issues.");
    expect(prompt).toContain("src/handlers/issues.ts");
    expect(prompt).not.toContain("<file_contents>");
  });

  it("sends the contents of the files read before it, in the one design call", async () => {
    const runtime = new MockModelRuntime().script("planner", planReply());
    await designPlan.call(runtime, {
      ...input,
      file_contents: "--- src/handlers/issues.ts\nexport function onIssue() {}",
    });
    const [, user] = runtime.calls[0]?.messages ?? [];
    expect(user?.content).toContain("<file_contents>\n--- src/handlers/issues.ts");
    expect(runtime.calls).toHaveLength(1);
  });
});
