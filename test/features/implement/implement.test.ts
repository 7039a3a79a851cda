import nock from "nock";
import { afterEach, describe, expect, it } from "vitest";
import { createSymphonyApp } from "../../../src/create-app.js";
import type { Clock } from "../../../src/lib/clock.js";
import { WorkQueue } from "../../../src/app/queue.js";
import { registerCommentCommands } from "../../../src/app/comment-commands.js";
import {
  implementCommands,
  registerImplementListeners,
} from "../../../src/features/implement/implement.js";
import { parsePlanRecord } from "../../../src/features/plan/plan-markdown.js";
import { scriptFullPlan } from "../../agents/fixtures.js";
import { FakeGitHub } from "./fake-github.js";
import {
  BRANCH,
  EDITED,
  FIXTURE_FILES,
  ISSUE,
  editedPath,
  planCommentBody,
  planRecord,
  wholeFileEditor,
} from "./support.js";
import {
  EXAMPLE_REPO,
  mockPermission,
  mockRepoConfig,
  useGitHubMock,
} from "../../support/github.js";
import { MockModelRuntime } from "../../support/mock-runtime.js";
import {
  createFakeRuntime,
  createTestProbot,
  deliver,
  GITHUB_API,
  mockInstallationToken,
  TEST_BOT_LOGIN,
  webhookPayload,
} from "../../support/probot.js";
import { textEditor } from "../../support/edit-replies.js";

useGitHubMock();

/** Jobs that threw past their own error handling; a test fails on any. */
const queueErrors: unknown[] = [];
afterEach(() => {
  expect(queueErrors.splice(0)).toEqual([]);
});

/** Time that moves 10 s per reading, so every status edit is written at once. */
function hurriedClock(): Clock {
  let now = 0;
  return {
    now: () => (now += 10_000),
    setTimeout: (callback) => {
      const timer = setTimeout(callback, 0);
      return () => clearTimeout(timer);
    },
  };
}

async function symphony(models: MockModelRuntime, role: "write" | "read" = "write", yaml?: string) {
  const base = nock(GITHUB_API).persist();
  mockInstallationToken(base);
  mockRepoConfig(base, yaml);
  mockPermission(base, "Codertocat", role);
  const queue = new WorkQueue({ onError: (error) => queueErrors.push(error) });
  const probot = await createTestProbot({
    app: createSymphonyApp({
      runtime: createFakeRuntime({ models }),
      botLogin: TEST_BOT_LOGIN,
      queue,
      clock: hurriedClock(),
      // Only the comment router and this feature: other features' schedules run on the same clock.
      commands: implementCommands,
      listeners: [registerCommentCommands, registerImplementListeners],
    }),
  });
  return { probot, queue };
}

function implementComment() {
  return webhookPayload("issue_comment.created", (payload) => {
    payload.comment.body = "/symphony implement";
  });
}

function repoWithPlan(): FakeGitHub {
  const fake = new FakeGitHub({ files: FIXTURE_FILES });
  fake.addComment(ISSUE, planCommentBody(planRecord()));
  fake.install();
  return fake;
}

function editor(files: Record<string, string | Error> = EDITED): MockModelRuntime {
  return new MockModelRuntime().respond("editor", wholeFileEditor(files));
}

describe("/symphony implement", () => {
  it("commits each task on symphony/issue-<n> and opens one draft pull request", async () => {
    const fake = repoWithPlan();
    const mainHead = fake.refs.get("main")!;
    const mainTree = fake.commits.get(mainHead)!.tree;
    const models = editor();
    const { probot, queue } = await symphony(models);

    await deliver(probot, "issue_comment.created", implementComment());
    await queue.onIdle();

    // The branch's files, rebuilt from the blobs and trees Symphony sent over the fixture.
    expect(fake.filesAt(BRANCH)).toEqual({ ...FIXTURE_FILES, ...EDITED });
    expect(fake.filesAt("main")).toEqual(FIXTURE_FILES);
    const [first, second] = fake.commitsOn(BRANCH);
    expect(fake.sent.commits).toEqual([
      expect.objectContaining({ parents: [mainHead] }),
      expect.objectContaining({ parents: [first!.sha] }),
    ]);
    expect(fake.sent.commits.map((c) => c.message.split("\n")[0])).toEqual([
      "T1: Add the welcome message setting",
      "T2: Greet first issues",
    ]);
    expect(fake.sent.trees[0]).toEqual({
      base_tree: mainTree,
      tree: [{ path: "src/config.ts", mode: "100644", type: "blob", sha: expect.any(String) }],
    });
    expect(fake.sent.trees[1]!.tree.map((e) => e.path)).toEqual([
      "src/handlers/welcome.ts",
      "src/handlers/issues.ts",
    ]);
    expect(fake.sent.refCreates).toEqual([{ ref: `refs/heads/${BRANCH}`, sha: first!.sha }]);
    expect(fake.sent.refUpdates).toEqual([{ ref: BRANCH, sha: second!.sha, force: false }]);

    expect(fake.sent.pullCreates).toHaveLength(1);
    const pull = fake.sent.pullCreates[0]!;
    expect(pull).toMatchObject({
      title: planRecord().epic!.epic.name,
      head: BRANCH,
      base: "main",
      draft: true,
    });
    expect(pull.body).toContain(`Closes #${ISSUE}`);
    expect(pull.body).toContain(`- [x] **T1** Add the welcome message setting: ${first!.sha}`);
    expect(pull.body).toContain(`- [x] **T2** Greet first issues: ${second!.sha}`);
    expect(pull.body).toContain("<summary>How this was made</summary>");
    expect(pull.body).toContain("editor.edit.whole_file/2");
  });

  it("gives the Editor the task, the design, the pseudocode and the file at the branch head", async () => {
    repoWithPlan();
    const models = editor();
    const { probot, queue } = await symphony(models);

    await deliver(probot, "issue_comment.created", implementComment());
    await queue.onIdle();

    const calls = models.callsFor("editor");
    expect(calls).toHaveLength(3);
    const prompt = calls[0]!.messages.find((m) => m.role === "user")!.content;
    expect(prompt).toContain("Task T1: Add the welcome message setting");
    expect(prompt).toContain(planRecord().plan!.approach);
    expect(prompt).toContain(planRecord().visual!.pseudocode);
    expect(prompt).toContain(FIXTURE_FILES["src/config.ts"].trimEnd());
    // T2's new file is new; its other file is read at the head T1 left.
    expect(calls[1]!.messages[1]!.content).toContain("File: src/handlers/welcome.ts\n(a new file");
  });

  it("links the plan comment to the pull request and keeps the plan readable", async () => {
    const fake = repoWithPlan();
    const { probot, queue } = await symphony(editor());

    await deliver(probot, "issue_comment.created", implementComment());
    await queue.onIdle();

    const plan = fake.commentsOn(ISSUE).find((c) => c.body.includes("symphony:plan:1"))!;
    expect(plan.body).toContain(
      "**Implementation:** [draft pull request #50](https://github.com/Codertocat/Hello-World/pull/50)",
    );
    expect(parsePlanRecord(plan.body)).toEqual(planRecord());
    const status = fake.commentsOn(ISSUE).find((c) => c.body.includes("symphony:implement:1"))!;
    expect(status.body).toContain("Opened draft pull request #50");
    expect(status.body).toContain("2 of 2 tasks committed");
  });

  it("opens one pull request when GitHub delivers the webhook twice", async () => {
    const fake = repoWithPlan();
    const { probot, queue } = await symphony(editor());
    const payload = implementComment();

    await deliver(probot, "issue_comment.created", payload, "delivery-1");
    await deliver(probot, "issue_comment.created", payload, "delivery-1");
    await queue.onIdle();

    expect(fake.sent.pullCreates).toHaveLength(1);
    expect(fake.sent.commits).toHaveLength(2);
  });

  it("updates the same branch and pull request when run again, committing only what failed before", async () => {
    const fake = repoWithPlan();
    // The first time, the Editor keeps answering for another file than the one asked.
    const models = textEditor((call) =>
      editedPath(call) === "src/handlers/issues.ts"
        ? { path: "src/handlers/other.ts", content: "x\n" }
        : wholeFileEditor(EDITED)(call),
    );
    const { probot, queue } = await symphony(models);

    await deliver(probot, "issue_comment.created", implementComment());
    await queue.onIdle();
    expect(fake.sent.commits).toHaveLength(1);
    expect(fake.sent.pullCreates[0]!.body).toContain("- [ ] **T2** Greet first issues: failed");

    models.respond("editor", wholeFileEditor(EDITED));
    await deliver(probot, "issue_comment.created", implementComment());
    await queue.onIdle();

    expect(fake.sent.pullCreates).toHaveLength(1);
    expect(fake.sent.commits.map((c) => c.message.split("\n")[0])).toEqual([
      "T1: Add the welcome message setting",
      "T2: Greet first issues",
    ]);
    expect(fake.filesAt(BRANCH)).toEqual({ ...FIXTURE_FILES, ...EDITED });
    expect(fake.sent.pullUpdates).toHaveLength(1);
    expect(fake.sent.pullUpdates[0]!.body).toContain("- [x] **T2** Greet first issues");
    expect(fake.pulls).toHaveLength(1);
  });

  it("leaves a branch of the same name that Symphony did not create alone and uses a suffixed one", async () => {
    const fake = repoWithPlan();
    const theirs = fake.addBranch(BRANCH, { "notes.md": "my notes\n" }, "octocat");
    const { probot, queue } = await symphony(editor());

    await deliver(probot, "issue_comment.created", implementComment());
    await queue.onIdle();

    expect(fake.refs.get(BRANCH)).toBe(theirs);
    expect(fake.filesAt(`${BRANCH}-2`)).toEqual({ ...FIXTURE_FILES, ...EDITED });
    expect(fake.sent.pullCreates[0]!.head).toBe(`${BRANCH}-2`);
  });

  it("plans first when the issue has no plan, then implements that plan", async () => {
    const fake = new FakeGitHub({ files: FIXTURE_FILES });
    fake.install();
    nock(GITHUB_API)
      .get(`/repos/${EXAMPLE_REPO.owner}/${EXAMPLE_REPO.repo}/issues/${ISSUE}`)
      .reply(200, webhookPayload("issue_comment.created").issue);
    const models = scriptFullPlan(editor());
    const { probot, queue } = await symphony(models);

    await deliver(probot, "issue_comment.created", implementComment());
    await queue.onIdle();

    const plan = fake.commentsOn(ISSUE).find((c) => c.body.includes("symphony:plan:1"))!;
    expect(parsePlanRecord(plan.body)?.tasks?.map((t) => t.task_id)).toEqual(["T1", "T2"]);
    expect(fake.sent.pullCreates).toHaveLength(1);
    expect(fake.filesAt(BRANCH)).toEqual({ ...FIXTURE_FILES, ...EDITED });
    const status = fake.commentsOn(ISSUE).find((c) => c.body.includes("symphony:implement:1"))!;
    const written = fake.sent.commentUpdates.filter((u) => u.id === status.id).map((u) => u.body);
    expect(written.some((body) => body.includes("**Planning first…**"))).toBe(true);
    expect(
      written.some((body) => body.includes("**Implementing…**") && body.includes("✅ Plan")),
    ).toBe(true);
    expect(status.body).toContain("Opened draft pull request #50");
  });

  it("does nothing for someone without write access", async () => {
    const fake = repoWithPlan();
    const models = editor();
    const { probot, queue } = await symphony(models, "read");

    await deliver(probot, "issue_comment.created", implementComment());
    await queue.onIdle();

    expect(models.calls).toHaveLength(0);
    expect(fake.sent.commits).toHaveLength(0);
    expect(fake.commentsOn(ISSUE)).toHaveLength(1);
  });
});

describe("the implement label", () => {
  function labeled(name: string, senderType: "User" | "Bot" = "User") {
    return webhookPayload("issues.labeled", (payload) => {
      payload.label = { ...payload.label!, name };
      payload.sender.type = senderType;
      payload.issue.number = ISSUE;
      payload.issue.labels = [];
    });
  }

  it("implements the plan when a writer adds symphony:implement", async () => {
    const fake = repoWithPlan();
    const { probot, queue } = await symphony(editor());

    await deliver(probot, "issues.labeled", labeled("symphony:implement"));
    await queue.onIdle();

    expect(fake.sent.pullCreates).toHaveLength(1);
    expect(fake.filesAt(BRANCH)).toEqual({ ...FIXTURE_FILES, ...EDITED });
  });

  it("follows the configured implement_label and ignores other labels", async () => {
    const fake = repoWithPlan();
    const models = editor();
    const { probot, queue } = await symphony(models, "write", "implement_label: ship-it\n");

    await deliver(probot, "issues.labeled", labeled("symphony:implement"));
    await queue.onIdle();
    expect(models.calls).toHaveLength(0);

    await deliver(probot, "issues.labeled", labeled("ship-it"));
    await queue.onIdle();
    expect(fake.sent.pullCreates).toHaveLength(1);
  });

  it("ignores the label when a bot adds it", async () => {
    const fake = repoWithPlan();
    const models = editor();
    const { probot, queue } = await symphony(models);

    await deliver(probot, "issues.labeled", labeled("symphony:implement", "Bot"));
    await queue.onIdle();

    expect(models.calls).toHaveLength(0);
    expect(fake.sent.commits).toHaveLength(0);
  });
});
