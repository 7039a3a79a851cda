// `cluster`: three App replicas (child processes) on one Redis, 127.0.0.1. 1,000 signed deliveries
// over 20 s across 25 installations, GitHub answering after 150 ms, the model after 2 s, Octokit's
// write throttling on (shared through Redis); one replica killed at 10 s, then the same without
// the kill; then a burst of 200 labels on one repository (throttling off: the per-installation
// write gap alone would take 10 minutes), which must all be accepted and started in order.
import { startCommentKeepingGitHub } from "../test/support/comment-keeping-github.js";
import { startModelServer } from "../test/support/model-server.js";
import { startRedis } from "../test/support/redis-server.js";
import { sendPlanComment, startReplica, type Replica } from "../test/cluster/replica-fleet.js";
import type { BenchResult } from "./types.js";

const DELIVERIES = Number(process.env.BENCH_CLUSTER_DELIVERIES ?? 1_000);
const SPREAD_MS = 20_000;
const INSTALLATIONS = 25;
const KILL_AT_MS = 10_000;
const BURST = 200;
/** Octokit's throttling: writes 1 s apart, comment posts 3 s apart, per installation. */
const WRITE_GAP_S = 1;
const NOTIFY_GAP_S = 3;
const MODEL_DELAY_MS = 2_000;
const ENV = {
  SYMPHONY_QUEUE_CONCURRENCY: "64",
  SYMPHONY_MODEL_CONCURRENCY: "64",
  SYMPHONY_MODEL_QUEUE_LIMIT: "1000",
  SYMPHONY_REDIS_LOCK_MS: "5000",
};

interface Row extends Record<string, string | number> {
  case: string;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

async function spread(kill: boolean): Promise<{ row: Row; note: string }> {
  const [redis, github, model] = await Promise.all([
    startRedis(),
    startCommentKeepingGitHub({ delayMs: 150 }),
    startModelServer(),
  ]);
  model.respond(() => ({ json: { answer: "ok" }, headerDelayMs: MODEL_DELAY_MS }));
  const fleet = { redisUrl: redis.url, githubUrl: github.url, modelUrl: model.url };
  const replicas = await Promise.all(
    [0, 1, 2].map(() => startReplica({ ...fleet, env: { ...ENV, THROTTLE: "on" } })),
  );
  const live = new Set<Replica>(replicas);
  let resent = 0;
  const acks: number[] = [];
  const statuses = new Map<number, number>();
  const start = performance.now();
  const killer = kill
    ? setTimeout(() => {
        live.delete(replicas[0]!);
        replicas[0]!.child.kill("SIGKILL");
      }, KILL_AT_MS)
    : undefined;
  const sends: Promise<void>[] = [];
  for (let i = 0; i < DELIVERIES; i += 1) {
    const at = (i * SPREAD_MS) / DELIVERIES;
    const installation = 1000 + (i % INSTALLATIONS);
    sends.push(
      new Promise((resolve) => setTimeout(resolve, at - (performance.now() - start))).then(
        async () => {
          const delivery = {
            id: `cluster-${kill ? "k" : "n"}-${i}`,
            repository: `bench/repo-${installation}`,
            issue: 1 + Math.floor(i / INSTALLATIONS),
            installation,
          };
          // The load balancer sends to replicas that are up; a delivery cut off by the kill is
          // sent again (GitHub shows it failed; the operator, or a retrying proxy, redelivers).
          const send = () => sendPlanComment([...live][i % live.size]!, delivery);
          let ack = await send().catch(() => undefined);
          for (let tries = 0; ack === undefined && tries < 3; tries += 1) {
            resent += 1;
            ack = await send().catch(() => undefined);
          }
          if (ack === undefined) {
            statuses.set(0, (statuses.get(0) ?? 0) + 1);
            return;
          }
          acks.push(ack.ms);
          statuses.set(ack.status, (statuses.get(ack.status) ?? 0) + 1);
        },
      ),
    );
  }
  await Promise.all(sends);
  const perInstallation = DELIVERIES / INSTALLATIONS;
  const floorS =
    Math.max((perInstallation - 1) * NOTIFY_GAP_S, (2 * perInstallation - 1) * WRITE_GAP_S) +
    MODEL_DELAY_MS / 1000;
  const finishedCount = (): number =>
    [...github.comments.values()].filter((list) => list.some((c) => c.body.includes("✅"))).length;
  while (finishedCount() < DELIVERIES && performance.now() - start < floorS * 3_000) {
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const doneS = (performance.now() - start) / 1000;
  clearTimeout(killer);
  const duplicates = [...github.comments.values()].reduce(
    (n, list) => n + Math.max(0, list.length - 1),
    0,
  );
  const lost = DELIVERIES - finishedCount();
  for (const replica of replicas) replica.child.kill("SIGKILL");
  await Promise.all(replicas.map((replica) => replica.exited));
  await Promise.all([model.close(), github.close(), redis.stop()]);
  const sorted = [...acks].sort((a, b) => a - b);
  const p99 = percentile(sorted, 99);
  const name = kill ? "replica killed at 10 s" : "no kill";
  return {
    row: {
      case: name,
      "ack p50 ms": Math.round(percentile(sorted, 50)),
      "ack p99 ms": Math.round(p99),
      "HTTP statuses (0: no answer)": [...statuses].map(([s, n]) => `${s}×${n}`).join(" "),
      "sends cut off, resent": resent,
      lost,
      "duplicate comments": duplicates,
      "all done s": Number(doneS.toFixed(1)),
      "floor s": floorS,
      "done / floor": Number((doneS / floorS).toFixed(2)),
    },
    note:
      `${name}: ack p99 < 50 ms ${p99 < 50 ? "met" : "MISSED"}; lost 0 ${lost === 0 ? "met" : "MISSED"}; ` +
      `duplicates 0 ${duplicates === 0 ? "met" : "MISSED"}; done ≤ 1.2 × floor ${doneS <= 1.2 * floorS ? "met" : "MISSED"}`,
  };
}

async function burst(): Promise<{ row: Row; note: string }> {
  const [redis, github, model] = await Promise.all([
    startRedis(),
    startCommentKeepingGitHub(),
    startModelServer(),
  ]);
  model.respond(() => ({ json: { answer: "ok" }, headerDelayMs: 200 }));
  const fleet = { redisUrl: redis.url, githubUrl: github.url, modelUrl: model.url };
  // Two runs at a time per replica, as the defaults: the burst waits in Redis, not in memory.
  const env = { ...ENV, SYMPHONY_QUEUE_CONCURRENCY: "2" };
  const replicas = await Promise.all([0, 1, 2].map(() => startReplica({ ...fleet, env })));
  const start = performance.now();
  const acks = await Promise.all(
    Array.from({ length: BURST }, (_, i) =>
      sendPlanComment(replicas[i % replicas.length]!, {
        id: `burst-${i}`,
        repository: "bench/one",
        issue: i + 1,
        installation: 7,
      }),
    ),
  );
  const finished = (): number =>
    [...github.comments.values()].filter((list) => list.some((c) => c.body.includes("✅"))).length;
  while (finished() < BURST && performance.now() - start < 300_000) {
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const doneS = (performance.now() - start) / 1000;
  // Status comments are numbered as GitHub creates them: their order is the order runs started.
  const started = [...github.comments.entries()]
    .map(([key, list]) => ({ issue: Number(key.split("#")[1]), id: list[0]?.id ?? 0 }))
    .sort((a, b) => a.id - b.id)
    .map((entry) => entry.issue);
  // How far each run started from its place in arrival order (0: exactly in order).
  const displacement = Math.max(...started.map((issue, place) => Math.abs(issue - 1 - place)));
  const refused = acks.filter((ack) => ack.status !== 200).length;
  for (const replica of replicas) replica.child.kill("SIGKILL");
  await Promise.all(replicas.map((replica) => replica.exited));
  await Promise.all([model.close(), github.close(), redis.stop()]);
  return {
    row: {
      case: `${BURST} labels, one repository`,
      "ack p99 ms": Math.round(
        percentile(
          [...acks.map((a) => a.ms)].sort((a, b) => a - b),
          99,
        ),
      ),
      "HTTP statuses": `200×${BURST - refused}${refused > 0 ? ` other×${refused}` : ""}`,
      lost: BURST - finished(),
      "all done s": Number(doneS.toFixed(1)),
      "most out of order": displacement,
    },
    note: `burst: refused 0 ${refused === 0 ? "met" : "MISSED"}; plans written ${finished()}/${BURST}; runs started at most ${displacement} places from arrival order (6 run at once, so up to 5 is in order)`,
  };
}

export default async function cluster(): Promise<BenchResult> {
  const results = [await spread(true), await spread(false), await burst()];
  return {
    title: `three replicas on one Redis: ${DELIVERIES} deliveries over ${SPREAD_MS / 1000} s, ${INSTALLATIONS} installations, GitHub 150 ms, model 2 s, write throttling on; and a ${BURST}-label burst`,
    rows: results.map((result) => result.row),
    notes: results.map((result) => result.note),
  };
}
