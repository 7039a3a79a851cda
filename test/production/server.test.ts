import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import type nock from "nock";
import { afterEach, describe, expect, it } from "vitest";
import { createSymphonyApp } from "../../src/create-app.js";
import type { SymphonyMetrics } from "../../src/app/metrics.js";
import { readOpsAccess, type OpsAccess } from "../../src/app/ops-access.js";
import { WorkQueue } from "../../src/app/queue.js";
import { registerCommentCommands } from "../../src/app/comment-commands.js";
import { helpCommand } from "../../src/app/help.js";
import {
  githubApi,
  issueComment,
  mockIssueComments,
  mockPermission,
  mockRepoConfig,
} from "../support/github.js";
import { MockModelRuntime } from "../support/mock-runtime.js";
import {
  createFakeRuntime,
  mockInstallationToken,
  TEST_BOT_LOGIN,
  webhookPayload,
} from "../support/probot.js";
import type { ProviderHealth } from "../../src/runner/types.js";
import {
  postWebhook,
  probeCommand,
  sign,
  startSymphonyServer,
  useGitHubMockWithLocalServers,
  type RunningServer,
} from "./harness.js";

useGitHubMockWithLocalServers();

let running: RunningServer | undefined;
let opsServer: Server | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
  await new Promise((resolve) => (opsServer ? opsServer.close(resolve) : resolve(undefined)));
  opsServer = undefined;
});

const COMMENTS = "/repos/Codertocat/Hello-World/issues/1/comments";

function command(body: string) {
  return webhookPayload("issue_comment.created", (payload) => {
    payload.comment.body = body;
  });
}

async function serve(
  options: {
    health?: ProviderHealth;
    queue?: WorkQueue;
    models?: MockModelRuntime;
    metrics?: SymphonyMetrics;
    ops?: OpsAccess;
  } = {},
) {
  running = await startSymphonyServer({
    app: createSymphonyApp({
      runtime: createFakeRuntime({
        ...(options.health === undefined ? {} : { health: options.health }),
        ...(options.models === undefined ? {} : { models: options.models }),
      }),
      botLogin: TEST_BOT_LOGIN,
      commands: [helpCommand, probeCommand()],
      listeners: [registerCommentCommands],
      ...(options.queue === undefined ? {} : { queue: options.queue }),
      ...(options.metrics === undefined ? {} : { metrics: options.metrics }),
      ...(options.ops === undefined ? {} : { ops: options.ops }),
    }),
  });
  return running.url;
}

/** The App's server with /metrics and /readyz on a port of their own; resolves to both URLs. */
async function serveWithMetricsPort(token?: string): Promise<{ webhook: string; ops: string }> {
  let listening: (server: Server) => void = () => undefined;
  const started = new Promise<Server>((resolve) => (listening = resolve));
  const webhook = await serve({
    ops: { port: 0, host: "127.0.0.1", onListening: listening, ...(token ? { token } : {}) },
  });
  opsServer = await started;
  const { port } = opsServer.address() as AddressInfo;
  return { webhook, ops: `http://127.0.0.1:${port}` };
}

/** The help reply: config, permission, the comment list and one POST. */
function mockHelpReply(posted: string[] = []): nock.Scope {
  const scope = mockInstallationToken(githubApi());
  mockRepoConfig(scope, undefined);
  mockPermission(scope, "Codertocat", "write");
  mockIssueComments(scope, 1, []);
  return scope
    .post(COMMENTS, (body: { body: string }) => posted.push(body.body) > 0)
    .reply(201, issueComment({ id: 10, body: "" }));
}

describe("webhook signatures, through Probot's HTTP server", () => {
  it("answers a correctly signed delivery 200 and runs the command", async () => {
    const url = await serve();
    const posted: string[] = [];
    const scope = mockHelpReply(posted);

    const delivery = await postWebhook(url, "issue_comment.created", command("/symphony help"));

    expect(delivery.status).toBe(200);
    expect(scope.isDone()).toBe(true);
    expect(posted[0]).toContain("**Symphony commands**");
  });

  it("refuses a delivery signed with another secret, without a single GitHub call", async () => {
    const url = await serve();
    const payload = command("/symphony help");

    const delivery = await postWebhook(url, "issue_comment.created", payload, {
      signature: `sha256=${"0".repeat(64)}`,
    });

    expect(delivery.status).toBe(400);
    expect(delivery.body).toContain("signature does not match");
  });

  it("refuses a delivery without a signature, without a single GitHub call", async () => {
    const url = await serve();

    const delivery = await postWebhook(url, "issue_comment.created", command("/symphony help"), {
      signature: null,
    });

    expect(delivery.status).toBe(400);
    expect(delivery.body).toContain("x-hub-signature-256");
  });

  it("refuses a body changed after signing", async () => {
    const url = await serve();
    const original = command("/symphony help");
    const signature = sign(JSON.stringify(original));
    const tampered = command("/symphony plan");

    const delivery = await postWebhook(url, "issue_comment.created", tampered, { signature });

    expect(delivery.status).toBe(400);
  });
});

describe("/healthz and /readyz", () => {
  it("answers /healthz while the process serves", async () => {
    const url = await serve();

    const response = await fetch(`${url}/healthz`);

    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: "ok" });
  });

  it("is ready when the model host answers and has the model", async () => {
    const url = await serve();

    const response = await fetch(`${url}/readyz`);

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      status: "ready",
      modelHost: "answering",
      modelPresent: true,
      version: "0.0.0-test",
    });
  });

  it("is not ready, and says why, when the model is not on the host", async () => {
    const url = await serve({
      health: {
        reachable: true,
        modelPresent: false,
        problem: "model qwen2.5-coder:14b is not on the Ollama host: run `ollama pull`",
      },
    });

    const response = await fetch(`${url}/readyz`);

    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({
      status: "not ready",
      modelPresent: false,
      problem: "model qwen2.5-coder:14b is not on the Ollama host: run `ollama pull`",
    });
  });

  it("is not ready when the model host does not answer", async () => {
    const url = await serve({ health: { reachable: false } });

    const response = await fetch(`${url}/readyz`);

    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({
      modelHost: "not answering",
      problem: "the model host did not answer",
    });
  });
});

describe("who may read /metrics and /readyz", () => {
  const TOKEN = "a-long-random-metrics-token-0123456789";

  it("answers 401 without the bearer token, and 200 with it; /healthz stays open", async () => {
    const url = await serve({ ops: { token: TOKEN } });
    const bearer = (token: string) => ({ headers: { authorization: `Bearer ${token}` } });

    for (const path of ["/metrics", "/readyz"]) {
      const without = await fetch(`${url}${path}`);
      expect(without.status).toBe(401);
      expect(without.headers.get("www-authenticate")).toBe('Bearer realm="symphony"');
      expect(await without.text()).not.toContain("symphony_");
      expect((await fetch(`${url}${path}`, bearer("wrong-token-0123456789"))).status).toBe(401);
      expect((await fetch(`${url}${path}`, bearer(TOKEN))).status).toBe(200);
    }
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
  });

  it("serves them on SYMPHONY_METRICS_PORT only, with /healthz left on the webhook port", async () => {
    const { webhook, ops } = await serveWithMetricsPort();

    expect((await fetch(`${webhook}/metrics`)).status).toBe(404);
    expect((await fetch(`${webhook}/readyz`)).status).toBe(404);
    expect((await fetch(`${webhook}/healthz`)).status).toBe(200);
    const metrics = await fetch(`${ops}/metrics`);
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toContain("symphony_webhook_events_received_total");
    expect((await fetch(`${ops}/readyz`)).status).toBe(200);
    expect((await fetch(`${ops}/elsewhere`)).status).toBe(404);
  });

  it("asks for the token on the metrics port too when both are set", async () => {
    const { ops } = await serveWithMetricsPort(TOKEN);

    expect((await fetch(`${ops}/metrics`)).status).toBe(401);
    const authorized = await fetch(`${ops}/metrics`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(authorized.status).toBe(200);
  });

  it("stops start-up with a sentence naming the variable when a setting is unusable", () => {
    expect(() => readOpsAccess({ SYMPHONY_METRICS_TOKEN: "short" })).toThrow(
      /^SYMPHONY_METRICS_TOKEN must be at least 16 characters/,
    );
    expect(() => readOpsAccess({ SYMPHONY_METRICS_PORT: "http" })).toThrow(
      'SYMPHONY_METRICS_PORT must be a port number from 1 to 65535 (it is "http")',
    );
    expect(readOpsAccess({ SYMPHONY_METRICS_PORT: "9464", SYMPHONY_METRICS_TOKEN: TOKEN })).toEqual(
      {
        port: 9464,
        token: TOKEN,
      },
    );
  });
});

describe("/metrics", () => {
  it("counts deliveries received and handled, by event and outcome", async () => {
    const url = await serve();
    mockHelpReply();
    await postWebhook(url, "issue_comment.created", command("/symphony help"));

    const response = await fetch(`${url}/metrics`);
    const text = await response.text();

    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/plain");
    expect(text).toContain(
      'symphony_webhook_events_received_total{event="issue_comment.created"} 1',
    );
    expect(text).toContain(
      'symphony_webhook_events_handled_total{event="issue_comment.created",outcome="ok"} 1',
    );
  });

  it("counts model calls and tokens by agent and model, and the queue's depth", async () => {
    const models = new MockModelRuntime().script("planner", { answer: "forty-two" });
    const url = await serve({ models });
    const scope = mockInstallationToken(githubApi());
    mockRepoConfig(scope, undefined);
    mockPermission(scope, "Codertocat", "write");
    mockIssueComments(scope, 1, []);
    scope
      .post(COMMENTS)
      .reply(201, issueComment({ id: 20, body: "" }))
      .patch("/repos/Codertocat/Hello-World/issues/comments/20")
      .reply(200, issueComment({ id: 20, body: "" }));

    await postWebhook(url, "issue_comment.created", command("/symphony plan"));
    await waitFor(async () => (await scrape(url)).includes("symphony_runs_total{"));
    const text = await scrape(url);

    expect(scope.isDone()).toBe(true);
    expect(text).toMatch(
      /symphony_model_calls_total\{agent="planner",model="[^"]+",outcome="ok"\} 1/,
    );
    expect(text).toMatch(/symphony_model_prompt_tokens_total\{agent="planner",model="[^"]+"\} \d+/);
    expect(text).toMatch(/symphony_model_output_tokens_total\{agent="planner",model="[^"]+"\} \d+/);
    expect(text).toMatch(
      /symphony_model_call_duration_seconds_count\{agent="planner",model="[^"]+"\} 1/,
    );
    expect(text).toContain('symphony_runs_total{outcome="completed"} 1');
    expect(text).toContain("symphony_queue_waiting 0");
    expect(text).toContain("symphony_queue_running 0");
  });

  it("counts GitHub API errors by status and keeps the rate limit left", async () => {
    const url = await serve();
    const scope = mockInstallationToken(githubApi());
    mockRepoConfig(scope, undefined);
    scope
      .get("/repos/Codertocat/Hello-World/collaborators/Codertocat/permission")
      .reply(200, { permission: "write", role_name: "write" }, { "x-ratelimit-remaining": "4321" });
    mockIssueComments(scope, 1, []);
    scope.post(COMMENTS).reply(502, { message: "Server Error" });
    // The router then tells the user the command failed.
    mockIssueComments(scope, 1, []);
    scope.post(COMMENTS).reply(201, issueComment({ id: 11, body: "" }));

    await postWebhook(url, "issue_comment.created", command("/symphony help"));
    await waitFor(async () => (await scrape(url)).includes('status="502"'));
    const text = await scrape(url);

    expect(scope.isDone()).toBe(true);
    expect(text).toContain('symphony_github_api_errors_total{status="502"} 1');
    expect(text).toContain('symphony_github_api_errors_total{status="404"} 2');
    expect(text).toContain('symphony_github_rate_limit_remaining{installation="2"} 4321');
  });
});

describe("a burst past the queue's bound", () => {
  it("answers 503, so GitHub shows the delivery failed, and says so in the status comment", async () => {
    const queue = new WorkQueue({ onError: () => undefined, concurrency: 1, maxQueued: 1 });
    let release = (): void => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    queue.enqueue({ key: "a", repository: "other/repo", run: () => held });
    queue.enqueue({ key: "b", repository: "other/repo", run: () => Promise.resolve() });
    const url = await serve({ queue });
    const edits: string[] = [];
    const scope = mockInstallationToken(githubApi());
    mockRepoConfig(scope, undefined);
    mockPermission(scope, "Codertocat", "write");
    mockIssueComments(scope, 1, []);
    scope
      .post(COMMENTS)
      .reply(201, issueComment({ id: 30, body: "" }))
      .patch("/repos/Codertocat/Hello-World/issues/comments/30", (body: { body: string }) => {
        edits.push(body.body);
        return true;
      })
      .reply(200, issueComment({ id: 30, body: "" }));

    const delivery = await postWebhook(url, "issue_comment.created", command("/symphony plan"));
    release();
    await queue.onIdle();
    const text = await scrape(url);

    expect(delivery.status).toBe(503);
    expect(delivery.body).toContain("Symphony is busy");
    // Said in the background: the 503 does not wait on GitHub's write throttle.
    await waitFor(() => Promise.resolve(edits.length > 0));
    expect(scope.isDone()).toBe(true);
    expect(edits).toEqual([
      "<!-- symphony:probe:1 -->\n⏸️ Symphony is busy: 1 jobs are already waiting; try again in a few minutes.",
    ]);
    expect(text).toContain(
      'symphony_webhook_events_handled_total{event="issue_comment.created",outcome="refused"} 1',
    );
    expect(text).toContain(
      'symphony_webhook_deliveries_refused_total{event="issue_comment.created"} 1',
    );
  });
});

async function scrape(url: string): Promise<string> {
  return (await fetch(`${url}/metrics`)).text();
}

async function waitFor(check: () => Promise<boolean>): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error("the condition never held");
}
