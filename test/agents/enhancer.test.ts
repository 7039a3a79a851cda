import { describe, expect, it } from "vitest";
import { enhanceRequest, PROMPT_VERSION } from "../../src/agents/enhancer/prompt.js";
import { IntentSchema } from "../../src/agents/enhancer/schema.js";
import { MockModelRuntime } from "../support/mock-runtime.js";
import { intentReply } from "./fixtures.js";

const input = {
  issue_context: "Issue #42: Greet first-time contributors\nBody:\nPost a welcome comment.",
  repository_overview: "README: a Probot app\nsrc/index.ts",
};

describe("Enhancer-Prompt agent", () => {
  it("asks for an Intent with its prompt version and the issue and repository in the prompt", async () => {
    const runtime = new MockModelRuntime().script("enhancer", intentReply());
    const { value, usage } = await enhanceRequest.call(runtime, input, {
      model: "qwen2.5-coder:7b",
    });
    const [call] = runtime.calls;
    expect(call?.schema).toBe(IntentSchema);
    expect(call?.promptVersion).toBe(PROMPT_VERSION);
    expect(call?.model).toBe("qwen2.5-coder:7b");
    expect(call?.messages.map((m) => m.role)).toEqual(["system", "user"]);
    expect(call?.messages[1]?.content).toContain("Greet first-time contributors");
    expect(call?.messages[1]?.content).toContain("src/index.ts");
    expect(value.kind).toBe("feature");
    expect(usage.agent).toBe("enhancer");
  });

  it("puts the change request and the previous intent in the prompt when refining", async () => {
    const runtime = new MockModelRuntime().script("enhancer", intentReply());
    await enhanceRequest.call(runtime, {
      ...input,
      change_request: "only greet on weekdays",
      previous_intent: intentReply({ title: "Old title" }),
    });
    const prompt = runtime.calls[0]?.messages[1]?.content ?? "";
    expect(prompt).toContain("only greet on weekdays");
    expect(prompt).toContain("Old title");
  });

  it("asks the model to write in the configured language", async () => {
    const runtime = new MockModelRuntime().script("enhancer", intentReply());
    await enhanceRequest.call(runtime, { ...input, language: "German" });
    expect(runtime.calls[0]?.messages[0]?.content).toContain("Write every sentence in German");
  });
});
