import { Writable } from "node:stream";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { createSymphonyApp } from "../../src/create-app.js";
import { WorkQueue } from "../../src/app/queue.js";
import { OpenRuns, RESTARTED_BEFORE_DONE, shutDown } from "../../src/app/shutdown.js";
import { ManualClock } from "../../src/lib/clock.js";
import { EnvUsageLimits } from "../../src/app/usage-limits.js";
import { registerCommentCommands } from "../../src/app/comment-commands.js";
import { ModelAbortedError } from "../../src/runner/errors.js";
import type { ModelRuntime } from "../../src/runner/types.js";
import {
  githubApi,
  issueComment,
  mockIssueComments,
  mockPermission,
  mockRepoConfig,
  useGitHubMock,
} from "../support/github.js";
import { MockModelRuntime } from "../support/mock-runtime.js";
import {
  createFakeRuntime,
  createTestProbot,
  deliver,
  mockInstallationToken,
  TEST_BOT_LOGIN,
  webhookPayload,
} from "../support/probot.js";
import { probeCommand } from "./harness.js";

useGitHubMock();

/** A pino logger that keeps every line, parsed. */
function memoryLog() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split("\n")) if (line) lines.push(JSON.parse(line));
      done();
    },
  });
  return { log: pino({ level: "info" }, stream), lines };
}

function trigger(issue: number) {
  return webhookPayload("issue_comment.created", (payload) => {
    payload.comment.body = "/symphony plan";
    payload.issue.number = issue;
  });
}

function mockTrigger(scope: ReturnType<typeof githubApi>, issue: number, commentId: number) {
  mockRepoConfig(scope, undefined);
  mockPermission(scope, "Codertocat", "write");
  mockIssueComments(scope, issue, []);
  return scope
    .post(`/repos/Codertocat/Hello-World/issues/${issue}/comments`)
    .reply(201, issueComment({ id: commentId, body: "" }));
}

describe("the line every run leaves", () => {
  it("logs event, delivery, repository, outcome, duration, model calls and tokens once", async () => {
    const { log, lines } = memoryLog();
    const models = new MockModelRuntime().script("planner", { answer: "done" });
    const queue = new WorkQueue({ onError: () => undefined });
    const probot = await createTestProbot({
      log,
      app: createSymphonyApp({
        runtime: createFakeRuntime({ models }),
        botLogin: TEST_BOT_LOGIN,
        commands: [probeCommand()],
        listeners: [registerCommentCommands],
        queue,
      }),
    });
    const scope = mockTrigger(mockInstallationToken(githubApi()), 1, 50)
      .patch("/repos/Codertocat/Hello-World/issues/comments/50")
      .reply(200, issueComment({ id: 50, body: "" }));

    await deliver(probot, "issue_comment.created", trigger(1), "delivery-run-log");
    await queue.onIdle();
    const ends = lines.filter((line) => String(line.msg).startsWith("run "));

    expect(scope.isDone()).toBe(true);
    expect(ends).toHaveLength(1);
    expect(ends[0]).toMatchObject({
      msg: "run completed: Codertocat/Hello-World#1:probe",
      event: "issue_comment.created",
      deliveryId: "delivery-run-log",
      repository: "Codertocat/Hello-World",
      outcome: "completed",
      modelCalls: 1,
      failedModelCalls: 0,
    });
    expect(ends[0]!.durationMs).toEqual(expect.any(Number));
    expect(ends[0]!.promptTokens).toBeGreaterThan(0);
    expect(ends[0]!.outputTokens).toBeGreaterThan(0);
  });

  it("counts the run's tokens against the repository's daily cap", async () => {
    const clock = new ManualClock(Date.parse("2026-03-02T13:00:00Z"));
    const limits = new EnvUsageLimits({ tokensPerRepositoryDay: 10 }, clock);
    const models = new MockModelRuntime().script("planner", { answer: "a long enough answer" });
    const queue = new WorkQueue({ onError: () => undefined });
    const probot = await createTestProbot({
      app: createSymphonyApp({
        runtime: createFakeRuntime({ models }),
        botLogin: TEST_BOT_LOGIN,
        commands: [probeCommand()],
        listeners: [registerCommentCommands],
        queue,
        limits,
        clock,
      }),
    });
    const scope = mockTrigger(mockInstallationToken(githubApi()), 1, 51)
      .patch("/repos/Codertocat/Hello-World/issues/comments/51")
      .reply(200, issueComment({ id: 51, body: "" }));

    await deliver(probot, "issue_comment.created", trigger(1));
    await queue.onIdle();

    expect(scope.isDone()).toBe(true);
    expect(limits.admit({ repository: "Codertocat/Hello-World", user: "x" })).toMatchObject({
      ok: false,
      cap: "tokensPerRepositoryDay",
    });
  });
});

/** A model host that holds every call until the caller gives up. */
const stuckModels: ModelRuntime = {
  generateText: () => Promise.reject(new Error("unused")),
  generateObject: ({ signal }) =>
    new Promise((_resolve, reject) => {
      signal?.addEventListener("abort", () => reject(new ModelAbortedError("aborted")));
    }),
  promptBudget: () => Promise.resolve(8_192),
  estimateTokens: (text) => Math.ceil(text.length / 4),
};

describe("shutdown", () => {
  it("marks the running and the waiting run's status comments, the restart notice last", async () => {
    const { log, lines } = memoryLog();
    const queue = new WorkQueue({ onError: () => undefined, concurrency: 1 });
    const runs = new OpenRuns();
    const probot = await createTestProbot({
      log,
      app: createSymphonyApp({
        runtime: createFakeRuntime({ models: stuckModels }),
        botLogin: TEST_BOT_LOGIN,
        commands: [probeCommand()],
        listeners: [registerCommentCommands],
        queue,
        runs,
      }),
    });
    const edits: Record<number, string[]> = { 60: [], 61: [] };
    const scope = mockInstallationToken(githubApi());
    mockTrigger(scope, 1, 60);
    mockTrigger(scope, 2, 61);
    scope
      .patch(/\/issues\/comments\/6[01]$/, (body: { body: string }) => Boolean(body))
      .times(3)
      .reply(200, function (uri, body) {
        const id = Number(uri.split("/").pop());
        edits[id]!.push((body as { body: string }).body);
        return issueComment({ id, body: "" });
      });

    await deliver(probot, "issue_comment.created", trigger(1));
    await deliver(probot, "issue_comment.created", trigger(2));
    expect(queue.running).toBe(1);
    expect(queue.size).toBe(1);

    const unfinished = await shutDown({ queue, runs, log, graceMs: 20 });

    expect(scope.pendingMocks()).toEqual([]);
    expect(unfinished.map((job) => job.state).sort()).toEqual(["running", "waiting"]);
    expect(edits[60]!.at(-1)).toBe(`<!-- symphony:probe:1 -->\n${RESTARTED_BEFORE_DONE}`);
    expect(edits[61]).toEqual([`<!-- symphony:probe:2 -->\n${RESTARTED_BEFORE_DONE}`]);
    expect(lines.some((line) => line.outcome === "aborted")).toBe(true);
  });
});
