import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { chooseEditFormat, editFile } from "../../src/agents/editor/edit.js";
import type { EditFileInput } from "../../src/agents/editor/edit-schema.js";
import { ModelOutputError, ModelUnavailableError } from "../../src/runner/errors.js";
import type {
  GenerateObjectRequest,
  GenerateObjectResult,
  ModelRuntime,
  UsageRecord,
} from "../../src/runner/types.js";

/** Answers each generateObject call with the next scripted reply (or throws it), recording the requests. */
function scriptedRuntime(replies: unknown[]) {
  const requests: GenerateObjectRequest<z.ZodType>[] = [];
  const runtime: ModelRuntime = {
    generateText: () => Promise.reject(new Error("the edit step never asks for free text")),
    async generateObject<S extends z.ZodType>(
      request: GenerateObjectRequest<S>,
    ): Promise<GenerateObjectResult<z.infer<S>>> {
      requests.push(request);
      const next = replies.shift();
      if (next instanceof Error) throw next;
      if (next === undefined) throw new Error("no scripted reply left");
      return { value: request.schema.parse(next), usage: usage(request.promptVersion) };
    },
    promptBudget: () => Promise.resolve(32_000),
    estimateTokens: (text) => Math.ceil(text.length / 4),
  };
  return { runtime, requests };
}

function usage(promptVersion: string): UsageRecord {
  return {
    agent: "editor",
    promptVersion,
    provider: "ollama",
    host: "http://127.0.0.1:11434",
    model: "qwen2.5-coder:32b",
    promptTokens: 100,
    outputTokens: 50,
    estimatedPromptTokens: 100,
    wallMs: 1,
    retries: 0,
    repairRounds: 0,
    fallbackUsed: false,
  };
}

const task = {
  task_id: "T1",
  title: "Count free items",
  description: "Skip free items in the total.",
  success_criteria: ["free items cost nothing"],
};
const current =
  Array.from({ length: 24 }, (_, i) => `export const rate${i} = ${i};`).join("\n") + "\n";
const input = (overrides: Partial<EditFileInput> = {}): EditFileInput => ({
  task,
  design: "Totals live in src/rates.ts.",
  pseudocode: "rate3 = 33",
  path: "src/rates.ts",
  currentContent: current,
  format: "whole_file",
  ...overrides,
});
const tree = [{ path: "src/rates.ts", mode: "100644" }];
const wanted = current.replace("rate3 = 3;", "rate3 = 33;");

describe("the Editor's edit step", () => {
  it("sends the task, design, pseudocode and the current file, and returns the edited file with its diff", async () => {
    const { runtime, requests } = scriptedRuntime([{ path: "src/rates.ts", content: wanted }]);
    const result = await editFile(runtime, input(), { tree });
    expect(result).toMatchObject({
      status: "edited",
      after: wanted,
      attempts: 1,
      format: "whole_file",
    });
    expect(result.status === "edited" && result.diff).toContain(
      "-export const rate3 = 3;\n+export const rate3 = 33;",
    );
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({
      agent: "editor",
      promptVersion: "editor.edit.whole_file/1",
    });
    const prompt = requests[0]!.messages[1]!.content;
    expect(prompt).toContain("Task T1: Count free items");
    expect(prompt).toContain("- free items cost nothing");
    expect(prompt).toContain("Design:\nTotals live in src/rates.ts.");
    expect(prompt).toContain("Pseudocode:\nrate3 = 33");
    expect(prompt).toContain("export const rate23 = 23;");
  });

  it("rejects a whole file that elides code and re-asks with the reason", async () => {
    const elided = "export const rate0 = 0;\n// ... rest of the file unchanged\n";
    const { runtime, requests } = scriptedRuntime([
      { path: "src/rates.ts", content: elided },
      { path: "src/rates.ts", content: wanted },
    ]);
    const result = await editFile(runtime, input(), { tree });
    expect(result).toMatchObject({ status: "edited", after: wanted, attempts: 2 });
    expect(result.usage).toHaveLength(2);
    const retry = requests[1]!.messages.slice(-2);
    expect(retry[0]).toEqual({
      role: "assistant",
      content: JSON.stringify({ path: "src/rates.ts", content: elided }),
    });
    expect(retry[1]!.content).toContain('leaves code out ("// ... rest of the file unchanged")');
    expect(retry[1]!.content).toContain("Reply again with the complete file.");
  });

  it("sends a search text that matches nothing back with the closest lines", async () => {
    const { runtime, requests } = scriptedRuntime([
      {
        path: "src/rates.ts",
        blocks: [{ search: "export const rate3 = 4;", replace: "export const rate3 = 33;" }],
      },
      {
        path: "src/rates.ts",
        blocks: [{ search: "export const rate3 = 3;", replace: "export const rate3 = 33;" }],
      },
    ]);
    const result = await editFile(runtime, input({ format: "search_replace" }), { tree });
    expect(result).toMatchObject({
      status: "edited",
      after: wanted,
      attempts: 2,
      format: "search_replace",
    });
    expect(requests[0]!.promptVersion).toBe("editor.edit.search_replace/1");
    expect(requests[1]!.messages.at(-1)!.content).toContain(
      "Did you mean lines 4–4:\n```\nexport const rate3 = 3;\n```",
    );
  });

  it("sends an ambiguous search text back with every place it matched", async () => {
    const { runtime, requests } = scriptedRuntime([
      {
        path: "src/rates.ts",
        blocks: [{ search: "export const rate1", replace: "export const rate01" }],
      },
      {
        path: "src/rates.ts",
        blocks: [{ search: "export const rate1 =", replace: "export const rate01 =" }],
      },
    ]);
    const result = await editFile(runtime, input({ format: "search_replace" }), { tree });
    expect(result.status).toBe("edited");
    expect(requests[1]!.messages.at(-1)!.content).toContain("matches 10 places");
    expect(requests[1]!.messages.at(-1)!.content).toContain("It matches at lines 2–2:");
  });

  it("marks the task failed with the reason once the attempts are spent", async () => {
    const miss = { path: "src/rates.ts", blocks: [{ search: "no such line", replace: "x" }] };
    const { runtime, requests } = scriptedRuntime([miss, miss]);
    const result = await editFile(runtime, input({ format: "search_replace" }), { tree });
    expect(requests).toHaveLength(2);
    expect(result).toMatchObject({
      status: "failed",
      attempts: 2,
      problem: { kind: "no_match" },
      reason: expect.stringMatching(/matches nothing in the file.*\(still so after 2 attempts\)$/),
    });
  });

  it("honours a configured number of attempts", async () => {
    const miss = { path: "src/rates.ts", blocks: [{ search: "no such line", replace: "x" }] };
    const { runtime, requests } = scriptedRuntime([miss, miss, miss]);
    const result = await editFile(runtime, input({ format: "search_replace" }), {
      tree,
      maxAttempts: 3,
    });
    expect(requests).toHaveLength(3);
    expect(result).toMatchObject({ status: "failed", attempts: 3 });
  });

  it("re-asks when the reply names another file", async () => {
    const { runtime, requests } = scriptedRuntime([
      { path: "src/other.ts", content: wanted },
      { path: "src/rates.ts", content: wanted },
    ]);
    const result = await editFile(runtime, input(), { tree });
    expect(result.status).toBe("edited");
    expect(requests[1]!.messages.at(-1)!.content).toContain(
      'the reply names "src/other.ts" but this edit is for src/rates.ts',
    );
  });

  it("re-asks when the edit leaves a JSON file unparsable", async () => {
    const { runtime, requests } = scriptedRuntime([
      { path: "package.json", content: '{ "name": "app", }\n' },
      { path: "package.json", content: '{ "name": "app", "private": true }\n' },
    ]);
    const result = await editFile(
      runtime,
      input({ path: "package.json", currentContent: '{ "name": "app" }\n' }),
      {
        tree: [],
      },
    );
    expect(result).toMatchObject({ status: "edited", attempts: 2 });
    expect(requests[1]!.messages.at(-1)!.content).toContain(
      "package.json no longer parses as JSON",
    );
  });

  it("refuses a secret in the model's output without asking again", async () => {
    const leaked = `${current}export const token = "ghp_${"Zq8vR2mXk4Lp7Tn1Wd5Yb9Hc3Jf6Ge0Ua8Si"}";\n`;
    const { runtime, requests } = scriptedRuntime([{ path: "src/rates.ts", content: leaked }]);
    const result = await editFile(runtime, input(), { tree });
    expect(requests).toHaveLength(1);
    expect(result).toMatchObject({
      status: "failed",
      problem: { kind: "refused", refusal: { reason: "secret_in_output" } },
    });
  });

  it("never asks the model about a path the limits refuse", async () => {
    const { runtime, requests } = scriptedRuntime([]);
    const result = await editFile(runtime, input({ path: ".github/workflows/ci.yml" }), { tree });
    expect(requests).toHaveLength(0);
    expect(result).toMatchObject({
      status: "failed",
      attempts: 0,
      problem: { refusal: { reason: "workflow_file" } },
    });
  });

  it("never sends a file over max_file_bytes to the model", async () => {
    const { runtime, requests } = scriptedRuntime([]);
    const result = await editFile(runtime, input(), { tree, limits: { max_file_bytes: 100 } });
    expect(requests).toHaveLength(0);
    expect(result).toMatchObject({
      status: "failed",
      problem: { refusal: { reason: "file_too_large" } },
    });
  });

  it("writes a new file whole even when blocks were asked for", async () => {
    const { runtime, requests } = scriptedRuntime([
      { path: "src/free.ts", content: "export const free = true;\n" },
    ]);
    const result = await editFile(
      runtime,
      input({ path: "src/free.ts", currentContent: undefined, format: "search_replace" }),
      {
        tree,
      },
    );
    expect(result).toMatchObject({ status: "edited", before: undefined, format: "whole_file" });
    expect(requests[0]!.messages[1]!.content).toContain(
      "File: src/free.ts (a new file; write all of it)",
    );
  });

  it("marks the task failed when the model's reply never fits the format", async () => {
    const { runtime } = scriptedRuntime([
      new ModelOutputError("the reply was not valid JSON", "{", ["not JSON"]),
    ]);
    const result = await editFile(runtime, input(), { tree });
    expect(result).toMatchObject({
      status: "failed",
      reason: expect.stringContaining("never matched the edit format"),
    });
  });

  it("lets a model outage reach the caller", async () => {
    const { runtime } = scriptedRuntime([
      new ModelUnavailableError("Ollama is down", "http://127.0.0.1:11434"),
    ]);
    await expect(editFile(runtime, input(), { tree })).rejects.toBeInstanceOf(
      ModelUnavailableError,
    );
  });
});

describe("choosing the edit format", () => {
  it("writes new files and files up to the bound whole, and longer files in blocks", () => {
    expect(chooseEditFormat(undefined)).toBe("whole_file");
    expect(chooseEditFormat("a\n".repeat(300))).toBe("whole_file");
    expect(chooseEditFormat("a\n".repeat(301))).toBe("search_replace");
    expect(chooseEditFormat("a\n".repeat(50), 40)).toBe("search_replace");
  });
});
