import { describe, expect, it } from "vitest";
import { designPlan, PROMPT_VERSION } from "../../src/agents/planner/prompt.js";
import { PlanSchema } from "../../src/agents/planner/schema.js";
import { MockModelRuntime } from "../support/mock-runtime.js";
import { epicReply, intentReply, planReply } from "./fixtures.js";

const input = {
  intent: intentReply(),
  epic: epicReply(),
  issue_context: "Issue #42: Greet first-time contributors",
  readme: "A Probot app that triages issues.",
  file_tree: "Repository files (2 files):\nsrc/index.ts\nsrc/handlers/issues.ts\n",
  may_request_files: true,
};

describe("Planner agent", () => {
  it("asks for a Plan with the backlog, README and file tree in the prompt", async () => {
    const runtime = new MockModelRuntime().script("planner", planReply());
    await designPlan.call(runtime, input);
    const [call] = runtime.calls;
    expect(call?.schema).toBe(PlanSchema);
    expect(call?.promptVersion).toBe(PROMPT_VERSION);
    const prompt = call?.messages[1]?.content ?? "";
    expect(prompt).toContain("EPIC-42");
    expect(prompt).toContain("A Probot app that triages issues.");
    expect(prompt).toContain("src/handlers/issues.ts");
    expect(call?.messages[0]?.content).toContain("files_to_read");
  });

  it("in the second round sends the file contents and asks for no more files", async () => {
    const runtime = new MockModelRuntime().script("planner", planReply());
    await designPlan.call(runtime, {
      ...input,
      may_request_files: false,
      file_contents: "--- src/handlers/issues.ts\nexport function onIssue() {}",
    });
    const [system, user] = runtime.calls[0]?.messages ?? [];
    expect(user?.content).toContain("export function onIssue() {}");
    expect(system?.content).toContain("Leave files_to_read empty.");
  });
});
