import { beforeEach, describe, expect, it, vi } from "vitest";
import { PlanRecordSchema } from "../../../src/agents/conductor/plan-record.js";
import type { SymphonyCommand } from "../../../src/app/commands.js";
import { implementRefactorSuggestion } from "../../../src/features/refactor/refactor-implement.js";
import {
  implementPlan,
  type ImplementResult,
} from "../../../src/features/implement/implement-plan.js";
import type * as ImplementPlanModule from "../../../src/features/implement/implement-plan.js";
import { suggestionRecordSchema } from "../../../src/features/refactor/refactor-state.js";
import { parseRefactorState } from "../../../src/features/refactor/refactor-state.js";
import { renderRollingIssue } from "../../../src/features/refactor/rolling-issue.js";
import type { githubApi } from "../../support/github.js";
import { issueComment, mockIssueComments, useGitHubMock } from "../../support/github.js";
import { deliver, TEST_BOT_LOGIN, webhookPayload } from "../../support/probot.js";
import { createRefactorApp, issue, REPO_PATH } from "./github-fixtures.js";
import { makeSuggestion } from "./make-suggestion.js";
import { givenRepository, givenNewComment } from "../../support/given.js";

vi.mock("../../../src/features/implement/implement-plan.js", async (importOriginal) => ({
  ...(await importOriginal<typeof ImplementPlanModule>()),
  implementPlan: vi.fn(),
}));

useGitHubMock();

const suggestion = makeSuggestion({ file: "src/cart.ts", function: "total", line: 12 });
const ID = suggestion.id;
const BEFORE = renderRollingIssue({
  runAt: new Date("2026-03-09T00:00:00Z"),
  windowDays: 90,
  commitsScanned: 3,
  historyTruncated: false,
  changedFiles: 1,
  measured: 1,
  rows: [],
  suggestions: [suggestion],
  ticked: new Set(),
  state: {
    version: 1,
    lastRun: "2026-03-09T00:00:00.000Z",
    made: [suggestionRecordSchema.parse(suggestion)],
    dismissed: [],
  },
});
const TICKED = BEFORE.replace(`- [ ] \`${ID}\``, `- [x] \`${ID}\``);

const RESULT: ImplementResult = {
  branch: `symphony/refactor-${ID}`,
  headSha: "f00d",
  pullRequest: {
    number: 31,
    url: "https://github.com/Codertocat/Hello-World/pull/31",
    created: true,
  },
  tasks: [
    {
      task_id: "T1",
      title: suggestion.title,
      status: "committed",
      commitSha: "f00d",
      files: ["src/cart.ts"],
    },
  ],
  usage: [],
};

function tickedEdit(tweak: (payload: ReturnType<typeof edited>) => void = () => undefined) {
  const payload = edited();
  tweak(payload);
  return payload;
}

function edited() {
  return webhookPayload("issues.edited", (payload) => {
    payload.issue.number = 9;
    payload.issue.body = TICKED;
    payload.issue.user!.login = TEST_BOT_LOGIN;
    payload.issue.user!.type = "Bot";
    payload.changes = { body: { from: BEFORE } };
  });
}

/** The status comment on the rolling issue, and the run's GitHub calls around the Editor. */
function mockImplementation(
  scope: ReturnType<typeof githubApi>,
  issueBodies: string[],
  status: string[],
) {
  mockIssueComments(scope, 9, []);
  scope
    .post(`${REPO_PATH}/issues/9/comments`)
    .reply(201, issueComment({ id: 600, body: "" }))
    .get(`${REPO_PATH}/issues/9`)
    .times(2)
    .reply(200, issue({ body: TICKED }))
    .patch(`${REPO_PATH}/issues/9`, (body: { body: string }) => {
      issueBodies.push(body.body);
      return true;
    })
    .reply(200, issue({ body: "" }))
    .patch(`${REPO_PATH}/issues/comments/600`, (body: { body: string }) => {
      status.push(body.body);
      return true;
    })
    .reply(200, issueComment({ id: 600, body: "" }));
}

beforeEach(() => {
  vi.mocked(implementPlan).mockReset();
});

describe("ticking a suggestion's box", () => {
  it("hands that one suggestion to the Editor and links the draft pull request", async () => {
    vi.mocked(implementPlan).mockResolvedValue(RESULT);
    const { probot, queue } = createRefactorApp();
    const bodies: string[] = [];
    const status: string[] = [];
    const scope = givenRepository({ role: "write" });
    mockImplementation(scope, bodies, status);

    await deliver(await probot, "issues.edited", tickedEdit());
    await queue.onIdle();

    expect(scope.isDone()).toBe(true);
    expect(implementPlan).toHaveBeenCalledOnce();
    const input = vi.mocked(implementPlan).mock.calls[0]![0];
    expect(input.issueNumber).toBe(9);
    expect(input.branchName).toBe(`symphony/refactor-${ID}`);
    const record = PlanRecordSchema.parse(input.record);
    expect(record.intent.kind).toBe("refactor");
    expect(record.tasks).toHaveLength(1);
    expect(record.tasks![0]).toMatchObject({
      task_id: "T1",
      title: "Return early for members",
      assigned_agent: "editor",
      technical_requirements: { files_to_modify: ["src/cart.ts"], files_to_create: [] },
    });
    expect(record.tasks![0]!.description).toContain(
      "Handle the member case first and return; then the rest.",
    );
    expect(bodies).toHaveLength(1);
    expect(bodies[0]).toContain(`- [x] \`${ID}\``);
    expect(bodies[0]).toContain("— draft pull request #31");
    expect(parseRefactorState(bodies[0])?.pulls).toEqual([
      { id: ID, fingerprint: suggestion.fingerprint, number: 31 },
    ]);
    expect(status.at(-1)).toContain(
      `✅ Opened draft pull request #31 for \`${ID}\` on \`symphony/refactor-${ID}\`.`,
    );
  });

  it("does nothing when the person who ticked lacks write access", async () => {
    const { probot, queue } = createRefactorApp();
    const scope = givenRepository({ role: "read" });

    await deliver(await probot, "issues.edited", tickedEdit());
    await queue.onIdle();

    expect(scope.isDone()).toBe(true);
    expect(implementPlan).not.toHaveBeenCalled();
  });

  it("ignores edits that tick nothing new, and Symphony's own edits, without a GitHub call", async () => {
    const { probot, queue } = createRefactorApp();
    const app = await probot;

    await deliver(
      app,
      "issues.edited",
      tickedEdit((p) => (p.changes = { body: { from: TICKED } })),
    );
    await deliver(
      app,
      "issues.edited",
      tickedEdit((p) => {
        p.sender.login = TEST_BOT_LOGIN;
        p.sender.type = "Bot";
      }),
    );
    await deliver(
      app,
      "issues.edited",
      tickedEdit((p) => (p.issue.user!.type = "User")),
    );
    await queue.onIdle();

    expect(implementPlan).not.toHaveBeenCalled();
  });
});

describe("/symphony implement <id> in the rolling issue", () => {
  // The implement command's owner routes to implementRefactorSuggestion first; wired here alone.
  const implementCommand: SymphonyCommand = {
    name: "implement",
    usage: "/symphony implement",
    summary: "Implement.",
    run: async (invocation) => {
      if (!(await implementRefactorSuggestion(invocation))) throw new Error("not handled");
    },
  };

  function implementComment(args: string) {
    return webhookPayload("issue_comment.created", (payload) => {
      payload.comment.body = `/symphony implement ${args}`;
      payload.issue.number = 9;
      payload.issue.body = BEFORE;
      payload.issue.user.login = TEST_BOT_LOGIN;
      payload.issue.user.type = "Bot";
    });
  }

  it("hands the named suggestion to the Editor", async () => {
    vi.mocked(implementPlan).mockResolvedValue(RESULT);
    const { probot, queue } = createRefactorApp({ commands: [implementCommand] });
    const bodies: string[] = [];
    const status: string[] = [];
    const scope = givenRepository({ role: "write" });
    mockImplementation(scope, bodies, status);

    await deliver(await probot, "issue_comment.created", implementComment(ID));
    await queue.onIdle();

    expect(scope.isDone()).toBe(true);
    expect(implementPlan).toHaveBeenCalledOnce();
    expect(vi.mocked(implementPlan).mock.calls[0]![0].branchName).toBe(`symphony/refactor-${ID}`);
    expect(bodies[0]).toContain("— draft pull request #31");
  });

  it("names the ids it knows when the one asked for is not in the issue", async () => {
    const { probot, queue } = createRefactorApp({ commands: [implementCommand] });
    const scope = givenRepository({ role: "write" });
    const posted = givenNewComment(scope, { issue: 9, id: 601 });

    await deliver(await probot, "issue_comment.created", implementComment("rf-00000000"));
    await queue.onIdle();

    expect(scope.isDone()).toBe(true);
    expect(implementPlan).not.toHaveBeenCalled();
    expect(posted[0]!.body).toContain("`rf-00000000` is not a suggestion in this issue.");
    expect(posted[0]!.body).toContain(`\`/symphony implement ${ID}\``);
  });

  it("leaves any other issue to the plan implementation", async () => {
    const seen: boolean[] = [];
    const command: SymphonyCommand = {
      ...implementCommand,
      run: async (invocation) => {
        seen.push(await implementRefactorSuggestion(invocation));
      },
    };
    const { probot } = createRefactorApp({ commands: [command] });
    const scope = givenRepository({ role: "write" });

    await deliver(
      await probot,
      "issue_comment.created",
      webhookPayload("issue_comment.created", (payload) => {
        payload.comment.body = `/symphony implement`;
      }),
    );

    expect(scope.isDone()).toBe(true);
    expect(seen).toEqual([false]);
  });
});
