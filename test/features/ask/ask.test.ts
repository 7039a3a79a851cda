import { REVIEW_ANSWER_PROMPT_VERSION } from "../../../src/agents/editor/review-answer.js";
import { describe, expect, it } from "vitest";
import type { PullFile } from "../../../src/github/pull-request-patch.js";
import { scriptedRuntime, shownDiff, type ScriptedRuntime } from "../review/scripted-runtime.js";
import { useGitHubMock } from "../../support/github.js";
import { deliver } from "../../support/probot.js";
import { FakePull } from "../review/review-fake-github.js";
import { givenApp, pullRequestComment, type GivenApp } from "../../support/given.js";

useGitHubMock();

const appFile: PullFile = {
  filename: "src/app.ts",
  status: "modified",
  additions: 1,
  deletions: 1,
  changes: 2,
  patch:
    "@@ -8,3 +8,3 @@\n   const port = env.PORT;\n-  listen(port);\n+  listen(Number(port));\n   return port;",
};
const lockFile: PullFile = {
  filename: "package-lock.json",
  status: "modified",
  additions: 1,
  deletions: 1,
  changes: 2,
  patch: "@@ -1 +1 @@\n-a\n+b",
};

const symphony = (runtime: ScriptedRuntime): Promise<GivenApp> => givenApp({ models: runtime });

async function comment(app: GivenApp, body: string, onPullRequest = true): Promise<void> {
  const payload = pullRequestComment(body, { number: 2, commentId: 901, onPullRequest });
  await deliver(app.probot, "issue_comment.created", payload);
  await app.queue.onIdle();
}

const answering = (answer: string) => scriptedRuntime(() => ({ answer }));

describe("/symphony ask", () => {
  it("answers in the conversation from the pull request's diff", async () => {
    const runtime = answering(
      "`Number(port)` turns the string from the environment into a number.",
    );
    const app = await symphony(runtime);
    const pull = new FakePull({ files: [appFile, lockFile] });
    pull.serve();

    await comment(app, "/symphony ask why Number(port)?");

    expect(runtime.calls).toHaveLength(1);
    const prompt = shownDiff(runtime.calls[0]!);
    expect(prompt).toContain("Question:\nwhy Number(port)?");
    expect(prompt).toContain("File: src/app.ts (modified, +1 -1)\n@@ -8,3 +8,3 @@");
    expect(prompt).not.toContain("package-lock.json");
    expect(runtime.calls[0]!.promptVersion).toBe(REVIEW_ANSWER_PROMPT_VERSION);
    expect(pull.commentWrites[0]!.body).toBe(
      "<!-- symphony:ask:901 -->\n💭 Reading the diff to answer your question…",
    );
    expect(pull.comments).toHaveLength(1);
    const answer = pull.comments[0]!.body!;
    expect(answer).toContain("> why Number(port)?");
    expect(answer).toContain(
      "<code>Number(port)</code> turns the string from the environment into a number.",
    );
  });

  it("leaves out the files that do not fit the model's context and names them", async () => {
    const big: PullFile = {
      filename: "src/big.ts",
      status: "added",
      additions: 3000,
      deletions: 0,
      changes: 3000,
      patch: `@@ -0,0 +1,3000 @@\n${Array.from({ length: 3000 }, (_, i) => `+const v${i} = ${i};`).join("\n")}`,
    };
    const runtime = scriptedRuntime(() => ({ answer: "It adds constants." }), 4000);
    const app = await symphony(runtime);
    const pull = new FakePull({ files: [appFile, big] });
    pull.serve();

    await comment(app, "/symphony ask what does this add?");

    const prompt = shownDiff(runtime.calls[0]!);
    expect(prompt).toContain("File: src/app.ts");
    expect(prompt).toContain("Not shown (too long to fit): src/big.ts");
    expect(runtime.estimateTokens(prompt)).toBeLessThanOrEqual(4000);
  });

  it("defuses mentions in the model's answer", async () => {
    const app = await symphony(answering("Ask @octocat about it."));
    const pull = new FakePull({ files: [appFile] });
    pull.serve();

    await comment(app, "/symphony ask who knows?");

    expect(pull.comments[0]!.body).toContain("Ask @\u200Doctocat about it.");
  });

  it("says what to type when the question is missing, without calling a model", async () => {
    const runtime = answering("unused");
    const app = await symphony(runtime);
    const pull = new FakePull({ files: [appFile] });
    pull.serve();

    await comment(app, "/symphony ask");

    expect(runtime.calls).toEqual([]);
    expect(pull.comments[0]!.body).toContain("`/symphony ask <question>`");
  });

  it("says the command works on pull requests when asked on an issue", async () => {
    const runtime = answering("unused");
    const app = await symphony(runtime);
    const pull = new FakePull({ files: [appFile] });
    pull.serve();

    await comment(app, "/symphony ask what now?", false);

    expect(runtime.calls).toEqual([]);
    expect(pull.comments[0]!.body).toContain("answers questions about pull requests");
  });

  it("says nothing and calls no model for someone without write access", async () => {
    const runtime = answering("unused");
    const app = await symphony(runtime);
    const pull = new FakePull({ files: [appFile], role: "read" });
    pull.serve();

    await comment(app, "/symphony ask why?");

    expect(runtime.calls).toEqual([]);
    expect(pull.commentWrites).toEqual([]);
  });
});
