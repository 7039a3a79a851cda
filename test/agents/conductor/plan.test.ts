import { describe, expect, it } from "vitest";
import { runPlanPipeline, type PlanPipelineInput } from "../../../src/agents/conductor/plan.js";
import { PlanRecordSchema, type PlanRecord } from "../../../src/agents/conductor/plan-record.js";
import { NoPlanYetError, PlanStepError } from "../../../src/agents/conductor/plan-step-error.js";
import type { PlanProgress } from "../../../src/agents/conductor/plan-steps.js";
import { ModelNotFoundError } from "../../../src/runner/errors.js";
import { MockModelRuntime } from "../../support/mock-runtime.js";
import { FILES_PROMPT_VERSION } from "../../../src/agents/planner/files-prompt.js";
import {
  epicReply,
  filesReply,
  fixtureIssue,
  fixtureTree,
  intentReply,
  planReply,
  scriptFullPlan,
  taskListReply,
  visualReply,
} from "../fixtures.js";

const clock = (): (() => Date) => {
  let t = Date.parse("2024-05-01T12:00:00Z");
  return () => new Date((t += 1_000));
};

function input(overrides: Partial<PlanPipelineInput> = {}): PlanPipelineInput {
  return {
    issue: fixtureIssue(),
    tree: fixtureTree(),
    readme: "# Greeter\nA Probot app.",
    ...overrides,
  };
}

async function planned(): Promise<PlanRecord> {
  return runPlanPipeline(input(), {
    runtime: scriptFullPlan(new MockModelRuntime()),
    now: clock(),
  });
}

describe("runPlanPipeline", () => {
  it("runs the five agents in order and reports each step as it starts", async () => {
    const runtime = scriptFullPlan(new MockModelRuntime());
    const progress: PlanProgress[] = [];
    const record = await runPlanPipeline(input(), {
      runtime,
      onProgress: (p) => void progress.push(p),
      now: clock(),
    });
    expect(runtime.calls.map((c) => c.agent)).toEqual([
      "enhancer",
      "feature",
      "planner",
      "coordinator",
      "visualizer",
    ]);
    expect(progress.map((p) => `${p.step}/${p.total} ${p.label}`)).toEqual([
      "1/5 Enhancer-Prompt agent",
      "2/5 Feature agent",
      "3/5 Planner agent",
      "4/5 Coordinator agent",
      "5/5 Code-Visualizer agent",
    ]);
    expect(record.tasks?.map((t) => t.task_id)).toEqual(["T1", "T2"]);
    expect(record.git_strategy?.branch).toBe("symphony/issue-42");
  });

  it("returns a record that is valid stored JSON with prompt versions, usage without hosts and timestamps", async () => {
    const record = await planned();
    expect(PlanRecordSchema.parse(JSON.parse(JSON.stringify(record)))).toEqual(record);
    expect(record.prompt_versions).toEqual({
      enhancer: "enhancer@2",
      feature: "feature@2",
      planner: "planner@2",
      coordinator: "coordinator@2",
      visualizer: "visualizer@3",
    });
    expect(record.usage).toHaveLength(5);
    expect(JSON.stringify(record.usage)).not.toContain("127.0.0.1");
    expect(record.started_at).toBe("2024-05-01T12:00:01.000Z");
    expect(record.finished_at).toBe("2024-05-01T12:00:02.000Z");
  });

  it("answers a question with the Enhancer-Prompt agent alone", async () => {
    const runtime = new MockModelRuntime().script(
      "enhancer",
      intentReply({ kind: "question", answer: "Run `npm start`." }),
    );
    const record = await runPlanPipeline(input(), { runtime });
    expect(runtime.calls).toHaveLength(1);
    expect(record.intent.answer).toBe("Run `npm start`.");
    expect(record.epic).toBeUndefined();
  });

  it("reads the files the issue names and those the Planner asks for, before its one design call", async () => {
    const wanting = new MockModelRuntime()
      .script("enhancer", intentReply())
      .script("feature", epicReply())
      .script("planner", filesReply(["src/github/comments.ts", "src/invented.ts"]), planReply())
      .script("coordinator", taskListReply())
      .script("visualizer", visualReply());
    const progress: string[] = [];
    const read: string[] = [];
    const record = await runPlanPipeline(
      input({
        issue: { ...fixtureIssue(), body: "The welcome belongs in `src/handlers/issues.ts`." },
      }),
      {
        runtime: wanting,
        readFile: async (path) => {
          read.push(path);
          return `// contents of ${path}\nexport function onIssue() {}`;
        },
        onProgress: (p) => void progress.push(p.label),
      },
    );
    expect(wanting.calls.map((call) => call.agent)).toEqual([
      "enhancer",
      "planner",
      "feature",
      "planner",
      "coordinator",
      "visualizer",
    ]);
    const [ask, design] = wanting.callsFor("planner");
    expect(ask?.promptVersion).toBe(FILES_PROMPT_VERSION);
    expect(ask?.messages[1]?.content).toContain("<already_chosen>\nsrc/handlers/issues.ts");
    expect(design?.messages[1]?.content).toContain("// contents of src/handlers/issues.ts");
    expect(design?.messages[1]?.content).toContain("// contents of src/github/comments.ts");
    expect(progress).toContain("Planner agent (choosing files to read)");
    expect(progress).toContain("Planner agent (reading 2 files)");
    expect(record.plan?.files_to_read).toEqual([
      "src/handlers/issues.ts",
      "src/github/comments.ts",
    ]);
    expect(read).not.toContain("src/invented.ts");
    expect(record.validation_notes).toContain(
      "The Planner asked to read `src/invented.ts`, which is not in the repository.",
    );
    expect(record.prompt_versions["planner"]).toBe("planner@2");
  });

  it("still reads the files the issue names when the Planner's choice of files fails", async () => {
    const runtime = new MockModelRuntime()
      .script("enhancer", intentReply())
      .script("feature", epicReply())
      .script("planner", new Error("the model wandered off"), planReply())
      .script("coordinator", taskListReply())
      .script("visualizer", visualReply());
    const record = await runPlanPipeline(
      input({ issue: { ...fixtureIssue(), body: "See src/handlers/issues.ts." } }),
      { runtime, readFile: async () => "export function onIssue() {}" },
    );
    expect(record.plan?.files_to_read).toEqual(["src/handlers/issues.ts"]);
    expect(record.validation_notes.join("\n")).toContain(
      "The Planner could not choose files to read",
    );
  });

  it("without a file reader, designs from the file list in one Planner call", async () => {
    const runtime = scriptFullPlan(new MockModelRuntime());
    const record = await runPlanPipeline(input(), { runtime });
    expect(runtime.callsFor("planner")).toHaveLength(1);
    expect(runtime.callsFor("planner")[0]?.messages[1]?.content).not.toContain("<file_contents>");
    expect(record.plan?.files_to_read).toEqual([]);
  });

  it("repairs or drops invented paths with a note and never keeps them as real", async () => {
    const inventing = new MockModelRuntime()
      .script("enhancer", intentReply())
      .script("feature", epicReply())
      .script(
        "planner",
        planReply({
          files_to_change: [
            { path: "src/Github/Comments.ts", action: "modify", why: "Post the comment" },
            { path: "src/magic/wand.ts", action: "modify", why: "Invented" },
            { path: "src/config.ts", action: "create", why: "Already there" },
          ],
        }),
      )
      .script("coordinator", taskListReply())
      .script("visualizer", visualReply());
    const record = await runPlanPipeline(input(), { runtime: inventing });
    expect(record.plan?.files_to_change.map((f) => [f.path, f.action])).toEqual([
      ["src/github/comments.ts", "modify"],
      ["src/config.ts", "modify"],
    ]);
    expect(record.validation_notes).toEqual([
      "`src/Github/Comments.ts` does not exist; used `src/github/comments.ts` (same path in the repository's letter case).",
      "`src/magic/wand.ts` was dropped: it is not in the repository and no single file there is a close match.",
      "`src/config.ts` already exists, so it is modified rather than created.",
    ]);
    expect(inventing.callsFor("coordinator")[0]?.messages[1]?.content).not.toContain(
      "src/magic/wand.ts",
    );
  });

  it("keeps every prompt within the budget for a 1 MB issue body and a 100,000-entry tree", async () => {
    const runtime = scriptFullPlan(new MockModelRuntime({ promptBudget: 8_192 }));
    const entries = Array.from({ length: 100_000 }, (_, i) => ({
      path: `pkg${i % 100}/src/part${i % 37}/file${i}.ts`,
      type: "blob" as const,
      size: 900,
    }));
    const record = await runPlanPipeline(
      input({
        issue: { ...fixtureIssue(), body: "A".repeat(1_048_576) },
        tree: { entries: [...fixtureTree().entries, ...entries], truncated: true },
      }),
      { runtime },
    );
    expect(runtime.calls).toHaveLength(5);
    for (const call of runtime.calls) expect(call.promptTokens).toBeLessThanOrEqual(8_192);
    expect(runtime.callsFor("planner")[0]?.messages[1]?.content).toContain("issue body cut to fit");
    expect(record.context_notes).toContain(
      "The Planner agent saw a shortened copy of the issue, the file list to fit the model's context.",
    );
  });

  it("asks each agent's configured model and fits its prompt to that model's budget", async () => {
    const runtime = scriptFullPlan(
      new MockModelRuntime({ promptBudget: (model) => (model === "small" ? 2_000 : 32_000) }),
    );
    await runPlanPipeline(
      input({
        models: { planner: "small" },
        issue: { ...fixtureIssue(), body: "B".repeat(50_000) },
      }),
      { runtime },
    );
    const planner = runtime.callsFor("planner")[0];
    expect(planner?.model).toBe("small");
    expect(planner?.promptTokens).toBeLessThanOrEqual(2_000);
    expect(runtime.callsFor("feature")[0]?.model).toBeUndefined();
  });

  it("holds prompts to the configured maximum context when it is below the model's", async () => {
    const runtime = scriptFullPlan(new MockModelRuntime({ promptBudget: 32_000 }));
    await runPlanPipeline(
      input({ maxContextTokens: 3_000, issue: { ...fixtureIssue(), body: "C".repeat(80_000) } }),
      {
        runtime,
      },
    );
    for (const call of runtime.calls) expect(call.promptTokens).toBeLessThanOrEqual(3_000);
  });

  it("looks deeper with one Feature call that adds subtasks and keeps the rest of the plan", async () => {
    const previous = await planned();
    const subtask = {
      title: "Count issues",
      technical_requirements: ["src/handlers/welcome.ts"],
      estimated_hours: 2,
      assignee_type: "agent" as const,
    };
    const runtime = new MockModelRuntime().script("feature", {
      features: [{ title: "Detect first issues", subtasks: [subtask] }],
    });
    const progress: string[] = [];
    const record = await runPlanPipeline(input({ mode: { kind: "deeper", previous } }), {
      runtime,
      onProgress: (p) => void progress.push(`${p.step}/${p.total} ${p.label}`),
    });
    expect(runtime.calls.map((c) => c.agent)).toEqual(["feature"]);
    expect(runtime.calls[0]?.messages[0]?.content).toContain("split it into subtasks");
    expect(progress).toEqual(["1/1 Feature agent (subtasks)"]);
    expect(record.mode).toBe("deeper");
    expect(record.epic?.features[0]?.subtasks).toEqual([{ ...subtask, id: "F1.1" }]);
    expect(record.epic?.features[1]).toEqual(previous.epic?.features[1]);
    expect(record.epic?.epic).toEqual(previous.epic?.epic);
    expect(record.tasks).toEqual(previous.tasks);
    expect(record.plan).toEqual(previous.plan);
    expect(record.usage).toHaveLength(1);
  });

  it("refuses to look deeper when the issue has no plan yet", async () => {
    const question = await runPlanPipeline(input(), {
      runtime: new MockModelRuntime().script(
        "enhancer",
        intentReply({ kind: "question", answer: "Yes." }),
      ),
    });
    await expect(
      runPlanPipeline(input({ mode: { kind: "deeper", previous: question } }), {
        runtime: new MockModelRuntime(),
      }),
    ).rejects.toBeInstanceOf(NoPlanYetError);
  });

  it("refines with the user's change and each agent's previous output in its prompt", async () => {
    const previous = await planned();
    const runtime = scriptFullPlan(new MockModelRuntime());
    const record = await runPlanPipeline(
      input({ mode: { kind: "refine", previous, change: "Also welcome first pull requests" } }),
      { runtime },
    );
    for (const agent of ["enhancer", "feature", "planner", "coordinator"]) {
      expect(runtime.callsFor(agent)[0]?.messages[1]?.content).toContain(
        "Also welcome first pull requests",
      );
    }
    expect(runtime.callsFor("feature")[0]?.messages[1]?.content).toContain("<previous_backlog>");
    expect(runtime.callsFor("planner")[0]?.messages[1]?.content).toContain("<previous_design>");
    expect(runtime.callsFor("coordinator")[0]?.messages[1]?.content).toContain("<previous_tasks>");
    expect(record.mode).toBe("refine");
    expect(record.change_request).toBe("Also welcome first pull requests");
  });

  it("keeps the arms of the plans a refinement replaced, so each counts against them", async () => {
    const first = await planned();
    const change = (previous: typeof first) =>
      runPlanPipeline(input({ mode: { kind: "refine", previous, change: "Shorter" } }), {
        runtime: scriptFullPlan(new MockModelRuntime()),
      });
    const second = await change(first);
    const third = await change(second);
    const armsOf = (record: typeof first) =>
      record.usage.map(({ agent, model, promptVersion }) => ({ agent, model, promptVersion }));
    expect(first.replaced).toBeUndefined();
    expect(second.replaced).toEqual([armsOf(first)]);
    expect(third.replaced).toEqual([armsOf(first), armsOf(second)]);
  });

  it("names the failing step and agent and keeps the runner's error as the cause", async () => {
    const missing = new ModelNotFoundError("qwen2.5-coder:14b", "http://gpu-1:11434");
    const runtime = new MockModelRuntime()
      .script("enhancer", intentReply())
      .script("feature", missing);
    const failure = await runPlanPipeline(input(), { runtime }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(PlanStepError);
    const error = failure as PlanStepError;
    expect([error.step, error.total, error.agent, error.cause]).toEqual([2, 5, "feature", missing]);
    expect(error.message).toBe(
      "Feature agent (step 2 of 5) failed: model qwen2.5-coder:14b is not on the Ollama host http://gpu-1:11434: run `ollama pull qwen2.5-coder:14b`",
    );
  });

  it("goes on planning when reporting progress fails", async () => {
    const runtime = scriptFullPlan(new MockModelRuntime());
    const record = await runPlanPipeline(input(), {
      runtime,
      onProgress: () => Promise.reject(new Error("GitHub said 502")),
    });
    expect(record.visual).toBeDefined();
  });
});
