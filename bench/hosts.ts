// Plans over several model hosts: 200 plans on 3 scripted hosts of different speeds, each serving
// 2 requests at once, against the ideal schedule (every slot busy until the work runs out); then
// the same with one host killed at half-time.
import { runPlanPipeline } from "../src/agents/conductor/plan.js";
import { createModelRuntime, loadRuntimeSettings } from "../src/runner/index.js";
import { fixtureIssue, fixtureTree } from "../test/agents/fixtures.js";
import { fixtureReplyFor, MODEL } from "../test/features/plan/plan-fixtures.js";
import { startModelServer, type ModelServer } from "../test/support/model-server.js";
import type { BenchResult } from "./types.js";

const PLANS = 200;
const CALLS_PER_PLAN = 5;
const PARALLEL = 2;
/** Milliseconds each host takes per answer: fast, middle, slow. */
const ANSWER_MS = [50, 100, 200];

async function hosts(): Promise<ModelServer[]> {
  return Promise.all(
    ANSWER_MS.map(async (ms) => {
      const server = await startModelServer({ models: [{ name: MODEL }], loaded: [MODEL] });
      server.respond((request) => {
        const reply = fixtureReplyFor(request);
        return reply === undefined ? undefined : { json: reply, headerDelayMs: ms };
      });
      return server;
    }),
  );
}

/** Calls per millisecond with every slot of these hosts busy. */
function rate(answerMs: readonly number[]): number {
  return answerMs.reduce((sum, ms) => sum + PARALLEL / ms, 0);
}

async function runPlans(killAtHalf: boolean) {
  const servers = await hosts();
  const runtime = createModelRuntime(
    loadRuntimeSettings({
      SYMPHONY_MODEL_HOSTS: servers.map((s) => `${s.url}#parallel=${PARALLEL}`).join(","),
      SYMPHONY_MODEL: MODEL,
      SYMPHONY_MODEL_QUEUE_LIMIT: "10000",
    }),
    { backoff: () => 0 },
  );
  await runtime.health();
  const calls = PLANS * CALLS_PER_PLAN;
  const fullIdealMs = calls / rate(ANSWER_MS);
  const killAt = fullIdealMs / 2;
  const killed = 1;
  const started = performance.now();
  let kill: NodeJS.Timeout | undefined;
  if (killAtHalf) kill = setTimeout(() => void servers[killed]!.close(), killAt);
  let failed = 0;
  try {
    await Promise.all(
      Array.from({ length: PLANS }, (_, i) =>
        runPlanPipeline(
          { issue: { ...fixtureIssue(), number: i + 1 }, tree: fixtureTree(), readme: "# Greeter" },
          { runtime },
        ).catch(() => failed++),
      ),
    );
  } finally {
    clearTimeout(kill);
    await Promise.all(servers.map((s) => s.close()));
  }
  const wallMs = performance.now() - started;
  const remaining = ANSWER_MS.filter((_, i) => i !== killed);
  const idealMs = killAtHalf
    ? killAt + (calls - rate(ANSWER_MS) * killAt) / rate(remaining)
    : fullIdealMs;
  return {
    wallMs,
    idealMs,
    failed,
    perHost: runtime.hosts().map((h) => h.calls),
  };
}

export default async function hostsBench(): Promise<BenchResult> {
  const steady = await runPlans(false);
  const dying = await runPlans(true);
  const row = (name: string, result: typeof steady) => ({
    measure: name,
    value: `${(result.wallMs / 1000).toFixed(1)} s vs ideal ${(result.idealMs / 1000).toFixed(1)} s = ${(result.wallMs / result.idealMs).toFixed(2)}×`,
    calls: result.perHost.join(" / "),
    failed: result.failed,
    goal: "≤ 1.15×, 0 failed",
  });
  const rows = [
    row(`${PLANS} plans, hosts ${ANSWER_MS.join("/")} ms per answer, parallel ${PARALLEL}`, steady),
    row("the same, the 100 ms host killed at half-time", dying),
  ];
  return {
    title: `${PLANS} plans over ${ANSWER_MS.length} model hosts`,
    rows,
    notes: rows.map(
      (r) => `${r.measure}: ${r.value}, calls per host ${r.calls}, ${r.failed} plans failed`,
    ),
    details: { steady, dying, answerMs: ANSWER_MS, parallel: PARALLEL },
  };
}
