// A plan's critical path: how many model calls follow one another, and the wall time, with the
// scripted model answering each call after 2 s, at one and at two parallel slots, without a file
// reader and with one (the issue names a file, and the Planner asks for another before designing).
import { runPlanPipeline } from "../src/agents/conductor/plan.js";
import { createModelRuntime, loadRuntimeSettings } from "../src/runner/index.js";
import { filesReply, fixtureIssue, fixtureTree } from "../test/agents/fixtures.js";
import { agentOf, fixtureReplyFor, MODEL } from "../test/features/plan/plan-fixtures.js";
import { startModelServer } from "../test/support/model-server.js";

const ANSWER_MS = 2000;

interface Timed {
  start: number;
  end: number;
}

/** The longest chain of calls where each started only after the one before it ended. */
export function criticalPath(calls: readonly Timed[]): number {
  const sorted = [...calls].sort((a, b) => a.start - b.start);
  const depth: number[] = [];
  sorted.forEach((call, i) => {
    const before = sorted
      .slice(0, i)
      .map((earlier, j) => (earlier.end <= call.start ? depth[j]! : 0));
    depth[i] = 1 + Math.max(0, ...before);
  });
  return Math.max(0, ...depth);
}

async function onePlan(slots: number, readsFiles: boolean) {
  const models = await startModelServer({ models: [{ name: MODEL }] });
  const timed: Timed[] = [];
  models.respond((request) => {
    const reply = fixtureReplyFor(request);
    if (reply === undefined) return undefined;
    // Reading files: the issue names one (read by code), and the Planner asks for another.
    const json = agentOf(request.body) === "planner-files" ? filesReply(["src/config.ts"]) : reply;
    const call: Timed = { start: performance.now(), end: Infinity };
    timed.push(call);
    const answered = new Promise((resolve) => setTimeout(resolve, ANSWER_MS)).then(() => {
      call.end = performance.now();
    });
    return { json, holdUntil: answered };
  });
  const runtime = createModelRuntime(
    loadRuntimeSettings({
      OLLAMA_HOST: models.url,
      SYMPHONY_MODEL: MODEL,
      SYMPHONY_MODEL_CONCURRENCY: String(slots),
    }),
  );
  const started = performance.now();
  let record: Awaited<ReturnType<typeof runPlanPipeline>> | undefined;
  try {
    record = await runPlanPipeline(
      {
        issue: readsFiles
          ? { ...fixtureIssue(), body: "The welcome belongs in src/handlers/issues.ts." }
          : fixtureIssue(),
        tree: fixtureTree(),
        readme: "# Greeter",
      },
      {
        runtime,
        slots: runtime.freeSlots(),
        ...(readsFiles
          ? { readFile: () => Promise.resolve("export function onIssueOpened() {}\n") }
          : {}),
      },
    );
  } finally {
    await models.close();
  }
  return {
    calls: timed.length,
    path: criticalPath(timed),
    wallMs: performance.now() - started,
    read: record.plan?.files_to_read ?? [],
  };
}

export async function planCriticalPathRows(): Promise<Record<string, string | number>[]> {
  const rows: Record<string, string | number>[] = [];
  for (const readsFiles of [false, true]) {
    for (const slots of [1, 2]) {
      const { calls, path, wallMs, read } = await onePlan(slots, readsFiles);
      const reading = readsFiles ? `, Planner reads ${read.length} files` : "";
      rows.push({
        measure: `critical path, ${slots} slot${slots === 1 ? "" : "s"}${reading} (model answers after 2 s)`,
        value: `${path} sequential of ${calls} calls, ${(wallMs / 1000).toFixed(1)} s`,
        goal: slots === 1 ? "" : "≤ 3 sequential",
      });
    }
  }
  return rows;
}
