// The App's refactor timer on two instances sharing one real Redis: both find the rolling issue's
// refresh due (each read it before either wrote), and it is refreshed once.
import { afterAll, beforeAll, expect, it } from "vitest";
import { listeners } from "../../src/features/index.js";
import type { AppServices } from "../../src/app/services.js";
import { renderRefactorState } from "../../src/features/refactor/refactor-state.js";
import { REFACTOR_FIRST_TICK_MS } from "../../src/features/refactor/refactor-timer.js";
import { ManualClock } from "../../src/lib/clock.js";
import {
  issue,
  mockEmptyRepository,
  mockIssueSearch,
  NOW,
  REPO_PATH,
} from "../features/refactor/github-fixtures.js";
import { githubApi, mockRepoConfig, useGitHubMock } from "../support/github.js";
import { MockModelRuntime } from "../support/mock-runtime.js";
import { mockInstallationToken, TEST_INSTALLATION_ID } from "../support/probot.js";
import { describeWithRedis, givenRedis, type GivenRedis } from "./given-cluster.js";

useGitHubMock();

describeWithRedis("the refactor timer on two instances (real Redis)", () => {
  let redis: GivenRedis;
  beforeAll(async () => {
    redis = await givenRedis();
  });
  afterAll(() => redis.stop());

  /** One App instance as a replica, with its own clock (its own timer). */
  async function instance() {
    const clock = new ManualClock(NOW);
    let services: AppServices | undefined;
    const { replica } = await redis.appReplica({
      prefix: "schedule",
      models: new MockModelRuntime(),
      clock,
      listeners: [...listeners, (_app, given) => void (services = given)],
    });
    /** Resolves once this instance's refactor tick in progress (if any) is done. */
    const timerSettled = (): Promise<void> =>
      services!.memory.background.get("refactor-timer")!.settled();
    return { clock, replica, timerSettled };
  }

  /** The timer's look at the one repository: due, its rolling issue last refreshed a week ago. */
  function mockDueCheck(scope: ReturnType<typeof githubApi>, stale: string): void {
    scope
      .get("/app/installations")
      .query(true)
      .reply(200, [
        { id: TEST_INSTALLATION_ID, account: { login: "Codertocat" }, suspended_at: null },
      ]);
    mockInstallationToken(scope)
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
    mockRepoConfig(scope, "refactor:\n  every: week\n");
    mockIssueSearch(scope, [issue({ body: stale })]);
  }

  it("refreshes the rolling issue once though both instances found it due", async () => {
    const one = await instance();
    const two = await instance();
    const stale = `<!-- symphony:refactor -->\n## Refactor suggestions\n\n${renderRefactorState({ version: 1, lastRun: "2026-03-02T00:00:00.000Z", made: [], dismissed: [] })}\n`;
    const edits: string[] = [];
    const scope = githubApi();
    mockDueCheck(scope, stale);
    // The refresh, once.
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
    // The second instance's look, made before the first had written the new date.
    mockDueCheck(scope, stale);

    one.clock.advance(REFACTOR_FIRST_TICK_MS);
    await one.timerSettled();
    await one.replica.queue.onIdle();
    two.clock.advance(REFACTOR_FIRST_TICK_MS);
    await two.timerSettled();
    await two.replica.queue.onIdle();

    expect(scope.isDone()).toBe(true);
    expect(edits).toHaveLength(1);
  });
});
