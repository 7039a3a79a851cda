import nock from "nock";
import { afterEach, describe, expect, it } from "vitest";
import { createSymphonyApp } from "../../../src/create-app.js";
import { WorkQueue } from "../../../src/app/queue.js";
import {
  implementCommands,
  registerImplementListeners,
} from "../../../src/features/implement/implement.js";
import { readFollowUpCommits } from "../../../src/features/implement/pull-request-body.js";
import { FakeGitHub, reviewCommentUrl } from "./fake-github.js";
import {
  BRANCH,
  EDITED,
  editedPath,
  FIXTURE_FILES,
  ISSUE,
  planCommentBody,
  planRecord,
} from "./support.js";
import { mockPermission, mockRepoConfig, useGitHubMock } from "../../support/github.js";
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

const queueErrors: unknown[] = [];
afterEach(() => {
  expect(queueErrors.splice(0)).toEqual([]);
});

const REVIEW_ID = 237895671;

async function symphony(models: MockModelRuntime, role: "write" | "read" = "write") {
  const base = nock(GITHUB_API).persist();
  mockInstallationToken(base);
  mockRepoConfig(base, undefined);
  mockPermission(base, "Codertocat", role);
  const queue = new WorkQueue({ onError: (error) => queueErrors.push(error) });
  const probot = await createTestProbot({
    app: createSymphonyApp({
      runtime: createFakeRuntime({ models }),
      botLogin: TEST_BOT_LOGIN,
      queue,
      commands: implementCommands,
      listeners: [registerImplementListeners],
    }),
  });
  return { probot, queue };
}

/** Symphony's branch with T1 committed, its draft pull request, and a review with two comments. */
function symphonyPullRequest() {
  const fake = new FakeGitHub({ files: FIXTURE_FILES });
  fake.addComment(ISSUE, planCommentBody(planRecord()));
  fake.addBranch(
    BRANCH,
    { "src/config.ts": EDITED["src/config.ts"]! },
    TEST_BOT_LOGIN,
    "T1: Add the welcome message setting",
  );
  const number = fake.addPull(BRANCH, `<!-- symphony:implement-pr:${ISSUE} -->\nCloses #${ISSUE}`);
  fake.reviewComments.set(REVIEW_ID, [
    {
      id: 501,
      path: "src/config.ts",
      line: 7,
      body: "Say `Welcome aboard!` instead.",
      diff_hunk: "@@ -5,3 +5,4 @@",
    },
    {
      id: 502,
      in_reply_to_id: 400,
      path: "README.md",
      line: 1,
      body: "Rename the project.",
      diff_hunk: "@@ -1 +1 @@",
    },
  ]);
  fake.install();
  return { fake, number };
}

function review(
  number: number,
  tweak: (p: ReturnType<typeof webhookPayload<"pull_request_review.submitted">>) => void = () =>
    undefined,
) {
  return webhookPayload("pull_request_review.submitted", (payload) => {
    payload.review.id = REVIEW_ID;
    payload.review.body = "A few things.";
    payload.pull_request.number = number;
    payload.pull_request.head.ref = BRANCH;
    payload.pull_request.base.ref = "main";
    payload.pull_request.state = "open";
    payload.pull_request.user = {
      ...payload.pull_request.user!,
      login: TEST_BOT_LOGIN,
      type: "Bot",
    };
    payload.pull_request.body = `<!-- symphony:implement-pr:${ISSUE} -->\nCloses #${ISSUE}`;
    tweak(payload);
  });
}

describe("review comments on Symphony's pull request", () => {
  it("adds one follow-up commit per comment it can act on and replies in every thread", async () => {
    const { fake, number } = symphonyPullRequest();
    const headBefore = fake.refs.get(BRANCH)!;
    const welcomed = EDITED["src/config.ts"]!.replace('"Welcome!"', '"Welcome aboard!"');
    const models = textEditor((call) =>
      editedPath(call) === "src/config.ts"
        ? { path: "src/config.ts", content: welcomed }
        : { path: "docs/other.md", content: "x\n" },
    );
    const { probot, queue } = await symphony(models);

    await deliver(probot, "pull_request_review.submitted", review(number));
    await queue.onIdle();

    const prompt = models.callsFor("editor")[0]!.messages[1]!.content;
    expect(prompt).toContain("Say `Welcome aboard!` instead.");
    expect(prompt).toContain(EDITED["src/config.ts"]!.trimEnd());
    expect(fake.sent.commits).toEqual([
      expect.objectContaining({
        parents: [headBefore],
        message: expect.stringMatching(/^Address review: Say `Welcome aboard!` instead\./),
      }),
    ]);
    expect(fake.filesAt(BRANCH)).toEqual({ ...FIXTURE_FILES, "src/config.ts": welcomed });
    const [commit] = fake.commitsOn(BRANCH).slice(-1);
    expect(fake.sent.replies).toEqual([
      {
        pull: number,
        comment: 501,
        body: `Addressed in ${commit!.sha}: changed \`src/config.ts\` (2 lines).`,
      },
      {
        pull: number,
        comment: 400,
        body: expect.stringMatching(/^I could not act on this: the reply names/),
      },
    ]);
  });

  it("lists the follow-up commits in the pull request's body, each with the comment it addressed, in one edit", async () => {
    const { fake, number } = symphonyPullRequest();
    const welcomed = EDITED["src/config.ts"]!.replace('"Welcome!"', '"Welcome aboard!"');
    const models = textEditor((call) =>
      editedPath(call) === "src/config.ts"
        ? { path: "src/config.ts", content: welcomed }
        : { path: "docs/other.md", content: "x\n" },
    );
    const { probot, queue } = await symphony(models);

    await deliver(probot, "pull_request_review.submitted", review(number));
    await queue.onIdle();

    const [commit] = fake.commitsOn(BRANCH).slice(-1);
    const listed = {
      sha: commit!.sha,
      comment: 501,
      url: reviewCommentUrl(number, 501),
      path: "src/config.ts",
      line: 7,
      request: "Say `Welcome aboard!` instead.",
    };
    expect(fake.sent.pullUpdates).toHaveLength(1);
    const { number: patched, body } = fake.sent.pullUpdates[0]!;
    expect(patched).toBe(number);
    // The body Symphony wrote stays; the section is added after it, the unaddressed comment left out.
    expect(body).toMatch(
      new RegExp(
        `^<!-- symphony:implement-pr:${ISSUE} -->\nCloses #${ISSUE}\n\n<!-- symphony:follow-ups:start -->\n`,
      ),
    );
    expect(body).toContain(
      [
        "### Follow-up commits",
        "",
        "Made on review, one commit per comment:",
        "",
        `- ${commit!.sha}: [review comment](${reviewCommentUrl(number, 501)}) on \`src/config.ts:7\`: Say <code>Welcome aboard&#33;</code> instead.`,
        "<!-- symphony-state:follow-ups",
      ].join("\n"),
    );
    expect(body).not.toContain("README.md");
    expect(readFollowUpCommits(body)).toEqual([listed]);
  });

  it("updates the follow-up list in place on the next review, keeping the earlier commits", async () => {
    const { fake, number } = symphonyPullRequest();
    fake.reviewComments.set(REVIEW_ID + 1, [
      {
        id: 601,
        path: "src/config.ts",
        line: 8,
        body: "Add a trailing comment.",
        diff_hunk: "@@ -5,3 +5,4 @@",
      },
    ]);
    const models = textEditor((call) => {
      const prompt = call.messages[1]!.content;
      const base = fake.filesAt(BRANCH)["src/config.ts"]!;
      return editedPath(call) === "src/config.ts"
        ? {
            path: "src/config.ts",
            content: `${base}// ${prompt.includes("trailing") ? "b" : "a"}\n`,
          }
        : { path: "docs/other.md", content: "x\n" };
    });
    const { probot, queue } = await symphony(models);

    await deliver(probot, "pull_request_review.submitted", review(number));
    await queue.onIdle();
    await deliver(
      probot,
      "pull_request_review.submitted",
      review(number, (p) => {
        p.review.id = REVIEW_ID + 1;
      }),
    );
    await queue.onIdle();

    const [first, second] = fake.commitsOn(BRANCH).slice(-2);
    // One edit per run; the second rewrites the section the first added, rather than adding another.
    expect(fake.sent.pullUpdates).toHaveLength(2);
    const body = fake.sent.pullUpdates[1]!.body;
    expect(body.split("### Follow-up commits")).toHaveLength(2);
    expect(body.startsWith(`<!-- symphony:implement-pr:${ISSUE} -->\nCloses #${ISSUE}\n\n`)).toBe(
      true,
    );
    expect(readFollowUpCommits(body).map((c) => [c.sha, c.comment])).toEqual([
      [first!.sha, 501],
      [second!.sha, 601],
    ]);
    expect(body).toContain(`- ${second!.sha}: [review comment](${reviewCommentUrl(number, 601)})`);
  });

  it("runs once for a review GitHub delivers twice", async () => {
    const { fake, number } = symphonyPullRequest();
    const models = textEditor((call) => ({
      path: editedPath(call),
      content: `${EDITED["src/config.ts"]!}// reviewed\n`,
    }));
    const { probot, queue } = await symphony(models);
    const payload = review(number);

    await deliver(probot, "pull_request_review.submitted", payload, "review-delivery");
    await deliver(probot, "pull_request_review.submitted", payload, "review-delivery");
    await queue.onIdle();

    expect(fake.sent.replies).toHaveLength(2);
  });

  it("ignores reviews on pull requests that are not Symphony's, and reviews by people without write access", async () => {
    const { fake, number } = symphonyPullRequest();
    const models = new MockModelRuntime();
    const { probot, queue } = await symphony(models, "read");

    await deliver(probot, "pull_request_review.submitted", review(number));
    await deliver(
      probot,
      "pull_request_review.submitted",
      review(number, (p) => {
        p.pull_request.head.ref = "feature/x";
      }),
    );
    await queue.onIdle();

    expect(models.calls).toHaveLength(0);
    expect(fake.sent.replies).toEqual([]);
    expect(fake.commentsOn(number)).toEqual([]);
  });
});
