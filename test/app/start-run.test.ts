import type { Logger } from "probot";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { CommandRegistry } from "../../src/app/commands.js";
import { systemClock } from "../../src/lib/clock.js";
import { WorkQueue } from "../../src/app/queue.js";
import type { AppServices } from "../../src/app/services.js";
import { NoUsageLimits, type UsageLimits } from "../../src/app/usage-limits.js";
import { createAppMemory } from "../../src/app/app-memory.js";
import { defaultRepoConfig, parseRepoConfig } from "../../src/config/index.js";
import { startRun, type RunRequest } from "../../src/app/start-run.js";
import {
  EXAMPLE_REPO,
  githubApi,
  issueComment,
  mockIssueComments,
  testClient,
  useGitHubMock,
} from "../support/github.js";
import { createFakeRuntime, createTestProbot, TEST_BOT_LOGIN } from "../support/probot.js";

useGitHubMock();

let log: Logger;
beforeAll(async () => {
  log = (await createTestProbot({ app: () => undefined })).log;
});
const COMMENTS = "/repos/Codertocat/Hello-World/issues/7/comments";

function services(overrides: Partial<AppServices> = {}): AppServices {
  return {
    runtime: createFakeRuntime(),
    queue: new WorkQueue({ onError: () => undefined }),
    commands: new CommandRegistry(),
    clock: systemClock,
    botLogin: () => Promise.resolve(TEST_BOT_LOGIN),
    log,
    mode: "app",
    limits: new NoUsageLimits(),
    memory: createAppMemory(),
    ...overrides,
  };
}

function request(app: AppServices, overrides: Partial<RunRequest> = {}): RunRequest {
  return {
    client: testClient(),
    repo: EXAMPLE_REPO,
    services: app,
    config: defaultRepoConfig(),
    event: { name: "issues.labeled", deliveryId: "delivery-1", sender: "octocat" },
    number: 7,
    marker: { kind: "plan", key: "7" },
    initialStatus: "Planning…",
    whileRunning: "ignore",
    log,
    run: () => Promise.resolve(),
    ...overrides,
  };
}

describe("starting a run", () => {
  it("queues the run at once and posts the status comment, which the run gets in hand", async () => {
    const app = services();
    const posted: string[] = [];
    const scope = mockIssueComments(githubApi(), 7, [])
      .post(COMMENTS, (body: { body: string }) => posted.push(body.body) > 0)
      .reply(201, issueComment({ id: 70, body: "" }));
    let sawComment: number | undefined;

    const outcome = await startRun(
      request(app, {
        run: ({ status }) => {
          sawComment = status.commentId;
          return Promise.resolve();
        },
      }),
    );
    await app.queue.onIdle();

    expect(outcome).toBe("queued");
    expect(posted).toEqual(["<!-- symphony:plan:7 -->\nPlanning…"]);
    expect(sawComment).toBe(70);
    expect(scope.isDone()).toBe(true);
  });

  it("posts one status comment and runs once when two triggers arrive at the same time", async () => {
    const app = services();
    const posted: string[] = [];
    const scope = githubApi()
      .get(COMMENTS)
      .query(true)
      .reply(200, [])
      .post(COMMENTS, (body: { body: string }) => posted.push(body.body) > 0)
      .reply(201, issueComment({ id: 70, body: "<!-- symphony:plan:7 -->\nPlanning…" }));
    let runs = 0;
    let release = (): void => undefined;
    const running = new Promise<void>((resolve) => (release = resolve));
    const run = async () => {
      runs += 1;
      await running;
    };

    const outcomes = await Promise.all([
      startRun(request(app, { run })),
      startRun(request(app, { run, event: { ...request(app).event, deliveryId: "delivery-2" } })),
    ]);
    release();
    await app.queue.onIdle();

    // The second trigger finds the first one's run started and leaves it alone.
    expect(posted).toHaveLength(1);
    expect(runs).toBe(1);
    expect(outcomes).toEqual(["queued", "ignored"]);
    expect(scope.isDone()).toBe(true);
  });

  it("does nothing for a redelivered webhook", async () => {
    const app = services();
    mockIssueComments(githubApi(), 7, [])
      .post(COMMENTS)
      .reply(201, issueComment({ id: 70, body: "" }));
    let runs = 0;
    const run = () => {
      runs += 1;
      return Promise.resolve();
    };

    await startRun(request(app, { run }));
    await app.queue.onIdle();
    const again = await startRun(request(app, { run }));
    await app.queue.onIdle();

    expect(again).toBe("duplicate");
    expect(runs).toBe(1);
  });

  it("hands the work to the repository's Actions runners with runner: actions, and calls no model", async () => {
    const app = services();
    const dispatched: unknown[] = [];
    const scope = mockIssueComments(githubApi(), 7, [])
      .post(COMMENTS)
      .reply(201, issueComment({ id: 70, body: "" }))
      .post(
        "/repos/Codertocat/Hello-World/dispatches",
        (body: unknown) => dispatched.push(body) > 0,
      )
      .reply(204);
    let runs = 0;

    const outcome = await startRun(
      request(app, {
        config: parseRepoConfig({ runner: "actions" }),
        run: () => {
          runs += 1;
          return Promise.resolve();
        },
      }),
    );
    await app.queue.onIdle();

    expect(outcome).toBe("handed-off");
    expect(runs).toBe(0);
    expect(dispatched).toEqual([
      {
        event_type: "symphony",
        client_payload: {
          event: "issues.labeled",
          number: 7,
          delivery_id: "delivery-1",
          sender: "octocat",
        },
      },
    ]);
    expect(scope.isDone()).toBe(true);
  });

  it("runs the work itself inside the Action even with runner: actions", async () => {
    const app = services({ mode: "action" });
    mockIssueComments(githubApi(), 7, [])
      .post(COMMENTS)
      .reply(201, issueComment({ id: 70, body: "" }));
    let runs = 0;

    const outcome = await startRun(
      request(app, {
        config: parseRepoConfig({ runner: "actions" }),
        run: () => {
          runs += 1;
          return Promise.resolve();
        },
      }),
    );
    await app.queue.onIdle();

    expect(outcome).toBe("queued");
    expect(runs).toBe(1);
  });

  it("says in the status comment that Symphony is busy when the queue is full", async () => {
    const queue = new WorkQueue({
      onError: () => undefined,
      maxQueuedPerRepository: 1,
      concurrency: 1,
    });
    const app = services({ queue });
    let release = (): void => undefined;
    const blocker = new Promise<void>((resolve) => (release = resolve));
    queue.enqueue({ key: "a", repository: "Codertocat/Hello-World", run: () => blocker });
    queue.enqueue({ key: "b", repository: "Codertocat/Hello-World", run: () => Promise.resolve() });
    const edits: string[] = [];
    mockIssueComments(githubApi(), 7, [])
      .post(COMMENTS)
      .reply(201, issueComment({ id: 70, body: "" }))
      .patch("/repos/Codertocat/Hello-World/issues/comments/70", (body: { body: string }) => {
        edits.push(body.body);
        return true;
      })
      .reply(200, issueComment({ id: 70, body: "" }));

    const outcome = await startRun(request(app));
    release();
    await queue.onIdle();

    expect(outcome).toBe("refused");
    // Said in the background: the webhook's answer (503) does not wait on GitHub's write throttle.
    await vi.waitFor(() => expect(edits).toHaveLength(1));
    expect(edits[0]).toContain("Symphony is busy with Codertocat/Hello-World");
  });

  it("replies once, and queues nothing, when an operator cap refuses the run", async () => {
    const refuse: UsageLimits = {
      admit: () => ({
        ok: false,
        reason: "This repository has used its 20 runs for this hour; try again after 14:00 UTC.",
        retryAt: new Date("2026-01-01T14:00:00Z"),
      }),
      recordTokens: () => undefined,
    };
    const app = services({ limits: refuse });
    const posted: string[] = [];
    mockIssueComments(githubApi(), 7, [])
      .post(COMMENTS, (body: { body: string }) => posted.push(body.body) > 0)
      .reply(201, issueComment({ id: 71, body: "" }));
    let runs = 0;

    const outcome = await startRun(
      request(app, {
        run: () => {
          runs += 1;
          return Promise.resolve();
        },
      }),
    );

    expect(outcome).toBe("limited");
    expect(runs).toBe(0);
    expect(posted).toEqual([
      "<!-- symphony:limit:7:octocat -->\nThis repository has used its 20 runs for this hour; try again after 14:00 UTC.",
    ]);
  });

  it("leaves a failure the run did not report in the status comment", async () => {
    const app = services();
    const edits: string[] = [];
    mockIssueComments(githubApi(), 7, [])
      .post(COMMENTS)
      .reply(201, issueComment({ id: 70, body: "" }))
      .patch("/repos/Codertocat/Hello-World/issues/comments/70", (body: { body: string }) => {
        edits.push(body.body);
        return true;
      })
      .reply(200, issueComment({ id: 70, body: "" }));

    await startRun(
      request(app, { run: () => Promise.reject(new Error("the tree could not be read")) }),
    );
    await app.queue.onIdle();

    expect(edits).toHaveLength(1);
    expect(edits[0]).toContain("Symphony stopped: the tree could not be read");
  });
});
