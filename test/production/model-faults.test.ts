// Each model-host fault, end to end: a signed `/symphony plan` through Probot, the real runtime
// against the scripted Ollama server, and what the status comment says afterwards. After every
// fault the same app answers the next trigger: the process keeps serving.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createSymphonyApp } from "../../src/create-app.js";
import { SymphonyMetrics } from "../../src/app/metrics.js";
import { WorkQueue } from "../../src/app/queue.js";
import { registerCommentCommands } from "../../src/app/comment-commands.js";
import type { RuntimeSettings } from "../../src/runner/index.js";
import {
  githubApi,
  issueComment,
  mockIssueComments,
  mockPermission,
  mockRepoConfig,
} from "../support/github.js";
import { startModelServer, type ModelServer, type ScriptedReply } from "../support/model-server.js";
import {
  createTestProbot,
  deliver,
  mockInstallationToken,
  TEST_BOT_LOGIN,
  webhookPayload,
} from "../support/probot.js";
import { testRuntime } from "../runner/runtime-fixture.js";
import { probeCommand, useGitHubMockWithLocalServers } from "./harness.js";

useGitHubMockWithLocalServers();

const MODEL = "qwen2.5-coder:14b";
const FALLBACK = "gpt-4o-mini";
let ollama: ModelServer;
let hosted: ModelServer;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

beforeAll(async () => {
  ollama = await startModelServer({ models: [{ name: MODEL }] });
  hosted = await startModelServer({ models: [{ name: FALLBACK }] });
  process.on("unhandledRejection", onUnhandled);
});
afterAll(async () => {
  process.off("unhandledRejection", onUnhandled);
  await ollama.close();
  await hosted.close();
});
afterEach(() => {
  expect(unhandled).toEqual([]);
});

interface Setup {
  env?: Record<string, string>;
  overrides?: Partial<RuntimeSettings>;
}

async function symphony(setup: Setup = {}) {
  const { runtime } = testRuntime(
    {
      OLLAMA_HOST: ollama.url,
      SYMPHONY_MODEL_RETRIES: "1",
      SYMPHONY_MAX_REPAIRS: "1",
      ...setup.env,
    },
    setup.overrides,
  );
  const queue = new WorkQueue({ onError: () => undefined });
  const metrics = new SymphonyMetrics();
  const probot = await createTestProbot({
    app: createSymphonyApp({
      runtime,
      botLogin: TEST_BOT_LOGIN,
      commands: [probeCommand()],
      listeners: [registerCommentCommands],
      queue,
      metrics,
    }),
  });
  return { probot, queue, metrics, tokenMocked: false };
}

let nextComment = 100;

/** One `/symphony plan` delivered; resolves to the status comment's final body. */
async function trigger(app: Awaited<ReturnType<typeof symphony>>, yaml?: string): Promise<string> {
  const id = nextComment++;
  const edits: string[] = [];
  const scope = githubApi();
  // Probot keeps the installation token it got for the first trigger.
  if (!app.tokenMocked) mockInstallationToken(scope);
  app.tokenMocked = true;
  mockRepoConfig(scope, yaml);
  mockPermission(scope, "Codertocat", "write");
  mockIssueComments(scope, 1, []);
  scope
    .post("/repos/Codertocat/Hello-World/issues/1/comments")
    .reply(201, issueComment({ id, body: "" }))
    .patch(`/repos/Codertocat/Hello-World/issues/comments/${id}`, (body: { body: string }) => {
      edits.push(body.body);
      return true;
    })
    .reply(200, issueComment({ id, body: "" }));
  const payload = webhookPayload("issue_comment.created", (p) => {
    p.comment.body = "/symphony plan";
    p.issue.body = "What is the answer?";
  });
  await deliver(app.probot, "issue_comment.created", payload);
  await app.queue.onIdle();
  expect(scope.isDone()).toBe(true);
  expect(edits).toHaveLength(1);
  return edits[0]!.replace("<!-- symphony:probe:1 -->\n", "");
}

const good: ScriptedReply = { json: { answer: "forty-two" } };

/** The fault, then a good reply for the next trigger: the app still serves. */
async function faultThenRecovery(fault: ScriptedReply[], setup: Setup = {}) {
  const app = await symphony(setup);
  ollama.enqueue(...fault);
  const failed = await trigger(app);
  ollama.enqueue(good);
  const recovered = await trigger(app);
  expect(recovered).toBe("✅ forty-two");
  return { failed, metrics: await app.metrics.render() };
}

describe("the model host misbehaves", () => {
  it("down: the status comment says the model host could not be reached, naming no host", async () => {
    const { closedPortUrl } = await import("../support/model-server.js");
    const down = await closedPortUrl();
    const app = await symphony({ env: { OLLAMA_HOST: down } });

    const failed = await trigger(app);

    expect(failed).toMatch(
      /^❌ Symphony could not finish: could not talk to the model host \(connection refused\)/,
    );
    expect(failed).not.toContain("127.0.0.1");
    expect(await app.metrics.render()).toMatch(
      /symphony_model_calls_total\{agent="planner",model="default",outcome="ModelUnavailableError"\} 1/,
    );
  });

  it("slow past the time limit: says it did not finish in time", async () => {
    const { failed } = await faultThenRecovery([{ json: { answer: "late" }, headerDelayMs: 600 }], {
      overrides: { timeoutMs: 200, retries: 0 },
    });

    expect(failed).toMatch(/^❌ Symphony could not finish: the model host did not finish within/);
  });

  it("500 twice (retries spent): says the host failed", async () => {
    const { failed } = await faultThenRecovery([
      { fault: "status", status: 500 },
      { fault: "status", status: 500 },
    ]);

    expect(failed).toMatch(/^❌ Symphony could not finish: .*500/);
  });

  it("503 busy: retried, and the run succeeds when the host frees up", async () => {
    const app = await symphony();
    ollama.enqueue({ fault: "status", status: 503 }, good);

    expect(await trigger(app)).toBe("✅ forty-two");
  });

  it("404 model missing: says which model to pull, without retrying", async () => {
    const app = await symphony({ env: { SYMPHONY_MODEL: "llama-missing:1b" } });
    const before = ollama.requests().length;

    const failed = await trigger(app);
    const paths = ollama
      .requests()
      .slice(before)
      .map((request) => request.path);

    expect(failed).toBe(
      "❌ Symphony could not finish: model llama-missing:1b is not on the model host: run <code>ollama pull llama-missing:1b</code>",
    );
    expect(paths.filter((path) => path === "/api/show")).toHaveLength(1);
    expect(paths).not.toContain("/api/chat");
  });

  it("a stream cut mid-way: retried, then reported", async () => {
    const { failed } = await faultThenRecovery([
      { fault: "drop", content: '{"answer": "for' },
      { fault: "drop", content: '{"answer": "for' },
    ]);

    expect(failed).toMatch(/^❌ Symphony could not finish: /);
  });

  it("an error line mid-stream: reported in the host's words", async () => {
    const { failed } = await faultThenRecovery([
      { fault: "error-line", content: '{"ans', error: "CUDA error: out of memory" },
      { fault: "error-line", content: '{"ans', error: "CUDA error: out of memory" },
    ]);

    expect(failed).toContain("CUDA error: out of memory");
  });

  it("unusable output after repair: says the reply did not fit, no half-rendered answer", async () => {
    const { failed, metrics } = await faultThenRecovery([
      { content: "I think the answer is 42." },
      { json: { reply: 42 } },
    ]);

    expect(failed).toMatch(
      /^❌ Symphony could not finish: model qwen2\.5-coder:14b did not produce a reply matching the schema, even after 1 repair round/,
    );
    expect(failed).not.toContain("answer is 42");
    expect(metrics).toMatch(/outcome="ModelOutputError"\} 1/);
  });

  it("refused with an error naming an internal host: the status comment names no host at all", async () => {
    const app = await symphony();
    ollama.enqueue({
      fault: "status",
      status: 400,
      error: "upstream http://gpu-a.internal:11434 refused: bad options (proxy 10.0.3.7:8080)",
    });

    const failed = await trigger(app);

    expect(failed).toMatch(/^❌ Symphony could not finish: the model host refused the request/);
    for (const host of ["gpu-a.internal", "11434", "10.0.3.7", ollama.url, "127.0.0.1"]) {
      expect(failed).not.toContain(host);
    }
  });

  it("a repository's config naming a model the operator does not allow adds no label to /metrics", async () => {
    const app = await symphony();
    const yaml = "models:\n  planner: repo-picked-model-7\n";
    ollama.enqueue({ fault: "status", status: 400, error: "bad request" });
    await trigger(app, yaml);
    ollama.enqueue(good);

    expect(await trigger(app, yaml)).toBe("✅ forty-two");

    const metrics = await app.metrics.render();
    expect(metrics).not.toContain("repo-picked-model-7");
    const models = [...metrics.matchAll(/symphony_model_calls_total\{[^}]*model="([^"]*)"/g)];
    expect(new Set(models.map((match) => match[1]))).toEqual(new Set(["default", MODEL]));
  });

  it("the fallback answers when the first host is down, and /metrics counts it", async () => {
    const { closedPortUrl } = await import("../support/model-server.js");
    const app = await symphony({
      env: {
        OLLAMA_HOST: await closedPortUrl(),
        OPENAI_BASE_URL: `${hosted.url}/v1`,
        SYMPHONY_FALLBACK_MODEL: FALLBACK,
      },
    });
    hosted.enqueue(good);

    const answered = await trigger(app);

    expect(answered).toBe("✅ forty-two");
    expect(await app.metrics.render()).toContain(
      `symphony_model_fallbacks_total{agent="planner",model="${FALLBACK}"} 1`,
    );
  });
});
