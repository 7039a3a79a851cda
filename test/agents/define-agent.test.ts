import { describe, expect, it } from "vitest";
import { z } from "zod";
import { defineAgent, textReply } from "../../src/agents/define-agent.js";
import { estimateMessageTokens } from "../../src/runner/token-estimate.js";
import type { ChatMessage, ModelRuntime } from "../../src/runner/types.js";
import { MockModelRuntime } from "../support/mock-runtime.js";

const estimate = (text: string): number => Math.ceil(text.length / 4);

const NoteSchema = z.object({
  note: z.string().max(2000).describe("One sentence about the text."),
});

const describeText = defineAgent({
  name: "planner",
  promptVersion: "describe@1",
  input: z.object({ title: z.string(), text: z.string() }),
  output: NoteSchema,
  messages: (input): ChatMessage[] => [
    { role: "system", content: "Describe the text." },
    { role: "user", content: `${input.title}\n\n${input.text}` },
  ],
});

/** A section that renders as many lines of `text` as fit. */
function linesSection(text: string) {
  return {
    name: "text",
    label: "the text",
    weight: 1,
    fit: (room: number) => {
      const lines = text.split("\n");
      while (lines.length > 0 && estimate(lines.join("\n")) > room) lines.pop();
      return lines.join("\n");
    },
  };
}

const explain = defineAgent({
  name: "planner",
  promptVersion: "explain@1",
  input: z.object({ text: z.string() }),
  output: z.object({
    reasons: z.array(z.object({ why: z.string().max(100), verdict: z.string().max(10) })).max(3),
    answer: z.string().max(100),
  }),
  messages: (input): ChatMessage[] => [
    { role: "system", content: "Explain the text." },
    { role: "user", content: input.text },
  ],
  example: { reasons: [{ why: "It rains.", verdict: "wet" }], answer: "Take a coat." },
});

describe("an agent defined with defineAgent", () => {
  it("ends the user message, after the data, with the reply's keys in the order they are generated", () => {
    const [, user] = explain.messages({ text: "Some data." });
    expect(user?.content).toBe(
      "Some data.\n\nReply now with one JSON object and nothing else, its keys in this order: {reasons: [{why, verdict}], answer}.",
    );
  });

  it("shows its worked example at the end of its instructions, before the schema text", () => {
    const [system] = explain.sentMessages({ text: "Some data." });
    const example = system!.content.indexOf('{"reasons":[{"why":"It rains.","verdict":"wet"}]');
    expect(system!.content.startsWith("Explain the text.\n\nExample of a reply")).toBe(true);
    expect(example).toBeGreaterThan(0);
    expect(system!.content.indexOf("JSON Schema")).toBeGreaterThan(example);
  });

  it("sends the messages it shows: the example and the rule reach the model", async () => {
    const runtime = new MockModelRuntime().script("planner", { reasons: [], answer: "No." });
    await explain.call(runtime, { text: "Some data." });
    expect(runtime.calls[0]!.messages).toEqual(explain.messages({ text: "Some data." }));
  });

  it("asks for its schema with its name and prompt version, and returns the value and usage", async () => {
    const runtime = new MockModelRuntime({ estimateTokens: estimate }).script("planner", {
      note: "Short.",
    });
    const { value, usage, shortened } = await describeText.call(
      runtime,
      { title: "T", text: "hello" },
      { model: "qwen2.5-coder:7b" },
    );
    expect(value).toEqual({ note: "Short." });
    expect(usage.agent).toBe("planner");
    expect(shortened).toEqual([]);
    expect(runtime.calls[0]).toMatchObject({
      agent: "planner",
      promptVersion: "describe@1",
      model: "qwen2.5-coder:7b",
      schema: NoteSchema,
    });
  });

  it("cuts its context sections so the prompt as sent, schema text included, fits the budget", async () => {
    const runtime = new MockModelRuntime({ estimateTokens: estimate, promptBudget: 600 }).script(
      "planner",
      { note: "Long." },
    );
    const text = Array.from({ length: 400 }, (_, i) => `line ${i} of a long text`).join("\n");
    const { shortened } = await describeText.call(
      runtime,
      { title: "T", text: "" },
      {
        context: {
          sections: [linesSection(text)],
          assemble: (input, fitted) => ({ ...input, text: fitted["text"] ?? "" }),
        },
      },
    );
    expect(shortened).toEqual(["the text"]);
    const sent = describeText.sentMessages({
      title: "T",
      text: runtime.calls[0]!.messages[1]!.content.slice(3),
    });
    expect(sent[0]!.content).toContain('"maxLength":2000');
    expect(estimateMessageTokens(sent, estimate)).toBeLessThanOrEqual(600);
    expect(runtime.calls[0]!.messages[1]!.content.length).toBeGreaterThan(1000);
  });

  it("tells a caller that splits text itself how much room the rest of the prompt leaves", async () => {
    const runtime = new MockModelRuntime({ estimateTokens: estimate, promptBudget: 1000 });
    const room = await describeText.room(runtime, { title: "T", text: "" });
    const schemaText = describeText.sentMessages({ title: "T", text: "" })[0]!.content;
    expect(room).toBeLessThan(1000 - estimate(schemaText));
    expect(room).toBeGreaterThan(0);
    const capped = await describeText.room(
      runtime,
      { title: "T", text: "" },
      { maxContextTokens: 500 },
    );
    expect(capped).toBe(room - 485);
  });

  it("counts its own output allowance against the context, where it sets one", async () => {
    const asked: (number | undefined)[] = [];
    const runtime: ModelRuntime = {
      generateText: () => Promise.reject(new Error("not asked")),
      generateObject: () => Promise.reject(new Error("not asked")),
      estimateTokens: estimate,
      promptBudget: async (_model, maxOutputTokens) => {
        asked.push(maxOutputTokens);
        return 8192 - (maxOutputTokens ?? 4096);
      },
    };
    const wide = defineAgent({
      name: "editor",
      promptVersion: "wide@1",
      input: z.object({ file: z.string() }),
      output: textReply((text) => text.trim()),
      messages: (input): ChatMessage[] => [{ role: "user", content: input.file }],
      maxOutputTokens: (input, count) => count(input.file) * 2 + 100,
    });
    expect(await wide.room(runtime, { file: "x".repeat(400) })).toBeLessThan(8192 - 300);
    expect(asked).toEqual([300]);
  });

  it("reads a plain-text reply with its own parser, through generateText", async () => {
    const runtime = new MockModelRuntime().script("editor", "  SEARCH a\nREPLACE b  ");
    const edit = defineAgent({
      name: "editor",
      promptVersion: "edit-text@1",
      input: z.object({ path: z.string() }),
      output: textReply((text) => text.trim().split("\n")),
      messages: (input): ChatMessage[] => [{ role: "user", content: `Edit ${input.path}.` }],
    });
    const { value } = await edit.call(runtime, { path: "src/a.ts" });
    expect(value).toEqual(["SEARCH a", "REPLACE b"]);
    expect(runtime.calls[0]).toMatchObject({ kind: "text", schema: undefined });
    expect(edit.replySchema({ path: "src/a.ts" })).toBeUndefined();
  });

  it("asks for a schema made from the input where the reply's choices depend on it", async () => {
    const pick = defineAgent({
      name: "planner",
      promptVersion: "pick@1",
      input: z.object({ options: z.array(z.string()) }),
      output: (input) => z.object({ choice: z.enum(input.options as [string, ...string[]]) }),
      messages: (input): ChatMessage[] => [{ role: "user", content: input.options.join(", ") }],
    });
    const runtime = new MockModelRuntime().script("planner", { choice: "c" });
    await expect(pick.call(runtime, { options: ["a", "b"] })).rejects.toThrow(/expected shape/);
  });
});
