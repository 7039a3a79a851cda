import { describe, expect, it } from "vitest";
import { chooseEditFormat, editFile } from "../../src/agents/editor/edit.js";
import { EDIT_AGENTS } from "../../src/agents/editor/edit-agent.js";
import type { EditFileInput } from "../../src/agents/editor/edit-schema.js";
import { ReplyCutOffError } from "../../src/runner/cut-off.js";
import { ModelOutputError, ModelUnavailableError } from "../../src/runner/errors.js";
import type {
  GenerateTextRequest,
  GenerateTextResult,
  ModelRuntime,
  UsageRecord,
} from "../../src/runner/types.js";
import { blocksText, wholeFileText } from "../support/edit-replies.js";

/** A scripted reply: the text the model wrote (cut at the output limit when `cut`), or an Error to throw. */
type Scripted = string | Error | { text: string; cut: true };

/** Answers each generateText call with the next scripted reply (or throws it), recording the requests. */
function scriptedRuntime(replies: Scripted[], promptBudget = 32_000) {
  const requests: GenerateTextRequest[] = [];
  const runtime: ModelRuntime = {
    async generateText(request): Promise<GenerateTextResult> {
      requests.push({ ...request, messages: [...request.messages] });
      const next = replies.shift();
      if (next instanceof Error) throw next;
      if (next === undefined) throw new Error("no scripted reply left");
      if (typeof next === "string") return { text: next, usage: usage(request.promptVersion) };
      return { text: next.text, usage: { ...usage(request.promptVersion), doneReason: "length" } };
    },
    generateObject: () => Promise.reject(new Error("the edit step never asks for JSON")),
    // The window less the call's output allowance, the runtime's 4,096 when it names none.
    promptBudget: (_model, maxOutputTokens) =>
      Promise.resolve(promptBudget + 4096 - (maxOutputTokens ?? 4096)),
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
    const { runtime, requests } = scriptedRuntime([wholeFileText("src/rates.ts", wanted)]);
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
      promptVersion: "editor.edit.whole_file/2",
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
      wholeFileText("src/rates.ts", elided),
      wholeFileText("src/rates.ts", wanted),
    ]);
    const result = await editFile(runtime, input(), { tree });
    expect(result).toMatchObject({ status: "edited", after: wanted, attempts: 2 });
    expect(result.usage).toHaveLength(2);
    const retry = requests[1]!.messages.slice(-2);
    // The rejected reply goes back as the model wrote it, not re-encoded.
    expect(retry[0]).toEqual({ role: "assistant", content: wholeFileText("src/rates.ts", elided) });
    expect(retry[1]!.content).toContain('leaves code out ("// ... rest of the file unchanged")');
    expect(retry[1]!.content).toContain("Reply again with the complete file.");
  });

  it("sends a search text that matches nothing back with the closest lines", async () => {
    const { runtime, requests } = scriptedRuntime([
      blocksText("src/rates.ts", [
        { search: "export const rate3 = 4;", replace: "export const rate3 = 33;" },
      ]),
      blocksText("src/rates.ts", [
        { search: "export const rate3 = 3;", replace: "export const rate3 = 33;" },
      ]),
    ]);
    const result = await editFile(runtime, input({ format: "search_replace" }), { tree });
    expect(result).toMatchObject({
      status: "edited",
      after: wanted,
      attempts: 2,
      format: "search_replace",
    });
    expect(requests[0]!.promptVersion).toBe("editor.edit.search_replace/2");
    expect(requests[1]!.messages.at(-1)!.content).toContain(
      "Did you mean lines 4–4:\n```\nexport const rate3 = 3;\n```",
    );
  });

  it("sends an ambiguous search text back with every place it matched", async () => {
    const { runtime, requests } = scriptedRuntime([
      blocksText("src/rates.ts", [
        { search: "export const rate1", replace: "export const rate01" },
      ]),
      blocksText("src/rates.ts", [
        { search: "export const rate1 =", replace: "export const rate01 =" },
      ]),
    ]);
    const result = await editFile(runtime, input({ format: "search_replace" }), { tree });
    expect(result.status).toBe("edited");
    expect(requests[1]!.messages.at(-1)!.content).toContain("matches 10 places");
    expect(requests[1]!.messages.at(-1)!.content).toContain("It matches at lines 2–2:");
  });

  it("marks the task failed with the reason once the attempts are spent", async () => {
    const miss = blocksText("src/rates.ts", [{ search: "no such line", replace: "x" }]);
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
    const miss = blocksText("src/rates.ts", [{ search: "no such line", replace: "x" }]);
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
      wholeFileText("src/other.ts", wanted),
      wholeFileText("src/rates.ts", wanted),
    ]);
    const result = await editFile(runtime, input(), { tree });
    expect(result.status).toBe("edited");
    expect(requests[1]!.messages.at(-1)!.content).toContain(
      'the reply names "src/other.ts" but this edit is for src/rates.ts',
    );
  });

  it("re-asks when the edit leaves a JSON file unparsable", async () => {
    const { runtime, requests } = scriptedRuntime([
      wholeFileText("package.json", '{ "name": "app", }\n'),
      wholeFileText("package.json", '{ "name": "app", "private": true }\n'),
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
    const { runtime, requests } = scriptedRuntime([wholeFileText("src/rates.ts", leaked)]);
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
      wholeFileText("src/free.ts", "export const free = true;\n"),
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
      "File: src/free.ts\n(a new file; write all of it)",
    );
  });

  it("sends a reply with neither a fenced file nor blocks back, saying what the format needs", async () => {
    const { runtime, requests } = scriptedRuntime([
      "I would change rate3 to 33.",
      wholeFileText("src/rates.ts", wanted),
    ]);
    const result = await editFile(runtime, input(), { tree });
    expect(result).toMatchObject({ status: "edited", after: wanted, attempts: 2 });
    expect(requests[1]!.messages.at(-2)).toEqual({
      role: "assistant",
      content: "I would change rate3 to 33.",
    });
    expect(requests[1]!.messages.at(-1)!.content).toContain(
      "the reply holds neither a fenced file nor SEARCH/REPLACE blocks; write the path on a line of its own, then the complete file in a fenced block",
    );
  });

  it("sends an unterminated block back when the model stopped on its own", async () => {
    const unterminated = blocksText("src/rates.ts", [
      { search: "export const rate3 = 3;", replace: "export const rate3 = 33;" },
    ]).replace(">>>>>>> REPLACE\n", "");
    const { runtime, requests } = scriptedRuntime([
      unterminated,
      blocksText("src/rates.ts", [
        { search: "export const rate3 = 3;", replace: "export const rate3 = 33;" },
      ]),
    ]);
    const result = await editFile(runtime, input({ format: "search_replace" }), { tree });
    expect(result).toMatchObject({ status: "edited", after: wanted, attempts: 2 });
    expect(requests[1]!.messages.at(-1)!.content).toContain(
      'the reply stops inside block 1, before its ">>>>>>> REPLACE" line',
    );
  });

  it("calls a reply cut at the output limit inside a block cut off, and does not ask again at the same limit", async () => {
    const cut = blocksText("src/rates.ts", [
      { search: "export const rate3 = 3;", replace: "export const rate3 = 33;" },
    ]).slice(0, -30);
    const { runtime, requests } = scriptedRuntime([{ text: cut, cut: true }]);
    const result = await editFile(runtime, input({ format: "search_replace" }), { tree });
    expect(requests).toHaveLength(1);
    expect(result).toMatchObject({
      status: "failed",
      attempts: 1,
      problem: { kind: "cut_off" },
      reason: expect.stringContaining(
        "cut off at 50 output tokens before the edit was complete; raise SYMPHONY_MAX_OUTPUT_TOKENS",
      ),
    });
  });

  it("fails the task as cut off when the runtime could not give the reply more room", async () => {
    const { runtime, requests } = scriptedRuntime([
      new ReplyCutOffError("tiny", 4096, "<<<<<<< SEARCH\n"),
    ]);
    const result = await editFile(runtime, input({ format: "search_replace" }), { tree });
    expect(requests).toHaveLength(1);
    expect(result).toMatchObject({
      status: "failed",
      problem: { kind: "cut_off" },
      reason: expect.stringContaining("the reply was cut at 4096 output tokens"),
    });
  });

  it("applies SEARCH/REPLACE blocks even where a whole file was asked for", async () => {
    const { runtime } = scriptedRuntime([
      blocksText("src/rates.ts", [
        { search: "export const rate3 = 3;", replace: "export const rate3 = 33;" },
      ]),
    ]);
    const result = await editFile(runtime, input(), { tree });
    expect(result).toMatchObject({ status: "edited", after: wanted, attempts: 1 });
  });

  it("sends a whole file back where blocks were asked for", async () => {
    const { runtime, requests } = scriptedRuntime([
      wholeFileText("src/rates.ts", wanted),
      blocksText("src/rates.ts", [
        { search: "export const rate3 = 3;", replace: "export const rate3 = 33;" },
      ]),
    ]);
    const result = await editFile(runtime, input({ format: "search_replace" }), { tree });
    expect(result).toMatchObject({ status: "edited", attempts: 2 });
    expect(requests[1]!.messages.at(-1)!.content).toContain(
      "the reply is a whole file, but src/rates.ts is edited with SEARCH/REPLACE blocks",
    );
  });

  it("keeps the model's reasoning out of the file and hands it back with the edit", async () => {
    const { runtime } = scriptedRuntime([
      wholeFileText("src/rates.ts", wanted, "rate3 was too low, so I raise it to 33."),
    ]);
    const result = await editFile(runtime, input(), { tree });
    expect(result).toMatchObject({
      status: "edited",
      after: wanted,
      reasoning: "rate3 was too low, so I raise it to 33.",
    });
  });

  it("asks for plain text, not JSON, and states the format again after the file", async () => {
    const { runtime, requests } = scriptedRuntime([wholeFileText("src/rates.ts", wanted)]);
    await editFile(runtime, input(), { tree });
    const [system, user] = requests[0]!.messages;
    expect(system!.content).toContain("Plain text only: no JSON.");
    expect(user!.content).toContain("File: src/rates.ts\n(24 lines, as it is now)\n```ts\n");
    expect(user!.content.trimEnd()).toMatch(
      /then the complete new file in a fenced block\. Nothing after the closing fence\.$/,
    );
  });

  it("marks the task failed when the runtime finds the reply unusable", async () => {
    const { runtime } = scriptedRuntime([
      new ModelOutputError("the reply was empty", "", ["empty"]),
    ]);
    const result = await editFile(runtime, input(), { tree });
    expect(result).toMatchObject({
      status: "failed",
      problem: { kind: "refused" },
      reason: expect.stringContaining("the model's reply was unusable: the reply was empty"),
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

describe("a file too long for the prompt", () => {
  const long = Array.from(
    { length: 600 },
    (_, i) => `export function step${i}(input: number): number { return input * ${i} + 1; }`,
  );
  const content = `${long.join("\n")}\n`;
  const tokens = (text: string) => Math.ceil(text.length / 4);
  const sent = (request: GenerateTextRequest) =>
    request.messages.reduce((sum, message) => sum + tokens(message.content) + 4, 16);
  const edit = (overrides: Partial<EditFileInput> = {}) =>
    input({
      path: "src/steps.ts",
      currentContent: content,
      format: "search_replace",
      task: {
        task_id: "T1",
        title: "Fix step300",
        description: "step300 must add 2, not 1.",
        success_criteria: ["step300 adds 2"],
      },
      ...overrides,
    });
  const steps = [{ path: "src/steps.ts", mode: "100644" }];

  it("shows the parts the task is about with the file's outline, and applies blocks to the whole file", async () => {
    const fixed = long[300]!.replace("+ 1;", "+ 2;");
    const { runtime, requests } = scriptedRuntime(
      [blocksText("src/steps.ts", [{ search: long[300]!, replace: fixed }])],
      6000,
    );
    const result = await editFile(runtime, edit({ format: "whole_file" }), { tree: steps });
    expect(result).toMatchObject({ status: "edited", format: "search_replace", attempts: 1 });
    expect(result.status === "edited" && result.after).toBe(content.replace(long[300]!, fixed));
    const prompt = requests[0]!.messages[1]!.content;
    expect(prompt).toMatch(
      /\(600 lines, too long to show whole; shown are lines 1–15, \d+–\d+, \d+–600\./,
    );
    expect(prompt).toContain(`lines 289–313:\n\`\`\`ts\n${long[288]}`);
    expect(prompt).toContain(
      "Outline of the whole file (declarations only):\n  export function step0(input: number): number",
    );
    expect(sent(requests[0]!)).toBeLessThanOrEqual(6000);
  });

  it("keeps a second attempt within the budget, repeating a long rejected reply only in part", async () => {
    const rambling = blocksText(
      "src/steps.ts",
      Array.from({ length: 30 }, (_, block) => ({
        search: long
          .slice(block * 10, block * 10 + 10)
          .map((line) => `${line} // no such line`)
          .join("\n"),
        replace: "",
      })),
    );
    const { runtime, requests } = scriptedRuntime([rambling, rambling], 6000);
    const result = await editFile(runtime, edit(), { tree: steps });
    expect(result).toMatchObject({ status: "failed", attempts: 2, problem: { kind: "no_match" } });
    expect(requests[1]!.messages.at(-2)!.content).toMatch(
      /\[… \d+ lines of the reply not repeated here …\]/,
    );
    for (const request of requests) expect(sent(request)).toBeLessThanOrEqual(6000);
  });

  it("refuses up front, naming the file's size and the settings to change, when not even its parts fit", async () => {
    const { runtime, requests } = scriptedRuntime([], 1500);
    const result = await editFile(runtime, edit(), { tree: steps });
    expect(requests).toHaveLength(0);
    expect(result).toMatchObject({
      status: "failed",
      attempts: 0,
      problem: { kind: "refused", refusal: { reason: "file_too_large" } },
    });
    expect(result.status === "failed" && result.reason).toMatch(
      /src\/steps\.ts is \d+ bytes, and the model's prompt budget of about \d+ tokens for it leaves too little room .*raise SYMPHONY_NUM_CTX_MAX/,
    );
  });
});

describe("the edit step as an agent", () => {
  it("is defined with defineAgent, one per format, with a plain-text reply and no schema", () => {
    const prompt = {
      task,
      design: "",
      pseudocode: "",
      path: "src/rates.ts",
      format: "whole_file" as const,
      view: { kind: "new" as const },
      repositoryMap: "",
      earlierEdits: [],
      attempts: [],
    };
    expect(EDIT_AGENTS.whole_file.promptVersion).toBe("editor.edit.whole_file/2");
    expect(EDIT_AGENTS.search_replace.promptVersion).toBe("editor.edit.search_replace/2");
    expect(EDIT_AGENTS.whole_file.replySchema(prompt)).toBeUndefined();
    expect(EDIT_AGENTS.whole_file.sentMessages(prompt)).toEqual(
      EDIT_AGENTS.whole_file.messages(prompt),
    );
  });

  it("reserves output for a whole file where that fits beside the prompt, and the runtime's own where not", async () => {
    const roomy = scriptedRuntime([wholeFileText("src/rates.ts", wanted)]);
    await editFile(roomy.runtime, input(), { tree });
    expect(roomy.requests[0]!.maxOutputTokens).toBe(Math.ceil((current.length / 4) * 1.5) + 2048);

    // ~2,000 tokens of file: its whole-file allowance (~5,050) is over the runtime's 4,096, and
    // a window that holds the prompt beside 4,096 output tokens does not hold it beside 5,050.
    const big =
      Array.from({ length: 250 }, (_, i) => `export const rate${i} = ${i}; // ok`.padEnd(31)).join(
        "\n",
      ) + "\n";
    const tight = scriptedRuntime(
      [wholeFileText("src/rates.ts", big.replace("rate3 = 3;", "rate3 = 33;"))],
      4500,
    );
    const result = await editFile(tight.runtime, input({ currentContent: big }), { tree });
    expect(result).toMatchObject({ status: "edited", format: "whole_file" });
    expect(tight.requests[0]!.maxOutputTokens).toBeUndefined();
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
