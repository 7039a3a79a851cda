import { describe, expect, it } from "vitest";
import { ManualClock } from "../../src/lib/clock.js";
import { createSymphonyApp } from "../../src/create-app.js";
import { SymphonyMetrics } from "../../src/app/metrics.js";
import { WorkQueue } from "../../src/app/queue.js";
import { EnvUsageLimits, readUsageCaps, UsageCapsError } from "../../src/app/usage-limits.js";
import { registerCommentCommands } from "../../src/app/comment-commands.js";
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

const START = Date.parse("2026-03-02T13:00:00Z");
const MINUTE = 60_000;
const repo = "octo/app";

describe("caps from the environment", () => {
  it("reads the three caps, leaving 0 and unset out", () => {
    expect(
      readUsageCaps({
        SYMPHONY_MAX_RUNS_PER_REPO_HOUR: "20",
        SYMPHONY_MAX_RUNS_PER_USER_HOUR: "0",
        SYMPHONY_MAX_TOKENS_PER_REPO_DAY: " 500000 ",
      }),
    ).toEqual({ runsPerRepositoryHour: 20, tokensPerRepositoryDay: 500_000 });
  });

  it("stops start-up with the variable's name when a cap is not a whole number", () => {
    expect(() => readUsageCaps({ SYMPHONY_MAX_RUNS_PER_USER_HOUR: "ten" })).toThrow(
      new UsageCapsError(
        'SYMPHONY_MAX_RUNS_PER_USER_HOUR must be a whole number (0 or unset for no cap), got "ten"',
      ),
    );
  });
});

describe("runs per repository per hour", () => {
  it("admits up to the cap, then says when the oldest run leaves the hour", () => {
    const clock = new ManualClock(START);
    const limits = new EnvUsageLimits({ runsPerRepositoryHour: 2 }, clock);
    expect(limits.admit({ repository: repo, user: "a" })).toEqual({ ok: true });
    clock.advance(10 * MINUTE);
    expect(limits.admit({ repository: repo, user: "b" })).toEqual({ ok: true });

    const refused = limits.admit({ repository: repo, user: "c" });

    expect(refused).toEqual({
      ok: false,
      cap: "runsPerRepositoryHour",
      retryAt: new Date("2026-03-02T14:00:00Z"),
      reason:
        "This repository has used its 2 runs for this hour. Symphony can run here again after 14:00 UTC (in 50 minutes).",
    });
  });

  it("admits again once the hour has slid past the oldest run", () => {
    const clock = new ManualClock(START);
    const limits = new EnvUsageLimits({ runsPerRepositoryHour: 1 }, clock);
    limits.admit({ repository: repo, user: "a" });
    clock.advance(60 * MINUTE);

    expect(limits.admit({ repository: repo, user: "a" })).toEqual({ ok: true });
  });

  it("counts each repository on its own", () => {
    const clock = new ManualClock(START);
    const limits = new EnvUsageLimits({ runsPerRepositoryHour: 1 }, clock);
    limits.admit({ repository: repo, user: "a" });

    expect(limits.admit({ repository: "octo/other", user: "a" })).toEqual({ ok: true });
  });
});

describe("runs per user per hour", () => {
  it("refuses the person, across repositories, naming them", () => {
    const clock = new ManualClock(START);
    const limits = new EnvUsageLimits({ runsPerUserHour: 1 }, clock);
    limits.admit({ repository: "octo/one", user: "mona" });

    const refused = limits.admit({ repository: "octo/two", user: "mona" });

    expect(refused.ok).toBe(false);
    expect(!refused.ok && refused.reason).toBe(
      "@mona has used their 1 run for this hour. Symphony can run here again after 14:00 UTC (in 60 minutes).",
    );
    expect(limits.admit({ repository: "octo/two", user: "hubot" })).toEqual({ ok: true });
  });

  it("does not count a refused trigger against the cap", () => {
    const clock = new ManualClock(START);
    const limits = new EnvUsageLimits({ runsPerRepositoryHour: 1, runsPerUserHour: 1 }, clock);
    limits.admit({ repository: repo, user: "a" });
    limits.admit({ repository: repo, user: "b" });

    expect(limits.admit({ repository: "octo/other", user: "b" })).toEqual({ ok: true });
  });
});

describe("tokens per repository per day", () => {
  it("refuses once the day's tokens are spent, until enough of them are a day old", () => {
    const clock = new ManualClock(START);
    const limits = new EnvUsageLimits({ tokensPerRepositoryDay: 1_000 }, clock);
    expect(limits.admit({ repository: repo, user: "a" })).toEqual({ ok: true });
    limits.recordTokens(repo, 600);
    clock.advance(60 * MINUTE);
    limits.recordTokens(repo, 600);

    const refused = limits.admit({ repository: repo, user: "a" });

    expect(refused).toMatchObject({
      ok: false,
      cap: "tokensPerRepositoryDay",
      retryAt: new Date("2026-03-03T13:00:00Z"),
    });
    expect(!refused.ok && refused.reason).toBe(
      "This repository has used its 1,000 model tokens for the day. Symphony can run here again after 2026-03-03 13:00 UTC (in 1380 minutes).",
    );
    clock.advance(23 * 60 * MINUTE);
    expect(limits.admit({ repository: repo, user: "a" })).toEqual({ ok: true });
  });
});

describe("a trigger past a cap, end to end", () => {
  it("gets one polite reply saying when, no model call, and shows in /metrics", async () => {
    const clock = new ManualClock(START);
    const limits = new EnvUsageLimits({ runsPerRepositoryHour: 1 }, clock);
    const models = new MockModelRuntime().script("planner", { answer: "first" });
    const metrics = new SymphonyMetrics();
    const queue = new WorkQueue({ onError: () => undefined });
    const probot = await createTestProbot({
      app: createSymphonyApp({
        runtime: createFakeRuntime({ models }),
        botLogin: TEST_BOT_LOGIN,
        commands: [probeCommand()],
        listeners: [registerCommentCommands],
        queue,
        limits,
        metrics,
        clock,
      }),
    });
    const posted: string[] = [];
    const scope = mockInstallationToken(githubApi());
    mockRepoConfig(scope, undefined);
    mockPermission(scope, "Codertocat", "write");
    mockIssueComments(scope, 1, []);
    scope
      .post("/repos/Codertocat/Hello-World/issues/1/comments", (body: { body: string }) => {
        posted.push(body.body);
        return true;
      })
      .reply(201, issueComment({ id: 40, body: "" }))
      .patch("/repos/Codertocat/Hello-World/issues/comments/40")
      .reply(200, issueComment({ id: 40, body: "" }));
    const trigger = webhookPayload("issue_comment.created", (payload) => {
      payload.comment.body = "/symphony plan";
    });
    await deliver(probot, "issue_comment.created", trigger);
    await queue.onIdle();
    // The second trigger, ten minutes later: past the cap.
    clock.advance(10 * MINUTE);
    mockRepoConfig(scope, undefined);
    mockPermission(scope, "Codertocat", "write");
    mockIssueComments(scope, 1, []);
    scope
      .post("/repos/Codertocat/Hello-World/issues/1/comments", (body: { body: string }) => {
        posted.push(body.body);
        return true;
      })
      .reply(201, issueComment({ id: 41, body: "" }));

    await deliver(probot, "issue_comment.created", trigger);
    await queue.onIdle();
    const text = await metrics.render();

    expect(scope.isDone()).toBe(true);
    expect(models.calls).toHaveLength(1);
    expect(posted).toEqual([
      "<!-- symphony:probe:1 -->\n⏳ Working…",
      "<!-- symphony:limit:1:Codertocat -->\nThis repository has used its 1 run for this hour. Symphony can run here again after 14:00 UTC (in 50 minutes).",
    ]);
    expect(text).toContain('symphony_usage_refusals_total{cap="runsPerRepositoryHour"} 1');
    expect(text).toContain('symphony_usage_cap{cap="runsPerRepositoryHour"} 1');
  });
});
