import type { Probot } from "probot";
import { describe, expect, it } from "vitest";
import type { WorkQueue } from "../../../src/app/queue.js";
import { defaultRepoConfig } from "../../../src/config/schema.js";
import { refreshRefactorIssue } from "../../../src/features/refactor/refactor-run.js";
import { REFACTOR_FIRST_TICK_MS } from "../../../src/features/refactor/refactor-timer.js";
import {
  parseRefactorState,
  renderRefactorState,
} from "../../../src/features/refactor/refactor-state.js";
import { suggestionId } from "../../../src/features/refactor/suggestions.js";
import {
  EXAMPLE_REPO,
  githubApi,
  testClient,
  issueComment,
  mockIssueComments,
  mockPermission,
  mockRepoConfig,
  useGitHubMock,
} from "../../support/github.js";
import { MockModelRuntime } from "../../support/mock-runtime.js";
import {
  deliver,
  mockInstallationToken,
  TEST_INSTALLATION_ID,
  webhookPayload,
} from "../../support/probot.js";
import {
  createRefactorApp,
  issue,
  ISSUE_URL,
  mockEmptyRepository,
  mockHistory,
  mockIssueSearch,
  NOW,
  PARSER_HISTORY,
  PLANNER_REPLY,
  refactorServices,
  REPO_PATH,
} from "./github-fixtures.js";
import { givenRepository } from "../../support/given.js";

useGitHubMock();

const SETTLE_ID = suggestionId("src/parser.ts", "settle", "deep-nesting");

function refactorComment(issueNumber = 1) {
  return webhookPayload("issue_comment.created", (payload) => {
    payload.comment.body = "/symphony refactor";
    payload.issue.number = issueNumber;
  });
}

/** The status comment on issue 1: posted at once, edited with the outcome. */
function mockStatusComment(scope: ReturnType<typeof githubApi>, edits: string[]) {
  mockIssueComments(scope, 1, []);
  scope
    .post(`${REPO_PATH}/issues/1/comments`)
    .reply(201, issueComment({ id: 500, body: "" }))
    .patch(`${REPO_PATH}/issues/comments/500`, (body: { body: string }) => {
      edits.push(body.body);
      return true;
    })
    .reply(200, issueComment({ id: 500, body: "" }));
}

function plannerRuntime() {
  return new MockModelRuntime().respond("planner", () => PLANNER_REPLY);
}

describe("/symphony refactor", () => {
  it("creates the rolling issue with the ranking, one box per suggestion and hidden state", async () => {
    const { probot, queue, models } = createRefactorApp({ models: plannerRuntime() });
    const created: { title: string; body: string; labels: string[] }[] = [];
    const status: string[] = [];
    const scope = givenRepository({ role: "write" });
    mockStatusComment(scope, status);
    mockIssueSearch(scope, []);
    mockHistory(scope, PARSER_HISTORY);
    scope
      .post(`${REPO_PATH}/issues`, (body: (typeof created)[number]) => {
        created.push(body);
        return true;
      })
      .reply(201, issue({ body: "" }));

    await deliver(await probot, "issue_comment.created", refactorComment());
    await queue.onIdle();

    expect(scope.isDone()).toBe(true);
    expect(created).toHaveLength(1);
    const { title, body, labels } = created[0]!;
    expect(title).toBe("Refactor suggestions");
    expect(labels).toEqual(["symphony:refactor"]);
    expect(body.startsWith("<!-- symphony:refactor -->")).toBe(true);
    expect(body).toContain("Ranked on 2026-03-10 from 3 commits of the last 90 days");
    expect(body).toContain("left out: ");
    expect(body).toMatch(/\| 1 \| `src\/parser.ts` \| 3 \| 30 \| 1\.00 \| `settle` L52 \(8\)/);
    expect(body).toContain(
      `- [ ] \`${SETTLE_ID}\` **Deep nesting** in \`settle\` (\`src/parser.ts\` line 52): Move the failure policy out of the loop`,
    );
    const state = parseRefactorState(body);
    expect(state?.lastRun).toBe("2026-03-10T00:00:00.000Z");
    expect(state?.made.map((made) => made.id)).toEqual([SETTLE_ID]);
    expect(state?.dismissed).toEqual([]);

    const prompt = models.callsFor("planner")[0]!.messages[1]!.content;
    expect(prompt).toContain("File: src/parser.ts");
    expect(prompt).toContain("Changes in the window: 3 commits");
    expect(status.at(-1)).toBe(
      `✅ Ranked 1 hotspot; 1 suggestion.\n\nOpened the rolling issue of refactor suggestions: ${ISSUE_URL}`.replace(
        /^/,
        "<!-- symphony:refactor:1 -->\n",
      ),
    );
  });

  it("asks the Planner in the configured language and shows the diagram it drew", async () => {
    const drawn = {
      suggestions: [
        {
          ...PLANNER_REPLY.suggestions[0]!,
          diagram: "flowchart TD\n  settle --> recordFailure\n  settle --> runJob",
        },
      ],
    };
    const models = new MockModelRuntime().respond("planner", () => drawn);
    const { probot, queue } = createRefactorApp({ models });
    const created: string[] = [];
    const scope = givenRepository({ config: "language: Deutsch\n", role: "write" });
    mockStatusComment(scope, []);
    mockIssueSearch(scope, []);
    mockHistory(scope, PARSER_HISTORY);
    scope
      .post(`${REPO_PATH}/issues`, (body: { body: string }) => {
        created.push(body.body);
        return true;
      })
      .reply(201, issue({ body: "" }));

    await deliver(await probot, "issue_comment.created", refactorComment());
    await queue.onIdle();

    expect(scope.isDone()).toBe(true);
    const system = models.callsFor("planner")[0]!.messages[0]!.content;
    expect(system).toContain(
      "Write every sentence in Deutsch; keep code, paths and identifiers as they are.",
    );
    expect(created[0]).toContain(
      "```mermaid\nflowchart TD\n  settle --> recordFailure\n  settle --> runJob\n```",
    );
  });

  it("edits the same issue on the next run and never opens a second one", async () => {
    const { probot, queue } = createRefactorApp({ models: plannerRuntime() });
    const first = await createdBody(await probot, queue);
    const edits: { body: string; state?: string }[] = [];
    const scope = githubApi();
    mockPermission(mockRepoConfig(scope, undefined), "Codertocat", "write");
    mockIssueComments(scope, 1, [
      issueComment({ id: 500, body: "<!-- symphony:refactor:1 -->\nold" }),
    ]);
    scope
      .patch(`${REPO_PATH}/issues/comments/500`)
      .times(2)
      .reply(200, issueComment({ id: 500, body: "" }));
    mockIssueSearch(scope, [issue({ body: first })]);
    mockHistory(scope, PARSER_HISTORY);
    scope
      .get(`${REPO_PATH}/issues/9`)
      .reply(200, issue({ body: first }))
      .patch(`${REPO_PATH}/issues/9`, (body: (typeof edits)[number]) => {
        edits.push(body);
        return true;
      })
      .reply(200, issue({ body: "" }));

    await deliver(await probot, "issue_comment.created", refactorComment());
    await queue.onIdle();

    expect(scope.isDone()).toBe(true);
    expect(edits).toHaveLength(1);
    expect(edits[0]!.state).toBeUndefined();
    expect(edits[0]!.body).toContain(`- [ ] \`${SETTLE_ID}\``);
  });

  it("does not propose again a suggestion someone removed while its code is unchanged", async () => {
    const { probot, queue, models } = createRefactorApp({ models: plannerRuntime() });
    const first = await createdBody(await probot, queue);
    const withoutIt = first
      .split("\n")
      .filter((line) => !line.includes(`\`${SETTLE_ID}\``))
      .join("\n");
    const edits: string[] = [];
    const status: string[] = [];
    const scope = githubApi();
    mockPermission(mockRepoConfig(scope, undefined), "Codertocat", "write");
    mockIssueComments(scope, 1, [
      issueComment({ id: 500, body: "<!-- symphony:refactor:1 -->\nold" }),
    ]);
    scope
      .patch(`${REPO_PATH}/issues/comments/500`, (body: { body: string }) => {
        status.push(body.body);
        return true;
      })
      .times(2)
      .reply(200, issueComment({ id: 500, body: "" }));
    mockIssueSearch(scope, [issue({ body: withoutIt })]);
    mockHistory(scope, PARSER_HISTORY);
    scope
      .get(`${REPO_PATH}/issues/9`)
      .reply(200, issue({ body: withoutIt }))
      .patch(`${REPO_PATH}/issues/9`, (body: { body: string }) => {
        edits.push(body.body);
        return true;
      })
      .reply(200, issue({ body: "" }));

    await deliver(await probot, "issue_comment.created", refactorComment());
    await queue.onIdle();

    expect(scope.isDone()).toBe(true);
    const prompt = models.callsFor("planner")[1]!.messages[1]!.content;
    expect(prompt).toContain(
      "Dismissed by the maintainers (do not propose again):\n- settle: deep-nesting",
    );
    expect(edits[0]).not.toContain(SETTLE_ID + "`");
    expect(edits[0]).toContain("No new suggestions in this run.");
    const state = parseRefactorState(edits[0]);
    expect(state?.made).toEqual([]);
    expect(state?.dismissed).toEqual([parseRefactorState(first)!.made[0]!.fingerprint]);
    expect(status.at(-1)).toContain(
      "Ranked 1 hotspot; 0 suggestions (1 left out as dismissed before).",
    );
  });

  it("says clearly that nothing can be ranked in a repository of only excluded files, without a model", async () => {
    const { probot, queue, models } = createRefactorApp({ models: plannerRuntime() });
    const created: string[] = [];
    const status: string[] = [];
    const scope = givenRepository({ role: "write" });
    mockStatusComment(scope, status);
    mockIssueSearch(scope, []);
    mockHistory(scope, {
      commits: [
        ["package-lock.json", "test/cart.test.ts"],
        ["vendor/lib.go", "dist/app.js", "src/cart.test.ts"],
        ["assets/logo.png"],
      ],
      files: {},
      reads: [],
    });
    scope
      .post(`${REPO_PATH}/issues`, (body: { body: string }) => {
        created.push(body.body);
        return true;
      })
      .reply(201, issue({ body: "" }));

    await deliver(await probot, "issue_comment.created", refactorComment());
    await queue.onIdle();

    expect(scope.isDone()).toBe(true);
    expect(models.calls).toEqual([]);
    expect(status.at(-1)).toContain(
      "No hotspots: none of the 6 files changed in the window can be ranked (2 test, 1 binary, 1 generated, 1 lock, 1 vendored). No model was asked.",
    );
    expect(created[0]).toContain("No hotspots: no measurable file changed in the window");
    expect(created[0]).toContain("(left out: 2 test, 1 binary, 1 generated, 1 lock, 1 vendored)");
  });

  it("handles an empty repository without a model call", async () => {
    const { probot, queue, models } = createRefactorApp({ models: plannerRuntime() });
    const status: string[] = [];
    const scope = givenRepository({ role: "write" });
    mockStatusComment(scope, status);
    mockIssueSearch(scope, []);
    mockEmptyRepository(scope);
    scope.post(`${REPO_PATH}/issues`).reply(201, issue({ body: "" }));

    await deliver(await probot, "issue_comment.created", refactorComment());
    await queue.onIdle();

    expect(scope.isDone()).toBe(true);
    expect(models.calls).toEqual([]);
    expect(status.at(-1)).toContain(
      "No hotspots: no file changed in the window, so there is nothing to rank.",
    );
  });

  it("handles a tiny repository whose only file has nothing to refactor", async () => {
    const { probot, queue, models } = createRefactorApp({ models: plannerRuntime() });
    const status: string[] = [];
    const scope = givenRepository({ role: "write" });
    mockStatusComment(scope, status);
    mockIssueSearch(scope, []);
    mockHistory(scope, {
      commits: [["index.js"]],
      files: { "index.js": "console.log('hello');\n" },
      reads: ["index.js"],
    });
    scope.post(`${REPO_PATH}/issues`).reply(201, issue({ body: "" }));

    await deliver(await probot, "issue_comment.created", refactorComment());
    await queue.onIdle();

    expect(scope.isDone()).toBe(true);
    expect(models.calls).toEqual([]);
    expect(status.at(-1)).toContain(
      "No hotspots: the 1 file measured hold no branching code worth a refactor. No model was asked.",
    );
  });

  it("reopens the rolling issue a person closed", async () => {
    const { probot, queue } = createRefactorApp();
    const closed = issue({
      body: "<!-- symphony:refactor -->\nold",
      state: "closed",
      closed_at: "2026-03-01T00:00:00Z",
    });
    const edits: { body: string; state?: string }[] = [];
    const status: string[] = [];
    const scope = givenRepository({ role: "write" });
    mockStatusComment(scope, status);
    mockIssueSearch(scope, [closed]);
    mockEmptyRepository(scope);
    scope
      .get(`${REPO_PATH}/issues/9`)
      .reply(200, closed)
      .patch(`${REPO_PATH}/issues/9`, (body: (typeof edits)[number]) => {
        edits.push(body);
        return true;
      })
      .reply(200, issue({ body: "" }));

    await deliver(await probot, "issue_comment.created", refactorComment());
    await queue.onIdle();

    expect(scope.isDone()).toBe(true);
    expect(edits.map((edit) => edit.state)).toEqual(["open"]);
    expect(status.at(-1)).toContain(
      `Reopened the rolling issue of refactor suggestions: ${ISSUE_URL}`,
    );
  });

  it("does nothing for someone who is not a collaborator", async () => {
    const { probot, queue, models } = createRefactorApp({ models: plannerRuntime() });
    const scope = givenRepository({ role: "none" });

    await deliver(await probot, "issue_comment.created", refactorComment());
    await queue.onIdle();

    expect(scope.isDone()).toBe(true);
    expect(models.calls).toEqual([]);
  });
});

describe("a scheduled refresh", () => {
  it("leaves a rolling issue a person closed alone until /symphony refactor", async () => {
    const services = await refactorServices();
    const closed = issue({
      body: "<!-- symphony:refactor -->\nold",
      state: "closed",
      closed_at: "2026-03-01T00:00:00Z",
    });
    const scope = mockIssueSearch(githubApi(), [closed]);

    const result = await refreshRefactorIssue({
      client: testClient(),
      repo: EXAMPLE_REPO,
      config: defaultRepoConfig(),
      services,
      trigger: "schedule",
      signal: new AbortController().signal,
      log: services.log,
    });

    expect(scope.isDone()).toBe(true);
    expect(result).toMatchObject({ outcome: "paused", issueUrl: ISSUE_URL });
    expect(result.summary).toBe("Paused: #9 was closed. Comment `/symphony refactor` to resume.");
  });
});

/** Runs `/symphony refactor` once on a repository without a rolling issue; its body. */
async function createdBody(probot: Probot, queue: WorkQueue): Promise<string> {
  let body = "";
  const scope = givenRepository({ role: "write" });
  mockStatusComment(scope, []);
  mockIssueSearch(scope, []);
  mockHistory(scope, PARSER_HISTORY);
  scope
    .post(`${REPO_PATH}/issues`, (sent: { body: string }) => {
      body = sent.body;
      return true;
    })
    .reply(201, issue({ body: "" }));
  await deliver(probot, "issue_comment.created", refactorComment());
  await queue.onIdle();
  expect(scope.isDone()).toBe(true);
  return body;
}

describe("the App's refactor timer", () => {
  const lastRunBody = (lastRun: string) =>
    `<!-- symphony:refactor -->\n## Refactor suggestions\n\n${renderRefactorState({ version: 1, lastRun, made: [], dismissed: [] })}\n`;

  function mockInstallations(scope: ReturnType<typeof githubApi>) {
    scope
      .get("/app/installations")
      .query(true)
      .reply(200, [
        { id: TEST_INSTALLATION_ID, account: { login: "Codertocat" }, suspended_at: null },
      ]);
    mockInstallationToken(scope);
    return scope
      .get("/installation/repositories")
      .query(true)
      .reply(200, {
        total_count: 1,
        repositories: [
          {
            name: "Hello-World",
            full_name: "Codertocat/Hello-World",
            owner: { login: "Codertocat" },
            archived: false,
            disabled: false,
          },
        ],
      });
  }

  it("refreshes after a restart when the last run is older than refactor.every", async () => {
    const { probot, queue, clock, timerSettled } = createRefactorApp();
    await probot;
    const stale = lastRunBody("2026-03-02T00:00:00.000Z");
    const edits: string[] = [];
    const scope = mockInstallations(githubApi());
    mockRepoConfig(scope, "refactor:\n  every: week\n");
    mockIssueSearch(scope, [issue({ body: stale })]);
    mockIssueSearch(scope, [issue({ body: stale })]);
    mockEmptyRepository(scope);
    scope
      .get(`${REPO_PATH}/issues/9`)
      .reply(200, issue({ body: stale }))
      .patch(`${REPO_PATH}/issues/9`, (body: { body: string }) => {
        edits.push(body.body);
        return true;
      })
      .reply(200, issue({ body: "" }));

    clock.advance(REFACTOR_FIRST_TICK_MS);
    await timerSettled();
    await queue.onIdle();

    expect(scope.isDone()).toBe(true);
    expect(parseRefactorState(edits[0])?.lastRun).toBe(
      new Date(NOW + REFACTOR_FIRST_TICK_MS).toISOString(),
    );
  });

  it("does not refresh early after a restart when the last run is recent", async () => {
    const { probot, queue, clock, timerSettled } = createRefactorApp();
    await probot;
    const scope = mockInstallations(githubApi());
    mockRepoConfig(scope, "refactor:\n  every: week\n");
    mockIssueSearch(scope, [issue({ body: lastRunBody("2026-03-08T00:00:00.000Z") })]);

    clock.advance(REFACTOR_FIRST_TICK_MS);
    await timerSettled();
    await queue.onIdle();

    expect(scope.isDone()).toBe(true);
  });

  it("leaves repositories alone when refactor.every is off (the default)", async () => {
    const { probot, queue, clock, timerSettled } = createRefactorApp();
    await probot;
    const scope = mockInstallations(githubApi());
    mockRepoConfig(scope, undefined);

    clock.advance(REFACTOR_FIRST_TICK_MS);
    await timerSettled();
    await queue.onIdle();

    expect(scope.isDone()).toBe(true);
  });

  it("stays paused while the rolling issue is closed", async () => {
    const { probot, queue, clock, timerSettled } = createRefactorApp();
    await probot;
    const scope = mockInstallations(githubApi());
    mockRepoConfig(scope, "refactor:\n  every: day\n");
    mockIssueSearch(scope, [
      issue({
        body: lastRunBody("2026-01-01T00:00:00.000Z"),
        state: "closed",
        closed_at: "2026-01-02T00:00:00Z",
      }),
    ]);

    clock.advance(REFACTOR_FIRST_TICK_MS);
    await timerSettled();
    await queue.onIdle();

    expect(scope.isDone()).toBe(true);
  });

  it("does not tick before its first delay", async () => {
    const { probot, clock, timerSettled } = createRefactorApp();
    await probot;

    clock.advance(REFACTOR_FIRST_TICK_MS - 1);
    await timerSettled();
  });
});
