import { REVIEW_ANSWER_PROMPT_VERSION } from "../../../src/agents/editor/review-answer.js";
import { describe, expect, it } from "vitest";
import type { Finding } from "../../../src/agents/editor/review.js";
import type { PullFile } from "../../../src/github/pull-request-patch.js";
import { parseReviewState } from "../../../src/features/review/state.js";
import { expectCommentsOnRightSide } from "./right-side.js";
import { scriptedRuntime, shownDiff, type ScriptedRuntime } from "./scripted-runtime.js";
import { useGitHubMock } from "../../support/github.js";
import { deliver, webhookPayload } from "../../support/probot.js";
import { FakePull } from "./review-fake-github.js";
import { givenApp, pullRequestComment, type GivenApp } from "../../support/given.js";

useGitHubMock();

const HEAD_1 = "1111111111111111111111111111111111111111";
const HEAD_2 = "2222222222222222222222222222222222222222";

const appFile: PullFile = {
  filename: "src/app.ts",
  status: "modified",
  additions: 1,
  deletions: 1,
  changes: 2,
  patch:
    "@@ -8,3 +8,3 @@\n   const port = env.PORT;\n-  listen(port);\n+  listen(Number(port));\n   return port;",
};
const configFile: PullFile = {
  filename: "src/config.ts",
  status: "added",
  additions: 1,
  deletions: 0,
  changes: 1,
  patch: "@@ -0,0 +1 @@\n+export const HOST = '0.0.0.0';",
};
const portFinding: Finding = {
  path: "src/app.ts",
  line: 9,
  snippet: "listen(Number(port))",
  severity: "major",
  rule: "bug",
  title: "NaN port when PORT is unset",
  body: "`Number(undefined)` is NaN.",
};

function models(findings: Finding[] = [portFinding]): ScriptedRuntime {
  return scriptedRuntime((request) => {
    if (request.agent === "planner") {
      return { summary: "Parses the port.", walkthrough: [], design_remarks: [] };
    }
    if (request.agent === "visualizer") return { flow: "", mermaid: "" };
    if (request.promptVersion.startsWith("editor-review-answer")) {
      return { answer: "Unset `PORT` gives `NaN`; the default avoids it." };
    }
    return { findings };
  });
}

type TestApp = GivenApp;

const symphony = (runtime: ScriptedRuntime): Promise<TestApp> => givenApp({ models: runtime });

async function opened(app: TestApp, pull: FakePull): Promise<void> {
  const payload = webhookPayload("pull_request.opened", (event) => {
    event.pull_request.head.sha = pull.head;
    event.pull_request.user!.type = "User";
  });
  await deliver(app.probot, "pull_request.opened", payload);
  await app.queue.onIdle();
}

async function reviewCommand(app: TestApp, onPullRequest = true): Promise<void> {
  const payload = pullRequestComment("/symphony review", {
    number: 2,
    commentId: 777,
    onPullRequest,
  });
  await deliver(app.probot, "issue_comment.created", payload);
  await app.queue.onIdle();
}

describe("/symphony review", () => {
  it("reviews the whole diff again, even for a head reviewed already, without repeating findings", async () => {
    const runtime = models();
    const app = await symphony(runtime);
    const pull = new FakePull({ head: HEAD_1, files: [appFile] });
    pull.serve();
    await opened(app, pull);
    pull.push(HEAD_2, [appFile, configFile], {
      from: HEAD_1,
      comparison: { status: "ahead", files: [configFile] },
    });

    await reviewCommand(app);

    const calls = runtime.calls.filter((call) => call.agent === "editor");
    expect(calls).toHaveLength(2);
    expect(shownDiff(calls[1]!)).toContain("File: src/app.ts");
    expect(shownDiff(calls[1]!)).toContain("File: src/config.ts");
    expect(pull.compareCalls).toEqual([]);
    expect(pull.reviews).toHaveLength(1);
    expectCommentsOnRightSide(pull.reviews[0]!.comments, [appFile]);
    expect(pull.comments).toHaveLength(1);
    expect(parseReviewState(pull.summary)).toMatchObject({ headSha: HEAD_2 });
  });

  it("reviews again on command when the head has not moved", async () => {
    const runtime = models([]);
    const app = await symphony(runtime);
    const pull = new FakePull({ head: HEAD_1, files: [appFile] });
    pull.serve();
    await opened(app, pull);

    await reviewCommand(app);

    expect(runtime.calls.filter((call) => call.agent === "editor")).toHaveLength(2);
  });

  it("does nothing for someone without write access", async () => {
    const runtime = models();
    const app = await symphony(runtime);
    const pull = new FakePull({ head: HEAD_1, files: [appFile], role: "read" });
    pull.serve();

    await reviewCommand(app);

    expect(runtime.calls).toEqual([]);
    expect(pull.commentWrites).toEqual([]);
  });

  it("says it works on pull requests when used on an issue", async () => {
    const runtime = models();
    const app = await symphony(runtime);
    const pull = new FakePull({ head: HEAD_1, files: [appFile] });
    pull.serve();

    await reviewCommand(app, false);

    expect(runtime.calls).toEqual([]);
    expect(pull.comments[0]!.body).toContain("`/symphony review` works on pull requests");
  });
});

type ReplyTweak = (payload: ReturnType<typeof replyPayload>) => void;

function replyPayload(pull: FakePull, rootId: number, replyId: number, body: string) {
  return webhookPayload("pull_request_review_comment.created", (event) => {
    event.pull_request.number = pull.number;
    event.pull_request.head.ref = "changes";
    event.comment.id = replyId;
    event.comment.in_reply_to_id = rootId;
    event.comment.body = body;
    event.comment.user!.type = "User";
    event.sender.type = "User";
  });
}

async function replyToThread(
  app: TestApp,
  pull: FakePull,
  body: string,
  tweak: ReplyTweak = () => undefined,
): Promise<number> {
  const rootId = pull.reviewComments[0]!.id;
  const reply = pull.reply(rootId, body);
  const payload = replyPayload(pull, rootId, reply.id, body);
  tweak(payload);
  await deliver(app.probot, "pull_request_review_comment.created", payload);
  await app.queue.onIdle();
  return rootId;
}

describe("a reply to Symphony in its review thread", () => {
  it("is answered in that thread, with the finding and the code as context", async () => {
    const runtime = models();
    const app = await symphony(runtime);
    const pull = new FakePull({ head: HEAD_1, files: [appFile] });
    pull.serve();
    await opened(app, pull);

    const rootId = await replyToThread(app, pull, "@symphony-test why is NaN a problem here?");

    expect(pull.threadReplies).toHaveLength(1);
    expect(pull.threadReplies[0]!.comment_id).toBe(rootId);
    expect(pull.threadReplies[0]!.body).toContain(
      "Unset <code>PORT</code> gives <code>NaN</code>; the default avoids it.",
    );
    const call = runtime.calls.find(
      (candidate) => candidate.promptVersion === REVIEW_ANSWER_PROMPT_VERSION,
    )!;
    const prompt = shownDiff(call);
    expect(prompt).toContain("Review thread on src/app.ts:9");
    expect(prompt).toContain("NaN port when PORT is unset");
    expect(prompt).toContain("Question:\nwhy is NaN a problem here?");
    expect(pull.comments).toHaveLength(1);
  });

  it("is answered though someone else's reply carries Symphony's thread-reply marker for it", async () => {
    const app = await symphony(models());
    const pull = new FakePull({ head: HEAD_1, files: [appFile] });
    pull.serve();
    await opened(app, pull);
    const rootId = pull.reviewComments[0]!.id;
    const forger = pull.reply(rootId, "", "mallory");
    forger.body = `<!-- symphony:thread-reply:${forger.id + 1} -->\nnothing to see`;

    const question = pull.reply(rootId, "@symphony-test why?");
    expect(question.id).toBe(forger.id + 1);
    await deliver(
      app.probot,
      "pull_request_review_comment.created",
      replyPayload(pull, rootId, question.id, question.body),
    );
    await app.queue.onIdle();

    expect(pull.threadReplies).toHaveLength(1);
  });

  it("is answered once when the webhook is delivered again", async () => {
    const app = await symphony(models());
    const pull = new FakePull({ head: HEAD_1, files: [appFile] });
    pull.serve();
    await opened(app, pull);
    const rootId = pull.reviewComments[0]!.id;
    const reply = pull.reply(rootId, "@symphony-test really?");
    const payload = replyPayload(pull, rootId, reply.id, reply.body);

    await deliver(app.probot, "pull_request_review_comment.created", payload, "d-1");
    await app.queue.onIdle();
    await deliver(app.probot, "pull_request_review_comment.created", payload, "d-2");
    await app.queue.onIdle();

    expect(pull.threadReplies).toHaveLength(1);
  });

  const ignored: [string, string, ReplyTweak][] = [
    ["a reply that does not mention Symphony", "Thanks, fixed.", () => undefined],
    [
      "a reply on one of Symphony's own pull requests",
      "@symphony-test why?",
      (payload) => (payload.pull_request.head.ref = "symphony/issue-3"),
    ],
    [
      "a bot's reply",
      "@symphony-test why?",
      (payload) => {
        payload.comment.user!.type = "Bot";
        payload.sender.type = "Bot";
      },
    ],
    [
      "a reply in a thread a person started",
      "@symphony-test what do you think?",
      (payload) => (payload.comment.in_reply_to_id = 1),
    ],
  ];
  for (const [what, body, tweak] of ignored) {
    it(`leaves alone ${what}`, async () => {
      const runtime = models();
      const app = await symphony(runtime);
      const pull = new FakePull({ head: HEAD_1, files: [appFile] });
      pull.serve();
      await opened(app, pull);
      const calls = runtime.calls.length;

      await replyToThread(app, pull, body, tweak);

      expect(pull.threadReplies).toEqual([]);
      expect(runtime.calls).toHaveLength(calls);
    });
  }

  it("leaves alone a reply from someone without write access", async () => {
    const runtime = models();
    const app = await symphony(runtime);
    const pull = new FakePull({ head: HEAD_1, files: [appFile] });
    pull.serve();
    await opened(app, pull);
    pull.role = "read";

    await replyToThread(app, pull, "@symphony-test why?");

    expect(pull.threadReplies).toEqual([]);
  });
});
