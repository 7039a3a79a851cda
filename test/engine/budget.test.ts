// Whole-prompt budgets: for every agent, the prompt as the host receives it (system prompt with
// the schema text the runtime appends, every message) plus the output allowance fits num_ctx,
// on a 300-file pull request (bench/review.ts's synthetic one) and on the edit of the largest file
// the Editor takes (implement.max_file_bytes), which it shows in parts. Every request goes through Symphony's real runtime
// to the scripted server, which records what was sent.
//
// Counted with the runtime's own estimate (src/runner/token-estimate.ts), not a real tokenizer:
// Qwen's tokenizer files are not available to the tests, and the estimate is what the runtime
// sizes num_ctx and refuses prompts by, leaning high on purpose. A prompt that fits by this count
// is one the runtime sends; one that does not ends in ContextOverflowError, which is checked too.
// This test needs no llama.cpp, so it runs whether or not test/engine is installed.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runPlanPipeline } from "../../src/agents/conductor/plan.js";
import { chooseEditFormat, editFile } from "../../src/agents/editor/edit.js";
import { defaultRepoConfig } from "../../src/config/schema.js";
import { answerFromDiff } from "../../src/features/ask/ask.js";
import type { HotspotRow } from "../../src/features/refactor/hotspots.js";
import { suggestRefactors } from "../../src/features/refactor/suggest.js";
import { reviewOptionsFrom } from "../../src/features/review/options.js";
import { reviewPullRequest } from "../../src/features/review/review-pull-request.js";
import {
  ContextOverflowError,
  createModelRuntime,
  loadRuntimeSettings,
} from "../../src/runner/index.js";
import { estimateMessageTokens } from "../../src/runner/token-estimate.js";
import type { ChatMessage } from "../../src/runner/types.js";
import { fixtureReplyFor } from "../features/plan/plan-fixtures.js";
import { syntheticPull } from "../features/review/synthetic-pull.js";
import { blocksText, isEditRequest } from "../support/edit-replies.js";
import { startModelServer, type JsonObject, type ModelServer } from "../support/model-server.js";
import { CallRecordingRuntime } from "./support/recording-runtime.js";

const MODEL = "qwen2.5-coder:14b";
/** bench/review.ts's context: a 16k window, the runtime's default 4,096-token output reserve. */
const NUM_CTX_MAX = 16_384;
const config = defaultRepoConfig();
const pull = syntheticPull({ files: 300, changedLines: 20_000, giantHunkLines: 1500, seed: 42 });
const pullRequest = {
  number: 300,
  title: "Rework the order pipeline",
  body: "Moves pricing into its own module and retries failed payments.\n".repeat(8),
  headSha: "c0ffee0000000000000000000000000000000300",
};

/** The largest file the Editor takes: implement.max_file_bytes of ordinary code. */
function largestFile(): string {
  const lines: string[] = [];
  let bytes = 0;
  for (let index = 0; ; index++) {
    const line = `export function step${index}(input: number): number { return input * ${index} + 1; }`;
    if (bytes + line.length + 1 > config.implement.max_file_bytes) break;
    lines.push(line);
    bytes += line.length + 1;
  }
  return `${lines.join("\n")}\n`;
}

let server: ModelServer;
let runtime: CallRecordingRuntime;
/** What the scripted Editor answers, while a test sets it; otherwise "{}", which it sends back. */
let editorReply: string | undefined;

beforeAll(async () => {
  server = await startModelServer({ models: [{ name: MODEL, contextLength: 32_768 }] });
  // Valid replies for the planning steps; anything else gets an empty object, which fails
  // validation and is asked again: a repair request has to fit as well.
  server.respond((request) => {
    if (editorReply !== undefined && isEditRequest(request.body)) return { content: editorReply };
    const planning = fixtureReplyFor(request);
    return { json: planning ?? {} };
  });
  runtime = new CallRecordingRuntime(
    createModelRuntime(
      loadRuntimeSettings({
        OLLAMA_HOST: server.url,
        SYMPHONY_MODEL: MODEL,
        SYMPHONY_NUM_CTX_MAX: String(NUM_CTX_MAX),
        SYMPHONY_MODEL_RETRIES: "0",
      }),
      { backoff: () => 0 },
    ),
  );
});

afterAll(async () => {
  await server?.close();
});

function sentSince(start: number): { agent: string; used: number; numCtx: number }[] {
  return server
    .chatRequests()
    .slice(start)
    .map((request) => {
      const body = request.body as JsonObject;
      const options = body["options"] as JsonObject;
      const messages = body["messages"] as unknown as ChatMessage[];
      const numCtx = options["num_ctx"] as number;
      const output = options["num_predict"] as number;
      const system = messages[0]?.content ?? "";
      return {
        agent: system.slice(0, 60),
        used: estimateMessageTokens(messages) + output,
        numCtx,
      };
    });
}

/** Runs one feature and checks every request it sent, and that none was refused for size. */
async function expectFits(run: () => Promise<unknown>, agents: readonly string[]): Promise<void> {
  const start = server.chatRequests().length;
  const calls = runtime.calls.length;
  const failure = await run().then(
    () => undefined,
    (error: unknown) => error,
  );
  const sent = sentSince(start);
  expect(sent.length, String(failure)).toBeGreaterThan(0);
  for (const request of sent) {
    expect(request.numCtx).toBeLessThanOrEqual(NUM_CTX_MAX);
    expect(request.used, request.agent).toBeLessThanOrEqual(request.numCtx);
  }
  const made = runtime.calls.slice(calls);
  expect(made.map((call) => call.agent)).toEqual(expect.arrayContaining([...agents]));
  const overflowed = made.filter((call) => call.error instanceof ContextOverflowError);
  expect(overflowed.map((call) => `${call.agent}: ${(call.error as Error).message}`)).toEqual([]);
}

describe("whole prompts fit num_ctx", () => {
  it("the five planning steps, on a repository of the 300 files", async () => {
    const heads = new Map(pull.files.map((file) => [file.filename, pull.headLines(file.filename)]));
    await expectFits(
      () =>
        runPlanPipeline(
          {
            issue: {
              number: 300,
              title: "Payments retry forever",
              body: `${pullRequest.body}\nSee ${pull.files
                .slice(0, 40)
                .map((file) => file.filename)
                .join(", ")}.`,
              labels: [],
              comments: [],
            },
            tree: {
              entries: pull.files.map((file) => ({ path: file.filename, type: "blob" as const })),
              truncated: false,
            },
            readme: "# Orders\n".repeat(400),
            defaultBranch: "main",
          },
          { runtime, readFile: async (path) => heads.get(path)?.join("\n") },
        ),
      ["enhancer", "feature", "planner", "coordinator", "visualizer"],
    );
  });

  // Chunks are sized by the review step's own budget (src/agents/define-agent.ts), which counts
  // the schema text the runtime appends; before, full chunks came out ~300 tokens over.
  it("the review's chunks, remarks and diagram, on the 300-file pull request", async () => {
    await expectFits(
      () =>
        reviewPullRequest(runtime, {
          pullRequest,
          files: pull.files,
          options: { ...reviewOptionsFrom(config), designRemarks: true, diagram: true },
          headLines: pull.headLines,
        }),
      ["editor", "planner", "visualizer"],
    );
  });

  // The diff is the answer's one context section: the "Not shown (too long to fit): …" list of
  // the paths left out is counted with it, and the schema text with the rest of the prompt.
  it("ask, with as much of the 300-file diff as the handler fits", async () => {
    await expectFits(
      () =>
        answerFromDiff(runtime, {
          question: "Why does pricing move?",
          pullRequest: { number: 300, title: pullRequest.title, description: pullRequest.body },
          files: pull.files,
          ignore: config.ignore,
        }),
      ["editor"],
    );
  });

  // A file of implement.max_file_bytes (100,000 bytes) is ~33,800 tokens, over any window under
  // ~38k: the Editor shows its head, tail and the lines the task points at, with the file's
  // outline, and asks for SEARCH/REPLACE blocks, which are applied to the whole real file.
  it("the Editor's edit of the largest file it takes", async () => {
    const content = largestFile();
    expect(Buffer.byteLength(content)).toBeLessThanOrEqual(config.implement.max_file_bytes);
    const last = content.trimEnd().split("\n").at(-1)!;
    // The file is at the size limit, so the edit changes a line rather than adding one.
    const changed = last.replace("+ 1; }", "+ 2; }");
    let result: Awaited<ReturnType<typeof editFile>> | undefined;
    editorReply = blocksText("src/steps.ts", [{ search: last, replace: changed }]);
    await expectFits(async () => {
      result = await editFile(
        runtime,
        {
          task: {
            task_id: "T1",
            title: "Change the last step",
            description: "Make the last step at the end of the file add 2 instead of 1.",
            success_criteria: ["the last step adds 2"],
          },
          design: "Change the last function.",
          pseudocode: "",
          path: "src/steps.ts",
          currentContent: content,
          format: chooseEditFormat(content, config.implement.whole_file_max_lines),
        },
        { tree: [{ path: "src/steps.ts", mode: "100644" }], limits: config.implement },
      );
    }, ["editor"]);
    editorReply = undefined;
    expect(result).toMatchObject({ status: "edited", format: "search_replace", attempts: 1 });
    expect(result?.status === "edited" && result.after).toBe(content.replace(last, changed));
    const prompt = JSON.stringify(server.chatRequests().at(-1)!.body);
    expect(prompt).toContain("too long to show whole");
    expect(prompt).toContain(last);
  });

  it("the refactor suggestions, on the largest file's worst function", async () => {
    const code = largestFile();
    const row = {
      file: "src/steps.ts",
      language: "typescript",
      method: "syntax-tree",
      changes: 9,
      complexity: 900,
      cyclomatic: 900,
      lines: code.split("\n").length,
      score: 1,
      longestFunction: undefined,
      worstFunctions: ["a", "b", "c", "d", "e"].map((name, index) => ({
        name,
        line: index + 1,
        endLine: index + 2,
        lines: 2,
        cyclomatic: 1,
        cognitive: 1,
        code: code.slice(index * 20_000, (index + 1) * 20_000),
        codeHash: `0123456789a${index}`,
      })),
      fileHash: "ba9876543210",
    } as unknown as HotspotRow;
    await expectFits(() => suggestRefactors(runtime, [row]), ["planner"]);
  });
});
