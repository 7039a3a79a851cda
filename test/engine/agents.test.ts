// Every agent through Symphony's own feature code on real llama.cpp: the five planning steps, the
// pull-request review (chunks, remarks, diagram), the Editor's edit, ask, and the refactor
// suggestions. The tiny model writes noise, so what is checked is that the engine accepted every
// schema the features sent (no grammar refusal) and that each run ended as the handler would end
// it: rendered output, or a typed error whose message the handler posts (never a stack trace or
// "an unexpected error"). The planning steps and the review run through both providers (Ollama's
// /api/chat and the OpenAI-compatible /v1/chat/completions), so both wire formats meet the real
// grammar engine; the rest through Ollama's.
import nock from "nock";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NoPlanYetError, PlanStepError } from "../../src/agents/conductor/plan-step-error.js";
import { runPlanPipeline } from "../../src/agents/conductor/plan.js";
import { chooseEditFormat, editFile } from "../../src/agents/editor/edit.js";
import { answerQuestion, diffPart } from "../../src/agents/editor/review-answer.js";
import { defaultRepoConfig } from "../../src/config/schema.js";
import { renderPlanRunFailure } from "../../src/features/plan/plan-comment.js";
import type { HotspotRow } from "../../src/features/refactor/hotspots.js";
import { suggestRefactors } from "../../src/features/refactor/suggest.js";
import { renderPlanComment } from "../../src/features/plan/plan-markdown.js";
import { reviewOptionsFrom } from "../../src/features/review/options.js";
import { reviewPullRequest } from "../../src/features/review/review-pull-request.js";
import {
  createModelRuntime,
  loadRuntimeSettings,
  ModelRequestRejectedError,
  ModelRuntimeError,
} from "../../src/runner/index.js";
import { syntheticPull } from "../features/review/synthetic-pull.js";
import { recordingLogger } from "../runner/runtime-fixture.js";
import {
  ENGINE_PROVIDERS,
  engineInstalled,
  ENGINE_SKIP_MESSAGE,
  startEngineServer,
  type EngineProvider,
  type EngineServer,
} from "./support/engine.js";
import { CallRecordingRuntime } from "./support/recording-runtime.js";

if (!engineInstalled) console.warn(ENGINE_SKIP_MESSAGE);

const config = defaultRepoConfig();

/** What a user would read: no stack frames, no "unexpected error" fallback. */
function expectClearText(text: string): void {
  expect(text.trim()).not.toBe("");
  expect(text).not.toMatch(/\n\s+at \S+ \(|unexpected error|\[object Object\]|undefined is not/);
}

/** A failure the handler turns into a message: one of the runtime's typed errors. */
function expectClearFailure(error: unknown): void {
  expect(error).toBeInstanceOf(ModelRuntimeError);
  expectClearText((error as Error).message);
}

function expectNoRefusal(runtime: CallRecordingRuntime, agents: readonly string[]): void {
  expect(runtime.calls.map((call) => call.agent)).toEqual(expect.arrayContaining([...agents]));
  const refused = runtime.calls.filter((call) => call.error instanceof ModelRequestRejectedError);
  expect(refused.map((call) => `${call.agent}: ${(call.error as Error).message}`)).toEqual([]);
}

const source = [
  "export function total(items: { price: number; count: number }[]): number {",
  "  let sum = 0;",
  "  for (const item of items) {",
  "    if (item.count > 0) {",
  "      if (item.price > 0) sum += item.price * item.count;",
  "    }",
  "  }",
  "  return sum;",
  "}",
  "",
].join("\n");

const hotspot: HotspotRow = {
  file: "src/cart.ts",
  language: "typescript",
  method: "syntax-tree",
  changes: 6,
  complexity: 12,
  cyclomatic: 5,
  lines: 9,
  score: 0.9,
  longestFunction: { name: "total", line: 1, endLine: 9, lines: 9, cyclomatic: 4, cognitive: 6 },
  worstFunctions: [
    {
      name: "total",
      line: 1,
      endLine: 9,
      lines: 9,
      cyclomatic: 4,
      cognitive: 6,
      code: source,
      codeHash: "0123456789ab",
    },
  ],
  fileHash: "ba9876543210",
} as HotspotRow;

describe.skipIf(!engineInstalled)("every agent through its feature on real llama.cpp", () => {
  let engine: EngineServer;
  beforeAll(async () => {
    nock.disableNetConnect();
    nock.enableNetConnect(/^127\.0\.0\.1(:\d+)?$/);
    engine = await startEngineServer();
  }, 30_000);
  afterAll(async () => {
    await engine?.close();
    nock.enableNetConnect();
  });

  function engineRuntime(
    provider: EngineProvider = ENGINE_PROVIDERS[0],
    overrides: Record<string, string> = {},
  ): CallRecordingRuntime {
    // Small limits keep each prompt and reply short; a cut reply may be given more room by the
    // runtime (up to the window), which is the real path too. Review prompts filled to the budget
    // by Symphony's estimate are about three times longer in this model's byte tokens, so the
    // engine keeps their tail and they end cut at once: still a schema the engine accepted.
    const settings = loadRuntimeSettings({
      ...provider.env(engine.url),
      SYMPHONY_MODEL: "tiny",
      SYMPHONY_NUM_CTX_MAX: "4096",
      SYMPHONY_MAX_OUTPUT_TOKENS: "512",
      SYMPHONY_MAX_REPAIRS: "0",
      SYMPHONY_MODEL_RETRIES: "0",
      ...overrides,
    });
    return new CallRecordingRuntime(
      createModelRuntime(settings, { logger: recordingLogger(), backoff: () => 0 }),
    );
  }

  it.each(ENGINE_PROVIDERS)(
    "the five planning steps end in a rendered plan comment or a clear message ($name)",
    async (provider) => {
      // The Planner reads src/cart.ts before it designs: more context than the other steps need.
      const runtime = engineRuntime(provider, { SYMPHONY_NUM_CTX_MAX: "8192" });
      let text: string;
      try {
        const record = await runPlanPipeline(
          {
            issue: {
              number: 13,
              title: "Totals ignore discounts",
              body: "The cart total in src/cart.ts should subtract each item's discount.",
              labels: [],
              comments: [],
            },
            tree: {
              entries: [
                { path: "src", type: "tree" },
                { path: "src/cart.ts", type: "blob" },
                { path: "README.md", type: "blob" },
              ],
              truncated: false,
            },
            readme: "# Shop\nA small cart library.",
            defaultBranch: "main",
          },
          { runtime, readFile: async (path) => (path === "src/cart.ts" ? source : undefined) },
        );
        text = renderPlanComment(record);
      } catch (error) {
        // What the plan handler posts when a step fails.
        expect(
          error instanceof PlanStepError ||
            error instanceof NoPlanYetError ||
            error instanceof ModelRuntimeError,
        ).toBe(true);
        text = renderPlanRunFailure(error);
      }
      expectClearText(text);
      // 8,192 tokens of context and 512 of output let all five steps (and the Planner's choice of
      // files) reach the engine with this model (it tokenizes about one byte per token, three
      // times Symphony's estimate).
      expectNoRefusal(runtime, ["enhancer", "feature", "planner", "coordinator", "visualizer"]);
    },
    60_000,
  );

  it.each(ENGINE_PROVIDERS)(
    "a review (chunks, remarks, diagram) ends in a rendered summary or a clear message ($name)",
    async (provider) => {
      const runtime = engineRuntime(provider);
      const pull = syntheticPull({ files: 2, changedLines: 24, seed: 7 });
      try {
        const outcome = await reviewPullRequest(runtime, {
          pullRequest: {
            number: 7,
            title: "Rework totals",
            body: "Adds discounts.",
            headSha: "a1b2c3d4e5f6a7b8c9d0a1b2c3d4e5f6a7b8c9d0",
          },
          files: pull.files,
          options: { ...reviewOptionsFrom(config), designRemarks: true, diagram: true },
          headLines: pull.headLines,
        });
        expectClearText(outcome.summary);
      } catch (error) {
        expectClearFailure(error);
      }
      expectNoRefusal(runtime, ["editor", "planner", "visualizer"]);
    },
    30_000,
  );

  // The edit is plain text: no schema, so no grammar holds the tiny model to a shape. Its noise
  // holds no fenced file and no blocks (sent back once, then the task fails with the reason), or
  // runs to the output limit, which the runtime raises within the window before the Editor calls
  // it cut off. Either way a reason for the pull request body, never a model error or a crash.
  it("the Editor's plain-text edit ends in a reason the pull request body can show", async () => {
    const runtime = engineRuntime();
    const result = await editFile(
      runtime,
      {
        task: {
          task_id: "T1",
          title: "Subtract discounts",
          description: "Subtract each item's discount from the total.",
          success_criteria: ["total() subtracts discounts"],
        },
        design: "Subtract item.discount inside the loop.",
        pseudocode: "",
        path: "src/cart.ts",
        currentContent: source,
        format: chooseEditFormat(source, config.implement.whole_file_max_lines),
      },
      { tree: [{ path: "src/cart.ts", mode: "100644" }], limits: config.implement, maxAttempts: 2 },
    );
    const editor = runtime.calls.filter((call) => call.agent === "editor");
    expect(editor.map((call) => call.kind)).toEqual(editor.map(() => "text"));
    expect(result.status).toBe("failed");
    if (result.status !== "failed") return;
    expectClearText(result.reason);
    expect(result.problem.kind).not.toBe("refused");
    if (result.problem.kind === "cut_off") {
      expect(result.reason).toMatch(/cut (off|at \d+ output tokens)/);
      expect(result.reason).toContain("SYMPHONY_MAX_OUTPUT_TOKENS");
    } else {
      // Sent back once with the reason, then failed: the retry path on the real engine.
      expect(result.attempts).toBe(2);
    }
    expectNoRefusal(runtime, ["editor"]);
  }, 30_000);

  it("the Editor calls an edit the engine cut at every allowance cut off, naming the setting to raise", async () => {
    // This model never stops: each reply runs to the limit, which the runtime doubles (64, 128,
    // 256) before it gives up; the Editor does not ask again at a limit the model cannot finish in.
    const runtime = engineRuntime(ENGINE_PROVIDERS[0], {
      SYMPHONY_MODEL: "tiny-endless",
      SYMPHONY_MAX_OUTPUT_TOKENS: "32",
    });
    const result = await editFile(
      runtime,
      {
        task: {
          task_id: "T1",
          title: "Subtract discounts",
          description: "Subtract each discount.",
          success_criteria: ["total() subtracts discounts"],
        },
        design: "Subtract item.discount inside the loop.",
        pseudocode: "",
        path: "src/cart.ts",
        currentContent: source,
        format: "search_replace",
      },
      { tree: [{ path: "src/cart.ts", mode: "100644" }], limits: config.implement, maxAttempts: 2 },
    );
    expect(result).toMatchObject({ status: "failed", attempts: 1, problem: { kind: "cut_off" } });
    expect(result.status === "failed" && result.reason).toMatch(
      /cut at 256 output tokens.*raise SYMPHONY_MAX_OUTPUT_TOKENS/,
    );
    expect(runtime.calls.map((call) => call.kind)).toEqual(["text"]);
  }, 30_000);

  it("ask ends in an answer or a clear message", async () => {
    const runtime = engineRuntime();
    const pull = syntheticPull({ files: 1, changedLines: 12, seed: 3 });
    try {
      const { value } = await answerQuestion.call(runtime, {
        question: "Why is the loop nested?",
        pullRequest: { number: 7, title: "Rework totals", description: "Adds discounts." },
        diff: diffPart(
          pull.files.map((file) => `File: ${file.filename}\n${file.patch}`).join("\n"),
        ),
      });
      expect(value.answer).toEqual(expect.any(String));
    } catch (error) {
      expectClearFailure(error);
    }
    expectNoRefusal(runtime, ["editor"]);
  });

  it("the refactor suggestions end in suggestions (maybe none) or a clear message", async () => {
    const runtime = engineRuntime();
    try {
      const { suggestions } = await suggestRefactors(runtime, [hotspot]);
      expect(Array.isArray(suggestions)).toBe(true);
    } catch (error) {
      expectClearFailure(error);
    }
    expectNoRefusal(runtime, ["planner"]);
  });
});
