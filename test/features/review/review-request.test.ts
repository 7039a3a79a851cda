import { describe, expect, it } from "vitest";
import type { Finding } from "../../../src/agents/editor/review.js";
import { parseFileDiff, type PullFile } from "../../../src/github/pull-request-patch.js";
import { placeFindings } from "../../../src/features/review/placement.js";
import {
  dropRejectedComments,
  isRejectedReview,
} from "../../../src/features/review/rejected-comments.js";
import {
  buildReviewRequest,
  type ReviewRequest,
} from "../../../src/features/review/review-request.js";
import { parseFindingFingerprint } from "../../../src/github/finding-marker.js";
import { expectCommentsOnRightSide } from "./right-side.js";

const apiFile: PullFile = {
  filename: "src/api.ts",
  status: "modified",
  additions: 3,
  deletions: 0,
  changes: 3,
  patch:
    "@@ -1,2 +1,5 @@\n import x from 'x';\n+@Override\n+const url = `${base}/users`;\n+fetch(url);\n export {};",
};
const cliFile: PullFile = {
  filename: "src/cli.ts",
  status: "added",
  additions: 2,
  deletions: 0,
  changes: 2,
  patch: "@@ -0,0 +1,2 @@\n+run();\n+exit(0);",
};
const pullFiles = [apiFile, cliFile];
const files = pullFiles.map(parseFileDiff);
const headSha = "c0ffee".padEnd(40, "0");

const finding = (overrides: Partial<Finding>): Finding => ({
  path: "src/api.ts",
  line: 3,
  snippet: "const url",
  severity: "major",
  rule: "security",
  title: "URL built from unchecked input",
  body: "`base` comes from the request.",
  ...overrides,
});

function requestFor(findings: Finding[]): ReviewRequest {
  const { inline } = placeFindings(findings, files, { maxInlineComments: 15 });
  const request = buildReviewRequest(inline, { headSha });
  if (!request) throw new Error("expected a review");
  expectCommentsOnRightSide(request.comments, pullFiles);
  return request;
}

const rejection = (errors: unknown[], message = "Unprocessable Entity"): Error =>
  Object.assign(new Error(`${message}: ${JSON.stringify(errors)}`), {
    status: 422,
    response: { data: { message, errors, documentation_url: "https://docs.github.com/rest" } },
  });

describe("the review GitHub receives", () => {
  it("is one COMMENT review on the head commit with a comment per placed finding", () => {
    const request = requestFor([
      finding({}),
      finding({
        path: "src/cli.ts",
        line: 2,
        snippet: "exit(0)",
        rule: "bug",
        severity: "minor",
        title: "Exit code hides failures",
        body: "",
      }),
    ]);
    expect(request).toMatchObject({ commit_id: headSha, event: "COMMENT" });
    expect(request.comments.map(({ path, line, side }) => ({ path, line, side }))).toEqual([
      { path: "src/api.ts", line: 3, side: "RIGHT" },
      { path: "src/cli.ts", line: 2, side: "RIGHT" },
    ]);
    expectCommentsOnRightSide(request.comments, pullFiles);
  });

  it("opens each comment with the hidden fingerprint, then severity, rule and title", () => {
    const [comment] = requestFor([finding({})]).comments;
    const lines = comment!.body.split("\n");
    expect(lines[0]).toMatch(/^<!-- symphony:finding:[0-9a-f]{12} -->$/);
    expect(lines[1]).toBe("**🟠 Major** · `security` · **URL built from unchecked input**");
    expect(comment!.body).toContain("<code>base</code> comes from the request.");
    expect(parseFindingFingerprint(comment!.body)).toMatch(/^[0-9a-f]{12}$/);
  });

  it("puts a suggestion in a block whose fence the suggestion cannot close", () => {
    const suggestion = "const url = new URL(`/users`, base); // see ```docs```";
    const [comment] = requestFor([finding({ suggestion })]).comments;
    expect(comment!.body).toContain(`\n\`\`\`\`suggestion\n${suggestion}\n\`\`\`\``);
  });

  it("neutralises mentions and HTML in the model's text but not in code", () => {
    const [comment] = requestFor([
      finding({
        title: "Ping @octocat <b>now</b>",
        body: "Ask @security-team <!-- symphony-state:review --> about `@Override`.\n```ts\n@Override\n```",
      }),
    ]).comments;
    expect(comment!.body).toContain("Ping @\u200Doctocat &lt;b&gt;now&lt;/b&gt;");
    expect(comment!.body).toContain(
      "Ask @\u200Dsecurity-team &lt;!-- symphony-state:review --&gt; about <code>&#64;Override</code>.",
    );
    expect(comment!.body).toContain("<pre><code>&#64;Override</code></pre>");
  });

  it("closes a code block the model left open, so the comment's end stays intact", () => {
    const [comment] = requestFor([finding({ body: "Use this:\n```ts\nconst a = 1;" })]).comments;
    expect(comment!.body.endsWith("Use this:\n<pre><code>const a = 1;</code></pre>")).toBe(true);
  });

  it("posts no review for a clean pull request", () => {
    expect(buildReviewRequest([], { headSha })).toBeUndefined();
  });
});

describe("retrying after GitHub refuses the review", () => {
  it("recognises GitHub's 422 and nothing else as a refused review", () => {
    expect(isRejectedReview(rejection(["x"]))).toBe(true);
    expect(isRejectedReview(Object.assign(new Error("Server Error"), { status: 502 }))).toBe(false);
    expect(isRejectedReview(new Error("socket hang up"))).toBe(false);
  });

  it("leaves out the comments on a path the 422 names and keeps the rest", () => {
    const request = requestFor([
      finding({}),
      finding({ path: "src/cli.ts", line: 1, snippet: "run()", rule: "bug" }),
    ]);
    const plan = dropRejectedComments(
      request,
      rejection([
        {
          resource: "PullRequestReviewComment",
          field: "path",
          code: "invalid",
          message: "src/cli.ts could not be resolved",
        },
      ]),
    );
    expect(plan.request?.comments.map((comment) => comment.path)).toEqual(["src/api.ts"]);
    expect(plan.dropped).toMatchObject([
      {
        comment: { path: "src/cli.ts" },
        reason: expect.stringContaining("GitHub refused this comment"),
      },
    ]);
    expect(plan.dropped[0]?.fingerprint).toMatch(/^[0-9a-f]{12}$/);
    expectCommentsOnRightSide(plan.request?.comments ?? [], pullFiles);
  });

  it("leaves out the multi-line comments when GitHub says a start line is outside the hunk", () => {
    const request = requestFor([
      finding({ line: 2, end_line: 3, snippet: "@Override" }),
      finding({ path: "src/cli.ts", line: 1, snippet: "run()", rule: "bug" }),
    ]);
    const plan = dropRejectedComments(
      request,
      rejection([
        "Pull request review thread start line must be part of the same hunk as the line.",
      ]),
    );
    expect(plan.request?.comments.map((comment) => comment.path)).toEqual(["src/cli.ts"]);
    expect(plan.dropped.map((item) => item.comment.start_line)).toEqual([2]);
  });

  it("checks the comments against a fresh diff when GitHub says a line is not part of it", () => {
    const request = requestFor([
      finding({}),
      finding({ path: "src/cli.ts", line: 2, snippet: "exit(0)", rule: "bug" }),
    ]);
    // The head moved: cli.ts now has one line only.
    const fresh = [
      apiFile,
      { ...cliFile, additions: 1, changes: 1, patch: "@@ -0,0 +1 @@\n+run();" },
    ].map(parseFileDiff);
    const plan = dropRejectedComments(
      request,
      rejection([
        "Pull request review thread line must be part of the diff and Pull request review thread diff hunk can't be blank",
      ]),
      fresh,
    );
    expect(plan.request?.comments.map((comment) => `${comment.path}:${comment.line}`)).toEqual([
      "src/api.ts:3",
    ]);
    expect(plan.dropped.map((item) => `${item.comment.path}:${item.comment.line}`)).toEqual([
      "src/cli.ts:2",
    ]);
  });

  it("leaves out every comment when the 422 names none, so the next try cannot fail the same way", () => {
    const request = requestFor([
      finding({}),
      finding({ path: "src/cli.ts", line: 1, snippet: "run()", rule: "bug" }),
    ]);
    const plan = dropRejectedComments(request, rejection(["Something is wrong"]));
    expect(plan.request).toBeUndefined();
    expect(plan.dropped).toHaveLength(2);
    expect(plan.dropped[0]?.reason).toBe(
      'GitHub refused the review without naming a comment (Unprocessable Entity: ["Something is wrong"]; Unprocessable Entity; Something is wrong)',
    );
  });

  it("ends after a few tries with the accepted comments posted and the refused ones kept for the summary", () => {
    let request: ReviewRequest | undefined = requestFor([
      finding({}),
      finding({ line: 2, end_line: 4, snippet: "@Override", rule: "bug" }),
      finding({ path: "src/cli.ts", line: 1, snippet: "run()", rule: "bug" }),
    ]);
    const posted: ReviewRequest[] = [];
    const refused: string[] = [];
    // A GitHub that refuses ranges first, then anything on cli.ts.
    const createReview = (body: ReviewRequest): void => {
      if (body.comments.some((comment) => comment.start_line !== undefined)) {
        throw rejection([
          "Pull request review thread start line must be part of the same hunk as the line.",
        ]);
      }
      if (body.comments.some((comment) => comment.path === "src/cli.ts"))
        throw rejection(["Path src/cli.ts could not be resolved"]);
      posted.push(body);
    };
    let tries = 0;
    while (request && tries < 5) {
      tries++;
      try {
        createReview(request);
        break;
      } catch (error) {
        const plan = dropRejectedComments(request, error);
        refused.push(...plan.dropped.map((item) => `${item.comment.path}:${item.comment.line}`));
        request = plan.request;
      }
    }
    expect(tries).toBe(3);
    expect(
      posted.map((body) => body.comments.map((comment) => `${comment.path}:${comment.line}`)),
    ).toEqual([["src/api.ts:3"]]);
    expect(refused).toEqual(["src/api.ts:4", "src/cli.ts:1"]);
    expectCommentsOnRightSide(posted[0]!.comments, pullFiles);
  });
});
