// `load`: 500 signed webhook deliveries over 10 s, across 25 installations, to Probot's real HTTP
// server on 127.0.0.1; GitHub is a local HTTP server, Octokit's write throttling is on as in
// production (SymphonyProbotOctokit), and the scripted Ollama server answers each call after 2 s.
import { createHmac, generateKeyPairSync } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { pino } from "pino";
import { Probot, Server } from "probot";
import { createSymphonyApp } from "../src/create-app.js";
import { SymphonyMetrics } from "../src/app/metrics.js";
import { WorkQueue } from "../src/app/queue.js";
import { SymphonyProbotOctokit } from "../src/github/probot-octokit.js";
import { registerCommentCommands } from "../src/app/comment-commands.js";
import { createModelRuntime, loadRuntimeSettings } from "../src/runner/index.js";
import { probeCommand } from "../test/production/probe-command.js";
import { startModelServer } from "../test/support/model-server.js";
import { webhookPayload } from "../test/support/probot.js";
import type { BenchResult } from "./types.js";

const DELIVERIES = Number(process.env.BENCH_LOAD_DELIVERIES ?? 500);
const SPREAD_MS = 10_000;
const INSTALLATIONS = Number(process.env.BENCH_LOAD_INSTALLATIONS ?? 25);
const MODEL_DELAY_MS = 2_000;
const SECRET = "bench-secret";
/** Octokit's throttling: writes 1 s apart, and notification-triggering writes (comment posts) 3 s apart, per installation. */
const WRITE_GAP_S = 1;
const NOTIFY_GAP_S = 3;
/** The queue for this load: sized by the operator for the model host (the defaults are 2 / 100 / 10). */
const QUEUE = { concurrency: 64, maxQueued: 1_000, maxQueuedPerRepository: 50 };

interface Comment {
  id: number;
  body: string;
  user: { login: string; type: "Bot" };
}

/** A GitHub REST mock that keeps comments, so duplicates can be counted afterwards. */
function startGitHub() {
  const comments = new Map<string, Comment[]>();
  let nextId = 1;
  const server = createServer((req, res) => void handle(req, res));
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body =
      chunks.length > 0 ? (JSON.parse(Buffer.concat(chunks).toString()) as { body?: string }) : {};
    const url = new URL(req.url ?? "/", "http://x");
    const path = url.pathname;
    const send = (status: number, data: unknown): void => {
      res.writeHead(status, {
        "content-type": "application/json",
        "x-ratelimit-remaining": "4999",
      });
      res.end(JSON.stringify(data));
    };
    let match: RegExpMatchArray | null;
    if (req.method === "POST" && /^\/app\/installations\/\d+\/access_tokens$/.test(path)) {
      return send(201, { token: "ghs_bench", expires_at: "2999-01-01T00:00:00Z" });
    }
    if (path.includes("/contents/")) return send(404, { message: "Not Found" });
    if ((match = path.match(/^\/repos\/([^/]+)\/([^/]+)\/collaborators\/([^/]+)\/permission$/))) {
      return send(200, { permission: "write", role_name: "write", user: { login: match[3] } });
    }
    if ((match = path.match(/^\/repos\/([^/]+\/[^/]+)\/issues\/(\d+)\/comments$/))) {
      const key = `${match[1]}#${match[2]}`;
      const list = comments.get(key) ?? [];
      if (req.method === "GET") return send(200, list);
      const comment: Comment = {
        id: nextId++,
        body: body.body ?? "",
        user: { login: "symphony[bot]", type: "Bot" },
      };
      comments.set(key, [...list, comment]);
      return send(201, { ...comment, html_url: `https://github.test/${key}#${comment.id}` });
    }
    if ((match = path.match(/^\/repos\/[^/]+\/[^/]+\/issues\/comments\/(\d+)$/))) {
      const id = Number(match[1]);
      for (const list of comments.values()) {
        const comment = list.find((c) => c.id === id);
        if (comment !== undefined) {
          comment.body = body.body ?? comment.body;
          return send(200, comment);
        }
      }
      return send(404, { message: "Not Found" });
    }
    return send(404, { message: `bench GitHub has no ${req.method} ${path}` });
  }
  return { server, comments };
}

async function listen(server: ReturnType<typeof createServer>): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return (server.address() as AddressInfo).port;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

export default async function load(): Promise<BenchResult> {
  const github = startGitHub();
  const githubPort = await listen(github.server);
  const model = await startModelServer();
  model.respond(() => ({ json: { answer: "ok" }, headerDelayMs: MODEL_DELAY_MS }));
  const runtime = createModelRuntime(
    loadRuntimeSettings({
      OLLAMA_HOST: model.url,
      SYMPHONY_MODEL_CONCURRENCY: "64",
      SYMPHONY_MODEL_QUEUE_LIMIT: "1000",
    }),
  );
  const queue = new WorkQueue({ ...QUEUE, onError: () => undefined });
  const metrics = new SymphonyMetrics({ processMetrics: true });
  const reserve = createServer();
  const port = await listen(reserve);
  await new Promise<void>((resolve) => reserve.close(() => resolve()));
  const { privateKey } = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    publicKeyEncoding: { type: "spki", format: "pem" },
    privateKeyEncoding: { type: "pkcs1", format: "pem" },
  });
  // Probot 14 builds an instance's logger when it first loads, so `new Probot(...).log` is still
  // undefined here and the Server would fall back to an info-level pretty logger on stdout: a
  // thousand pretty-printed lines on the event loop that answers the webhooks.
  const log = pino({ level: "silent" });
  const server = new Server({
    host: "127.0.0.1",
    port,
    log,
    enableStaticFiles: false,
    Probot: Probot.defaults({
      appId: 1,
      privateKey,
      secret: SECRET,
      baseUrl: `http://127.0.0.1:${githubPort}`,
      Octokit: SymphonyProbotOctokit,
      log,
    }),
  });
  await server.load(
    createSymphonyApp({
      runtime,
      botLogin: "symphony[bot]",
      commands: [probeCommand()],
      listeners: [registerCommentCommands],
      queue,
      metrics,
    }),
  );
  await server.start();
  const url = `http://127.0.0.1:${server.port}/api/github/webhooks`;

  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 100);
  const acks: number[] = [];
  const byDelivery: { delivery: number; installation: number; ms: number }[] = [];
  const statuses = new Map<number, number>();
  const start = performance.now();
  const sends: Promise<void>[] = [];
  for (let i = 0; i < DELIVERIES; i += 1) {
    const at = (i * SPREAD_MS) / DELIVERIES;
    const installation = 1000 + (i % INSTALLATIONS);
    const issue = 1 + Math.floor(i / INSTALLATIONS);
    const payload = webhookPayload("issue_comment.created", (p) => {
      p.comment.body = "/symphony plan";
      p.comment.id = 10_000 + i;
      p.issue.number = issue;
      p.repository.name = `repo-${installation}`;
      p.repository.full_name = `bench/repo-${installation}`;
      p.repository.owner.login = "bench";
      p.installation = { id: installation, node_id: "x" };
    });
    sends.push(
      new Promise<void>((resolve) => setTimeout(resolve, at - (performance.now() - start))).then(
        async () => {
          const body = JSON.stringify(payload);
          const sent = performance.now();
          const response = await fetch(url, {
            method: "POST",
            body,
            headers: {
              "content-type": "application/json",
              "x-github-event": "issue_comment",
              "x-github-delivery": `bench-${i}`,
              "x-hub-signature-256": `sha256=${createHmac("sha256", SECRET).update(body).digest("hex")}`,
            },
          });
          await response.text();
          acks.push(performance.now() - sent);
          byDelivery.push({ delivery: i, installation, ms: Math.round(performance.now() - sent) });
          statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        },
      ),
    );
  }
  await Promise.all(sends);
  await queue.onIdle();
  // Runs write their final status comment inside the job; wait until every comment has its answer.
  for (;;) {
    const all = [...github.comments.values()].flat();
    if (all.length >= DELIVERIES && all.every((c) => !c.body.includes("Working"))) break;
    if (performance.now() - start > 600_000) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const doneS = (performance.now() - start) / 1000;
  clearInterval(sampler);

  const all = [...github.comments.values()].flat();
  const finished = all.filter((c) => c.body.includes("✅")).length;
  const duplicates = [...github.comments.values()].reduce(
    (n, list) => n + Math.max(0, list.length - 1),
    0,
  );
  const perInstallation = DELIVERIES / INSTALLATIONS;
  // Each delivery posts one comment (3 s apart per installation) and edits it once (1 s apart).
  const floorS =
    Math.max((perInstallation - 1) * NOTIFY_GAP_S, (2 * perInstallation - 1) * WRITE_GAP_S) +
    MODEL_DELAY_MS / 1000;
  const outcomes = new Map<string, number>();
  for (const c of all) {
    const line = c.body.split("\n")[1]?.slice(0, 60) ?? "";
    outcomes.set(line, (outcomes.get(line) ?? 0) + 1);
  }
  const sorted = [...acks].sort((a, b) => a - b);
  await server.stop();
  await model.close();
  github.server.close();

  const p50 = percentile(sorted, 50);
  const p99 = percentile(sorted, 99);
  // Each installation's first delivery also fetches its installation token, which Octokit's
  // throttling serialises App-wide (one token request at a time): a cold-start cost, paid again
  // only when a token expires (hourly).
  const warm = byDelivery
    .filter((ack) => ack.delivery >= INSTALLATIONS)
    .map((ack) => ack.ms)
    .sort((a, b) => a - b);
  const warmP99 = percentile(warm, 99);
  const lost = DELIVERIES - finished;
  return {
    title: `${DELIVERIES} signed deliveries over ${SPREAD_MS / 1000} s, ${INSTALLATIONS} installations, model 2 s, write throttling on`,
    rows: [
      {
        "ack p50 ms": Math.round(p50),
        "ack p99 ms": Math.round(p99),
        "ack p99 ms, token held": Math.round(warmP99),
        "HTTP statuses": [...statuses].map(([s, n]) => `${s}×${n}`).join(" "),
        "runs finished": finished,
        lost,
        "duplicate comments": duplicates,
        "all done s": Number(doneS.toFixed(1)),
        "floor s": floorS,
        "done / floor": Number((doneS / floorS).toFixed(2)),
        "peak RSS MB": Math.round(peakRss / 1024 / 1024),
      },
    ],
    notes: [
      `goal ack p99 < 100 ms: ${p99 < 100 ? "met" : "MISSED"} (${Math.round(p99)} ms over all deliveries; ${Math.round(warmP99)} ms once each installation holds its token — the first delivery per installation also fetches the token, serialised App-wide by Octokit's throttling)`,
      `goal lost = 0: ${lost === 0 ? "met" : "MISSED"}; duplicates = 0: ${duplicates === 0 ? "met" : "MISSED"}`,
      `goal completion ≤ 1.2 × floor: ${doneS <= 1.2 * floorS ? "met" : "MISSED"} (${doneS.toFixed(1)} s vs ${floorS} s)`,
      `queue: ${JSON.stringify(QUEUE)}`,
    ],
    details: {
      outcomes: Object.fromEntries(outcomes),
      acksMs: sorted.map((ms) => Math.round(ms)),
      slowest: [...byDelivery].sort((a, b) => b.ms - a.ms).slice(0, 30),
      statuses: Object.fromEntries(statuses),
    },
  };
}
