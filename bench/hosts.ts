// Plans over several model hosts: 200 plans on 3 scripted hosts of different speeds, each serving
// 2 requests at once, against the ideal schedule (every slot busy until the work runs out); then
// the same with one host killed at half-time. BENCH_HOSTS_PLANS sets the number of plans.
import { once } from "node:events";
import { cpus, loadavg } from "node:os";
import { performance } from "node:perf_hooks";
import { Worker } from "node:worker_threads";
import { runPlanPipeline } from "../src/agents/conductor/plan.js";
import { createModelRuntime, loadRuntimeSettings } from "../src/runner/index.js";
import { fixtureIssue, fixtureTree } from "../test/agents/fixtures.js";
import { MODEL } from "../test/features/plan/plan-fixtures.js";
import type { BenchResult } from "./types.js";

const PLANS = Number(process.env["BENCH_HOSTS_PLANS"] ?? 200);
const CALLS_PER_PLAN = 5;
const PARALLEL = 2;
/** Milliseconds each host takes per answer: fast, middle, slow. */
const ANSWER_MS = [50, 100, 200];
/** Plans run once before timing, so compiling the code is not counted as scheduling. */
const WARM_UP_PLANS = 6;
/** Characters per streamed chunk: a real host streams over seconds, not 50 ms. */
const CHUNK_SIZE = 512;

/** The three hosts, served from their own thread (bench/hosts-servers.ts). */
interface Hosts {
  urls: string[];
  close(index?: number): Promise<void>;
}

async function hosts(): Promise<Hosts> {
  // tsx's loader is registered in the main thread only: the worker loads the file through it.
  const script = new URL("./hosts-servers.ts", import.meta.url).href;
  const load = `import("tsx/esm/api").then((tsx) => tsx.tsImport(${JSON.stringify(script)}, ${JSON.stringify(import.meta.url)}))`;
  const worker = new Worker(load, {
    eval: true,
    workerData: { answerMs: ANSWER_MS, chunkSize: CHUNK_SIZE },
  });
  const [urls] = (await once(worker, "message")) as [string[]];
  return {
    urls,
    close: async (index) => {
      worker.postMessage(index === undefined ? "close" : `close ${index}`);
      await once(worker, "message");
      if (index === undefined) await worker.terminate();
    },
  };
}

/** Calls per millisecond with every slot of these hosts busy. */
function rate(answerMs: readonly number[]): number {
  return answerMs.reduce((sum, ms) => sum + PARALLEL / ms, 0);
}

function plan(runtime: Parameters<typeof runPlanPipeline>[1]["runtime"], n: number) {
  return runPlanPipeline(
    { issue: { ...fixtureIssue(), number: n }, tree: fixtureTree(), readme: "# Greeter" },
    { runtime },
  );
}

async function runPlans(killAtHalf: boolean) {
  const servers = await hosts();
  const runtime = createModelRuntime(
    loadRuntimeSettings({
      SYMPHONY_MODEL_HOSTS: servers.urls.map((url) => `${url}#parallel=${PARALLEL}`).join(","),
      SYMPHONY_MODEL: MODEL,
      SYMPHONY_MODEL_QUEUE_LIMIT: "10000",
    }),
    { backoff: () => 0 },
  );
  await runtime.health();
  await Promise.all(Array.from({ length: WARM_UP_PLANS }, (_, i) => plan(runtime, 10_000 + i)));
  const warmCalls = runtime.hosts().map((h) => h.calls);
  const calls = PLANS * CALLS_PER_PLAN;
  const fullIdealMs = calls / rate(ANSWER_MS);
  const killAt = fullIdealMs / 2;
  const killed = 1;
  const cpuBefore = process.cpuUsage();
  const loopBefore = performance.eventLoopUtilization();
  const started = performance.now();
  let kill: NodeJS.Timeout | undefined;
  if (killAtHalf) kill = setTimeout(() => void servers.close(killed), killAt);
  let failed = 0;
  try {
    await Promise.all(
      Array.from({ length: PLANS }, (_, i) => plan(runtime, i + 1).catch(() => failed++)),
    );
  } finally {
    clearTimeout(kill);
    await servers.close();
  }
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  const loop = performance.eventLoopUtilization(loopBefore);
  const remaining = ANSWER_MS.filter((_, i) => i !== killed);
  const idealMs = killAtHalf
    ? killAt + (calls - rate(ANSWER_MS) * killAt) / rate(remaining)
    : fullIdealMs;
  return {
    wallMs,
    idealMs,
    failed,
    perHost: runtime.hosts().map((h, i) => h.calls - warmCalls[i]!),
    /** CPU this process spent (the runtime here, the hosts in their thread), per call. */
    cpuMsPerCall: (cpu.user + cpu.system) / 1000 / calls,
    /** Share of the wall time the runtime's event loop was busy: near 1, short of CPU. */
    eventLoopBusy: loop.utilization,
  };
}

export default async function hostsBench(): Promise<BenchResult> {
  const load = loadavg()[0]!;
  const steady = await runPlans(false);
  const dying = await runPlans(true);
  const row = (name: string, result: typeof steady) => ({
    measure: name,
    value: `${(result.wallMs / 1000).toFixed(1)} s vs ideal ${(result.idealMs / 1000).toFixed(1)} s = ${(result.wallMs / result.idealMs).toFixed(2)}×`,
    calls: result.perHost.join(" / "),
    failed: result.failed,
    "CPU ms/call": result.cpuMsPerCall.toFixed(2),
    "loop busy": `${Math.round(result.eventLoopBusy * 100)}%`,
    goal: "≤ 1.15×, 0 failed",
  });
  const rows = [
    row(`${PLANS} plans, hosts ${ANSWER_MS.join("/")} ms per answer, parallel ${PARALLEL}`, steady),
    row("the same, the 100 ms host killed at half-time", dying),
  ];
  const ideal = ANSWER_MS.map((ms) => Math.round((PARALLEL / ms / rate(ANSWER_MS)) * PLANS * 5));
  return {
    title: `${PLANS} plans over ${ANSWER_MS.length} model hosts`,
    rows,
    notes: [
      ...rows.map(
        (r) => `${r.measure}: ${r.value}, calls per host ${r.calls}, ${r.failed} plans failed`,
      ),
      `calls per host in the ideal schedule (steady): ${ideal.join(" / ")}`,
      `load average ${load.toFixed(2)} on ${cpus().length} CPUs at the start; "loop busy" is the ` +
        `runtime thread's share of the wall time: near 100%, the run was short of CPU, not of slots`,
    ],
    details: { steady, dying, answerMs: ANSWER_MS, parallel: PARALLEL, loadAverage: load },
  };
}
