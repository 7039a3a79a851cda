import { describe, expect, it, vi } from "vitest";
import type { Finding } from "../../../src/agents/editor/review.js";
import { postReview } from "../../../src/features/review/post-review.js";
import { REVIEW_DEFAULTS } from "../../../src/features/review/options.js";
import { parseFileDiff, type PullFile } from "../../../src/github/pull-request-patch.js";
import {
  reviewPullRequest,
  type ReviewOutcome,
} from "../../../src/features/review/review-pull-request.js";
import type { ReviewRequest } from "../../../src/features/review/review-request.js";
import { parseReviewState } from "../../../src/features/review/state.js";
import { expectCommentsOnRightSide } from "./right-side.js";
import { scriptedRuntime } from "./scripted-runtime.js";
import { githubApi, testClient, useGitHubMock } from "../../support/github.js";

useGitHubMock();

const PULL = { owner: "Codertocat", repo: "Hello-World", pull_number: 2 };
const REVIEWS = "/repos/Codertocat/Hello-World/pulls/2/reviews";
const HEAD = "2222222222222222222222222222222222222222";

const appFile: PullFile = {
  filename: "src/app.ts",
  status: "modified",
  additions: 2,
  deletions: 0,
  changes: 2,
  patch:
    "@@ -8,2 +8,4 @@\n   const port = env.PORT;\n+  listen(Number(port));\n+  console.log(port);\n   return port;",
};
const finding = (line: number, snippet: string): Finding => ({
  path: "src/app.ts",
  line,
  snippet,
  severity: "minor",
  rule: "bug",
  title: `About ${snippet}`,
  body: "",
});

async function outcomeFor(files: PullFile[]): Promise<ReviewOutcome> {
  const runtime = scriptedRuntime((request) => {
    if (request.agent === "editor") {
      return { findings: [finding(9, "listen(Number(port))"), finding(10, "console.log(port)")] };
    }
    if (request.agent === "planner") return { summary: "s", walkthrough: [], design_remarks: [] };
    return { flow: "", mermaid: "" };
  });
  return reviewPullRequest(runtime, {
    pullRequest: { number: 2, title: "t", headSha: HEAD },
    files,
    options: {
      ...REVIEW_DEFAULTS,
      maxInlineComments: 15,
      maxFiles: 50,
      maxChunks: 10,
      maxDiffTokens: 8_000,
      contextLines: 0,
      designRemarks: false,
      diagram: false,
      ignore: [],
    },
  });
}

const log = { warn: vi.fn() };

describe("posting a review", () => {
  it("posts one COMMENT review at the reviewed head with every placed comment", async () => {
    const outcome = await outcomeFor([appFile]);
    let sent: ReviewRequest | undefined;
    const scope = githubApi()
      .post(REVIEWS, (body: ReviewRequest) => {
        sent = body;
        return true;
      })
      .reply(200, { id: 42 });

    const posted = await postReview(testClient(), PULL, outcome, [parseFileDiff(appFile)], log);

    expect(scope.isDone()).toBe(true);
    expect(posted.reviewId).toBe(42);
    expect(sent).toMatchObject({ commit_id: HEAD, event: "COMMENT" });
    expect(sent!.comments.map((comment) => comment.line)).toEqual([9, 10]);
    expectCommentsOnRightSide(sent!.comments, [appFile]);
  });

  it("keeps off the comments whose line the pull request's own diff no longer changes", async () => {
    // An incremental review saw line 10 change, but a later commit reverted it in the pull request.
    const outcome = await outcomeFor([appFile]);
    const pullFile: PullFile = {
      ...appFile,
      patch: "@@ -8,1 +8,2 @@\n   const port = env.PORT;\n+  listen(Number(port));",
    };
    let sent: ReviewRequest | undefined;
    githubApi()
      .post(REVIEWS, (body: ReviewRequest) => {
        sent = body;
        return true;
      })
      .reply(200, { id: 43 });

    const posted = await postReview(testClient(), PULL, outcome, [parseFileDiff(pullFile)], log);

    expect(sent!.comments.map((comment) => comment.line)).toEqual([9]);
    expectCommentsOnRightSide(sent!.comments, [pullFile]);
    expect(posted.outcome.summary).toContain("no longer part of the pull request's diff");
    expect(parseReviewState(posted.outcome.summary)!.posted).toHaveLength(1);
  });

  it("after a 422 that names no comment, posts no inline comment and keeps every finding in the summary", async () => {
    const outcome = await outcomeFor([appFile]);
    const scope = githubApi()
      .post(REVIEWS)
      .reply(422, { message: "Unprocessable Entity", errors: ["Something went wrong"] });

    const posted = await postReview(testClient(), PULL, outcome, [parseFileDiff(appFile)], log);

    expect(scope.isDone()).toBe(true);
    expect(posted.reviewId).toBeUndefined();
    expect(posted.outcome.review).toBeUndefined();
    expect(posted.outcome.summary).toContain("Findings not placed inline (2)");
    expect(posted.outcome.summary).toContain("GitHub refused the review without naming a comment");
    expect(parseReviewState(posted.outcome.summary)!.posted).toEqual([]);
  });

  it("lets a GitHub outage through for the run to report", async () => {
    const outcome = await outcomeFor([appFile]);
    githubApi().post(REVIEWS).reply(502, { message: "Bad Gateway" });

    await expect(
      postReview(testClient(), PULL, outcome, [parseFileDiff(appFile)], log),
    ).rejects.toMatchObject({ status: 502 });
  });
});
