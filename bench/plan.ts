// Planning from the webhook's side: how fast the status comment appears with GitHub answering at
// once (a local server standing in for api.github.com), how many model calls one plan makes, and
// the largest prompt against the budget, for a fixture issue on a 5,000-file tree.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Probot, ProbotOctokit } from "probot";
import { createSymphonyApp } from "../src/create-app.js";
import { WorkQueue } from "../src/app/queue.js";
import { registerCommentCommands } from "../src/app/comment-commands.js";
import { helpCommand } from "../src/app/help.js";
import { planCommands, registerPlanListeners } from "../src/features/plan/plan.js";
import { parsePlanRecord } from "../src/features/plan/plan-markdown.js";
import { createModelRuntime, loadRuntimeSettings } from "../src/runner/index.js";
import { filesReply } from "../test/agents/fixtures.js";
import {
  agentOf,
  fixtureReplyFor,
  FIXTURE_FILES,
  MODEL,
} from "../test/features/plan/plan-fixtures.js";
import { startModelServer } from "../test/support/model-server.js";
import { testPrivateKey, webhookPayload } from "../test/support/probot.js";
import { planCriticalPathRows } from "./plan-path.js";
import type { BenchResult } from "./types.js";

const RUNS = 21;
const TREE_FILES = 5_000;
const CONTEXT = 32_768;
const BOT = "symphony-bench[bot]";

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};

/** api.github.com as the plan feature uses it, answering at once. */
async function startGitHub(onStatusPosted: () => void, onEdit: (body: string) => void) {
  const paths = [
    ...FIXTURE_FILES,
    ...Array.from(
      { length: TREE_FILES - FIXTURE_FILES.length },
      (_, i) => `packages/p${i % 40}/src/feature-${i}.ts`,
    ),
  ];
  const tree = JSON.stringify({
    sha: "tree",
    truncated: false,
    tree: paths.map((path) => ({ path, type: "blob", mode: "100644", sha: "0", size: 900 })),
  });
  const issue = JSON.stringify({
    number: 1,
    title: "Greet first-time contributors",
    body: "When someone opens their first issue, the bot should post a friendly welcome comment.\n".repeat(
      20,
    ),
    labels: [{ name: "symphony" }],
    state: "open",
  });
  const comment = JSON.stringify({
    id: 700,
    html_url: "https://github.com/o/r/issues/1#issuecomment-700",
    body: "",
    user: { login: BOT, type: "Bot" },
  });
  const file = (text: string) =>
    JSON.stringify({
      type: "file",
      encoding: "base64",
      size: text.length,
      content: Buffer.from(text).toString("base64"),
    });
  const routes: [string, RegExp, (res: ServerResponse, body: string) => void][] = [
    [
      "POST",
      /^\/app\/installations\/\d+\/access_tokens$/,
      (res) => json(res, 201, '{"token":"ghs_bench","expires_at":"2999-01-01T00:00:00Z"}'),
    ],
    [
      "GET",
      /\/contents\/\.github%2Fsymphony\.yml/,
      (res) => json(res, 404, '{"message":"Not Found"}'),
    ],
    [
      "GET",
      /\/collaborators\/[^/]+\/permission$/,
      (res) => json(res, 200, '{"permission":"write","role_name":"write"}'),
    ],
    ["GET", /\/issues\/1\/comments/, (res) => json(res, 200, "[]")],
    [
      "POST",
      /\/issues\/1\/comments$/,
      (res) => {
        onStatusPosted();
        json(res, 201, comment);
      },
    ],
    [
      "PATCH",
      /\/issues\/comments\/700$/,
      (res, body) => {
        onEdit(body);
        json(res, 200, comment);
      },
    ],
    ["GET", /\/issues\/1$/, (res) => json(res, 200, issue)],
    ["GET", /^\/repos\/[^/]+\/[^/]+$/, (res) => json(res, 200, '{"default_branch":"main"}')],
    [
      "GET",
      /\/branches\/main$/,
      (res) => json(res, 200, '{"commit":{"sha":"head","commit":{"tree":{"sha":"tree"}}}}'),
    ],
    ["GET", /\/git\/trees\/tree/, (res) => json(res, 200, tree)],
    ["GET", /\/readme/, (res) => json(res, 200, file("# Greeter\nA Probot app that greets.\n"))],
    [
      "GET",
      /\/contents\//,
      (res) => json(res, 200, file("export function onIssue() {}\n".repeat(40))),
    ],
  ];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const path = (req.url ?? "").split("?")[0]!;
      const route = routes.find(([method, pattern]) => method === req.method && pattern.test(path));
      if (route) route[2](res, Buffer.concat(chunks).toString("utf8"));
      else json(res, 404, '{"message":"Not Found"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function json(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(body);
}

export default async function planBench(): Promise<BenchResult> {
  let posted: (() => void) | undefined;
  let lastEdit = "";
  const github = await startGitHub(
    () => posted?.(),
    (body) => {
      lastEdit = (JSON.parse(body) as { body: string }).body;
    },
  );
  const models = await startModelServer({ models: [{ name: MODEL, contextLength: CONTEXT }] });
  // The Planner asks to read a file before it designs, so a plan makes its full six calls.
  models.respond((request) => {
    if (agentOf(request.body) === "planner-files") {
      return { json: filesReply(["src/handlers/issues.ts"]) };
    }
    const reply = fixtureReplyFor(request);
    return reply === undefined ? undefined : { json: reply };
  });
  const runtime = createModelRuntime(
    loadRuntimeSettings({ OLLAMA_HOST: models.url, SYMPHONY_MODEL: MODEL }),
  );
  const queue = new WorkQueue({ onError: (error) => console.error(error) });
  const probot = new Probot({
    appId: 1,
    privateKey: testPrivateKey(),
    baseUrl: github.url,
    logLevel: "fatal",
    // Throttling spaces writes a second apart per installation; GitHub "answering at once" means no waits.
    Octokit: ProbotOctokit.defaults((options: Record<string, unknown>) => ({
      ...options,
      retry: { enabled: false },
      throttle: { ...(options.throttle as object | undefined), enabled: false },
    })),
  });
  await probot.load(
    createSymphonyApp({
      runtime,
      queue,
      botLogin: BOT,
      commands: [...planCommands, helpCommand],
      listeners: [registerCommentCommands, registerPlanListeners],
    }),
  );
  const payload = webhookPayload("issues.labeled", (p) => {
    p.label = { ...p.label!, name: "symphony" };
  });

  const latencies: number[] = [];
  const calls: number[] = [];
  let budget = 0;
  let largest = { tokens: 0, numCtx: 0, agent: "" };
  try {
    for (let run = 0; run < RUNS; run++) {
      const start = performance.now();
      const seen = new Promise<number>((resolve) => {
        posted = () => resolve(performance.now() - start);
      });
      await probot.receive({ id: `bench-${run}`, name: "issues", payload } as Parameters<
        Probot["receive"]
      >[0]);
      latencies.push(await seen);
      await queue.onIdle();
    }
    calls.push(models.chatRequests().length / RUNS);
    budget = await runtime.promptBudget();
  } finally {
    await models.close();
    await github.close();
  }
  // The last plan as GitHub would store it tells the prompt sizes.
  const record = parsePlanRecord(lastEdit);
  for (const usage of record?.usage ?? []) {
    if (usage.estimatedPromptTokens > largest.tokens) {
      largest = {
        tokens: usage.estimatedPromptTokens,
        numCtx: usage.numCtx ?? 0,
        agent: usage.agent,
      };
    }
  }
  const warm = latencies.slice(1);
  const rows: Record<string, string | number>[] = [
    {
      measure: "webhook → status comment POST (median, warm)",
      value: `${median(warm).toFixed(1)} ms`,
      goal: "< 100 ms",
    },
    {
      measure: "webhook → status comment POST (first, cold token)",
      value: `${latencies[0]!.toFixed(1)} ms`,
      goal: "",
    },
    { measure: "model calls per plan", value: calls[0] ?? 0, goal: "≤ 6" },
    {
      measure: "largest prompt (estimated tokens) / prompt budget",
      value: `${largest.tokens} / ${budget} (${largest.agent}, num_ctx ${largest.numCtx})`,
      goal: "≤ budget",
    },
  ];
  rows.push(...(await planCriticalPathRows()));
  return {
    title: `status comment latency, calls and prompt size, ${TREE_FILES}-file tree, ${RUNS} runs`,
    rows,
    notes: [
      `median ${median(warm).toFixed(1)} ms ${median(warm) < 100 ? "meets" : "misses"} the 100 ms goal`,
      `${calls[0]} model calls per plan ${(calls[0] ?? 99) <= 6 ? "meets" : "misses"} the ≤ 6 goal`,
    ],
    details: { latenciesMs: latencies, budget, largest, contextLength: CONTEXT },
  };
}
