// `cluster`: three App replicas (child processes) on one Redis, 127.0.0.1. 1,000 signed deliveries
// over 20 s across 25 installations, GitHub answering after 150 ms, the model after 2 s, Octokit's
// write throttling on (shared through Redis); one replica killed at 10 s, then the same without
// the kill; then a burst of 200 labels on one repository (throttling off: the per-installation
// write gap alone would take 10 minutes), which must all be accepted and planned in order.
// Options (`npx tsx bench/run.ts cluster --deliveries=300 --seconds=10 --burst=50`, or the
// BENCH_CLUSTER_* variables) shrink it for a loaded machine.
import { loadavg } from "node:os";
import { Redis } from "ioredis";
import {
  startCommentKeepingGitHub,
  type CommentKeepingGitHub,
} from "../test/support/comment-keeping-github.js";
import { startModelServer, type ModelServer } from "../test/support/model-server.js";
import { startRedis, type RunningRedis } from "../test/support/redis-server.js";
import { sendPlanComment, startReplica, type Replica } from "../test/cluster/replica-fleet.js";
import type { BenchOptions, BenchResult } from "./types.js";

interface Settings {
  deliveries: number;
  seconds: number;
  installations: number;
  burst: number;
}

function settingsFrom(options: BenchOptions): Settings {
  const read = (name: keyof Settings, fallback: number): number => {
    const raw = options[name] ?? process.env[`BENCH_CLUSTER_${name.toUpperCase()}`];
    const value = raw === undefined ? fallback : Number(raw);
    if (!Number.isInteger(value) || value < 1) {
      throw new Error(`cluster bench: --${name} must be a whole number above 0 (it is "${raw}")`);
    }
    return value;
  };
  return {
    deliveries: read("deliveries", 1_000),
    seconds: read("seconds", 20),
    installations: read("installations", 25),
    burst: read("burst", 200),
  };
}

/** Octokit's throttling: writes 1 s apart, comment posts 3 s apart, per installation. */
const WRITE_GAP_S = 1;
const NOTIFY_GAP_S = 3;
const MODEL_DELAY_MS = 2_000;
const BURST_MODEL_DELAY_MS = 50;
/** Waiting for runs ends when no run has finished for this long: the rest are not coming. */
const STALL_MS = 30_000;
const ENV = {
  SYMPHONY_QUEUE_CONCURRENCY: "64",
  SYMPHONY_MODEL_CONCURRENCY: "64",
  SYMPHONY_MODEL_QUEUE_LIMIT: "1000",
  SYMPHONY_REDIS_LOCK_MS: "5000",
};

type Row = Record<string, string | number>;

interface Fleet {
  redis: RunningRedis;
  github: CommentKeepingGitHub;
  model: ModelServer;
  replicas: Replica[];
  /** Redis's slow log (commands over 10 ms) and the server's CPU time, then everything stopped. */
  close(): Promise<{ slowCommands: unknown[]; redisCpuS: number }>;
}

async function startFleet(env: Record<string, string>, githubDelayMs?: number): Promise<Fleet> {
  const [redis, github, model] = await Promise.all([
    startRedis(),
    startCommentKeepingGitHub(githubDelayMs === undefined ? {} : { delayMs: githubDelayMs }),
    startModelServer(),
  ]);
  const fleet = { redisUrl: redis.url, githubUrl: github.url, modelUrl: model.url, env };
  const replicas = await Promise.all([0, 1, 2].map(() => startReplica(fleet)));
  // As a load balancer does: deliveries go to a replica once its readiness probe answers 200.
  await Promise.all(replicas.map((replica) => ready(replica)));
  return {
    redis,
    github,
    model,
    replicas,
    close: async () => {
      const client = new Redis(redis.url);
      const slowCommands = (await client.call("SLOWLOG", "GET", "20")) as unknown[];
      const cpu = /used_cpu_sys:([\d.]+)[\s\S]*used_cpu_user:([\d.]+)/.exec(
        await client.info("cpu"),
      );
      client.disconnect();
      for (const replica of replicas) replica.child.kill("SIGKILL");
      await Promise.all(replicas.map((replica) => replica.exited));
      await Promise.all([model.close(), github.close(), redis.stop()]);
      return { slowCommands, redisCpuS: Number(cpu?.[1] ?? 0) + Number(cpu?.[2] ?? 0) };
    },
  };
}

async function ready(replica: Replica): Promise<void> {
  for (;;) {
    const response = await fetch(`${replica.url}/readyz`).catch(() => undefined);
    await response?.text();
    if (response?.status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

/** Issues whose status comment carries the run's answer. */
function finishedCount(github: CommentKeepingGitHub): number {
  return [...github.comments.values()].filter((list) => list.some((c) => c.body.includes("✅")))
    .length;
}

/** Resolves when `wanted` runs finished, no run finished for STALL_MS, or at `deadlineMs`. */
async function waitForRuns(
  github: CommentKeepingGitHub,
  wanted: number,
  start: number,
  deadlineMs: number,
): Promise<void> {
  let seen = -1;
  let lastProgress = performance.now();
  for (;;) {
    const now = finishedCount(github);
    if (now >= wanted || performance.now() - start > deadlineMs) return;
    if (now !== seen) [seen, lastProgress] = [now, performance.now()];
    if (performance.now() - lastProgress > STALL_MS) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

interface Ack {
  delivery: number;
  atS: number;
  replica: number;
  ms: number;
  status: number;
}

async function spread(
  settings: Settings,
  kill: boolean,
): Promise<{ row: Row; note: string; details: unknown }> {
  const { deliveries, seconds, installations } = settings;
  const load = loadavg()[0]!;
  const fleet = await startFleet({ ...ENV, THROTTLE: "on" }, 150);
  const { github, model, replicas } = fleet;
  model.respond(() => ({ json: { answer: "ok" }, headerDelayMs: MODEL_DELAY_MS }));
  const live = new Set<Replica>(replicas);
  let resent = 0;
  const acks: Ack[] = [];
  const unanswered: number[] = [];
  const start = performance.now();
  const killAtMs = (seconds * 1000) / 2;
  const killer = kill
    ? setTimeout(() => {
        live.delete(replicas[0]!);
        replicas[0]!.child.kill("SIGKILL");
      }, killAtMs)
    : undefined;
  const sends: Promise<void>[] = [];
  for (let i = 0; i < deliveries; i += 1) {
    const at = (i * seconds * 1000) / deliveries;
    const installation = 1000 + (i % installations);
    const delivery = {
      id: `cluster-${kill ? "k" : "n"}-${i}`,
      repository: `bench/repo-${installation}`,
      issue: 1 + Math.floor(i / installations),
      installation,
    };
    sends.push(
      new Promise((resolve) => setTimeout(resolve, at - (performance.now() - start))).then(
        async () => {
          // The load balancer sends to replicas that are up; a delivery whose connection the
          // kill cut is sent again to another (a retrying proxy, or GitHub's redelivery).
          for (let tries = 0; tries < 5; tries += 1) {
            const target = [...live][(i + tries) % live.size]!;
            const sentAt = performance.now();
            const ack = await sendPlanComment(target, delivery).catch(() => undefined);
            if (ack !== undefined) {
              acks.push({
                delivery: i,
                atS: Number(((sentAt - start) / 1000).toFixed(2)),
                replica: replicas.indexOf(target),
                ms: Math.round(ack.ms * 10) / 10,
                status: ack.status,
              });
              return;
            }
            resent += 1;
          }
          unanswered.push(i);
        },
      ),
    );
  }
  await Promise.all(sends);
  const perInstallation = deliveries / installations;
  const floorS =
    Math.max((perInstallation - 1) * NOTIFY_GAP_S, (2 * perInstallation - 1) * WRITE_GAP_S) +
    MODEL_DELAY_MS / 1000;
  const accepted = acks.filter((ack) => ack.status === 200).length;
  // Past 1.5 × the floor the goal (1.2 ×) is missed anyway: what is not done by then is reported.
  await waitForRuns(github, accepted, start, 1.5 * floorS * 1000);
  const doneS = (performance.now() - start) / 1000;
  clearTimeout(killer);
  const finished = finishedCount(github);
  const duplicates = [...github.comments.values()].reduce(
    (n, list) => n + Math.max(0, list.length - 1),
    0,
  );
  const redisSide = await fleet.close();

  const sorted = acks.map((ack) => ack.ms).sort((a, b) => a - b);
  const p99 = percentile(sorted, 99);
  const refused = acks.length - accepted + unanswered.length;
  const lost = accepted - finished;
  const statuses = new Map<number, number>();
  for (const ack of acks) statuses.set(ack.status, (statuses.get(ack.status) ?? 0) + 1);
  if (unanswered.length > 0) statuses.set(0, unanswered.length);
  const name = kill ? `replica killed at ${killAtMs / 1000} s` : "no kill";
  const met = (ok: boolean): string => (ok ? "met" : "MISSED");
  return {
    row: {
      case: name,
      "load avg": Number(load.toFixed(2)),
      "ack p50 ms": Math.round(percentile(sorted, 50)),
      "ack p99 ms": Math.round(p99),
      "HTTP statuses (0: none)": [...statuses].map(([s, n]) => `${s}×${n}`).join(" "),
      "cut off, resent": resent,
      "not done (of accepted)": lost,
      "duplicate comments": duplicates,
      "all done s": Number(doneS.toFixed(1)),
      "floor s": floorS,
      "done / floor": Number((doneS / floorS).toFixed(2)),
      "most out of order": "",
    },
    note:
      `${name}: ack p99 < 50 ms ${met(p99 < 50)}; refused 0 ${met(refused === 0)}; lost 0 ${met(lost === 0)}; ` +
      `duplicates 0 ${met(duplicates === 0)}; done ≤ 1.2 × floor ${met(doneS <= 1.2 * floorS)}`,
    details: {
      case: name,
      slowestAcks: [...acks].sort((a, b) => b.ms - a.ms).slice(0, 25),
      refused: acks.filter((ack) => ack.status !== 200),
      unanswered,
      redis: redisSide,
    },
  };
}

async function burst(settings: Settings): Promise<{ row: Row; note: string; details: unknown }> {
  const size = settings.burst;
  const load = loadavg()[0]!;
  // Two runs at a time per replica, as the defaults: the burst waits in Redis, not in memory.
  const fleet = await startFleet({ ...ENV, SYMPHONY_QUEUE_CONCURRENCY: "2" });
  const { github, model, replicas } = fleet;
  model.respond(() => ({ json: { answer: "ok" }, headerDelayMs: BURST_MODEL_DELAY_MS }));
  const start = performance.now();
  // A maintainer labelling issues one after another: each delivery is sent once the one before
  // was answered, so the order of arrival is the order sent, whichever replica takes each.
  const acks: { status: number; ms: number }[] = [];
  for (let i = 0; i < size; i += 1) {
    acks.push(
      await sendPlanComment(replicas[i % replicas.length]!, {
        id: `burst-${i}`,
        repository: "bench/one",
        issue: i + 1,
        installation: 7,
      }),
    );
  }
  const accepted = acks.filter((ack) => ack.status === 200).length;
  await waitForRuns(github, accepted, start, 300_000);
  const doneS = (performance.now() - start) / 1000;
  // The order the plans were written in, as GitHub saw the writes.
  const written: number[] = [];
  for (const write of github.writes) {
    const issue = Number(write.key.split("#")[1]);
    if (write.body.includes("✅") && !written.includes(issue)) written.push(issue);
  }
  const displacement = Math.max(0, ...written.map((issue, place) => Math.abs(issue - 1 - place)));
  const finished = finishedCount(github);
  await fleet.close();
  const refused = size - accepted;
  const sorted = acks.map((ack) => ack.ms).sort((a, b) => a - b);
  return {
    row: {
      case: `${size} labels, one repository`,
      "load avg": Number(load.toFixed(2)),
      "ack p50 ms": Math.round(percentile(sorted, 50)),
      "ack p99 ms": Math.round(percentile(sorted, 99)),
      "HTTP statuses (0: none)": `200×${accepted}${refused > 0 ? ` other×${refused}` : ""}`,
      "cut off, resent": 0,
      "not done (of accepted)": accepted - finished,
      "duplicate comments": [...github.comments.values()].reduce(
        (n, list) => n + Math.max(0, list.length - 1),
        0,
      ),
      "all done s": Number(doneS.toFixed(1)),
      "floor s": "",
      "done / floor": "",
      "most out of order": displacement,
    },
    note: `burst: refused 0 ${refused === 0 ? "met" : "MISSED"}; plans written ${finished}/${size}; in order of arrival ${displacement === 0 && finished === size ? "met" : "MISSED"} (the furthest plan was written ${displacement} places from its label's)`,
    details: { case: "burst", writtenOrder: written },
  };
}

export default async function cluster(options: BenchOptions = {}): Promise<BenchResult> {
  const settings = settingsFrom(options);
  const results = [
    await spread(settings, true),
    await spread(settings, false),
    await burst(settings),
  ];
  return {
    title: `three replicas on one Redis: ${settings.deliveries} deliveries over ${settings.seconds} s, ${settings.installations} installations, GitHub 150 ms, model 2 s, write throttling on; and a ${settings.burst}-label burst`,
    rows: results.map((result) => result.row),
    notes: [
      ...results.map((result) => result.note),
      `load average (1, 5, 15 min) at the end: ${loadavg()
        .map((n) => n.toFixed(2))
        .join(" ")}`,
    ],
    details: { settings, cases: results.map((result) => result.details) },
  };
}
