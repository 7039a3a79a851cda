import { describe, expect, it } from "vitest";
import { runPlanPipeline } from "../../../src/agents/conductor/plan.js";
import type { PlanProgress } from "../../../src/agents/conductor/plan-steps.js";
import { FILES_PROMPT_VERSION } from "../../../src/agents/planner/files-prompt.js";
import { renderPlanProgress } from "../../../src/features/plan/progress.js";
import { MockModelRuntime, type RecordedCall } from "../../support/mock-runtime.js";
import {
  epicReply,
  filesReply,
  fixtureIssue,
  fixtureTree,
  intentReply,
  planReply,
  taskListReply,
  visualReply,
} from "../fixtures.js";

/** Holds every model call until the test releases the round; the rounds are the critical path. */
class Rounds {
  private readonly pending: string[] = [];
  private readonly releases: (() => void)[] = [];

  script(runtime: MockModelRuntime): MockModelRuntime {
    const choosing = (call: RecordedCall) => call.promptVersion === FILES_PROMPT_VERSION;
    const replies: Record<string, (call: RecordedCall) => unknown> = {
      enhancer: () => intentReply(),
      feature: () => epicReply(),
      planner: (call) => (choosing(call) ? filesReply(["src/config.ts"]) : planReply()),
      coordinator: () => taskListReply(),
      visualizer: () => visualReply(),
    };
    for (const [agent, reply] of Object.entries(replies)) {
      runtime.respond(agent, async (call) => {
        this.pending.push(choosing(call) ? "planner: files to read" : agent);
        await new Promise<void>((resolve) => this.releases.push(resolve));
        return reply(call);
      });
    }
    return runtime;
  }

  /** Releases the calls waiting together, round after round, until the plan is done. */
  async drive(work: Promise<unknown>): Promise<string[][]> {
    let done = false;
    void work.then(
      () => (done = true),
      () => (done = true),
    );
    const rounds: string[][] = [];
    for (;;) {
      await settled();
      if (done) return rounds;
      rounds.push(this.pending.splice(0).sort());
      for (const release of this.releases.splice(0)) release();
    }
  }
}

/** Lets every pending promise reaction run: the mock runtime does no I/O. */
async function settled(): Promise<void> {
  for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve));
}

function plan(
  runtime: MockModelRuntime,
  slots: number,
  progress: PlanProgress[] = [],
  readFile?: (path: string) => Promise<string | undefined>,
) {
  return runPlanPipeline(
    { issue: fixtureIssue(), tree: fixtureTree(), readme: "# Greeter" },
    { runtime, slots, onProgress: (p) => void progress.push(p), ...(readFile ? { readFile } : {}) },
  );
}

const readFile = async (path: string) => `// ${path}\nexport const message = "Welcome!";\n`;

describe("independent plan steps side by side", () => {
  it("makes the critical path three model calls when the hosts have two slots free", async () => {
    const rounds = new Rounds();
    const runtime = rounds.script(new MockModelRuntime());
    const work = plan(runtime, 2);
    expect(await rounds.drive(work)).toEqual([
      ["enhancer"],
      ["feature", "planner"],
      ["coordinator", "visualizer"],
    ]);
    const record = await work;
    expect(record.epic).toEqual(epicReply());
    expect(record.tasks?.length).toBeGreaterThan(0);
    expect(record.visual).toBeDefined();
  });

  it("keeps the critical path at three model calls when the Planner reads files, choosing them beside the Enhancer", async () => {
    const rounds = new Rounds();
    const runtime = rounds.script(new MockModelRuntime());
    const work = plan(runtime, 2, [], readFile);
    expect(await rounds.drive(work)).toEqual([
      ["enhancer", "planner: files to read"],
      ["feature", "planner"],
      ["coordinator", "visualizer"],
    ]);
    const record = await work;
    expect(record.plan?.files_to_read).toEqual(["src/config.ts"]);
    expect(runtime.callsFor("planner")[1]!.messages[1]!.content).toContain("// src/config.ts");
  });

  it("with one slot, chooses the files after the Enhancer and before the Feature agent", async () => {
    const rounds = new Rounds();
    const runtime = rounds.script(new MockModelRuntime());
    const work = plan(runtime, 1, [], readFile);
    expect(await rounds.drive(work)).toEqual([
      ["enhancer"],
      ["planner: files to read"],
      ["feature"],
      ["planner"],
      ["coordinator"],
      ["visualizer"],
    ]);
    await work;
  });

  it("runs one step after another with one slot, each reading all before it", async () => {
    const rounds = new Rounds();
    const runtime = rounds.script(new MockModelRuntime());
    const work = plan(runtime, 1);
    expect(await rounds.drive(work)).toEqual([
      ["enhancer"],
      ["feature"],
      ["planner"],
      ["coordinator"],
      ["visualizer"],
    ]);
    await work;
    expect(runtime.callsFor("planner")[0]!.messages[1]!.content).toContain("<backlog>");
    expect(runtime.callsFor("visualizer")[0]!.messages[1]!.content).toContain("<tasks>");
  });

  it("gives the Planner the brief without the backlog, and the Code-Visualizer the design without tasks", async () => {
    const runtime = new MockModelRuntime()
      .script("enhancer", intentReply())
      .script("feature", epicReply())
      .script("planner", planReply())
      .script("coordinator", taskListReply())
      .script("visualizer", visualReply());
    await plan(runtime, 2);
    const planner = runtime.callsFor("planner")[0]!.messages;
    expect(planner[1]!.content).toContain("<brief>");
    expect(planner[1]!.content).not.toContain("<backlog>");
    expect(planner[0]!.content).toContain("Design how to deliver the brief");
    const visualizer = runtime.callsFor("visualizer")[0]!.messages;
    expect(visualizer[1]!.content).toContain("<design>");
    expect(visualizer[1]!.content).not.toContain("<tasks>");
  });

  it("shows the restated problem and both running agents in the status comment", async () => {
    const runtime = new MockModelRuntime()
      .script("enhancer", intentReply())
      .script("feature", epicReply())
      .script("planner", planReply())
      .script("coordinator", taskListReply())
      .script("visualizer", visualReply());
    const progress: PlanProgress[] = [];
    await plan(runtime, 2, progress);
    expect(progress[0]!.brief).toBeUndefined();
    const planner = progress.find((p) => p.agent === "planner")!;
    expect(planner.brief).toBe(intentReply().problem_statement);
    expect(planner.running).toEqual(["feature", "planner"]);
    const body = renderPlanProgress(planner);
    expect(body).toContain(`> ${intentReply().problem_statement}`);
    expect(body).toContain("- ✅ Enhancer-Prompt agent");
    expect(body).toContain("- ⏳ Feature agent");
    expect(body).toContain("- ⏳ Planner agent");
    expect(body).toContain("- ⬜ Coordinator agent");
  });
});
