import { describe, expect, it } from "vitest";
import type { z } from "zod";
import type { Finding } from "../../../src/agents/editor/review.js";
import { REVIEW_DEFAULTS, type ReviewOptions } from "../../../src/features/review/options.js";
import { parseFileDiff, type PullFile } from "../../../src/github/pull-request-patch.js";
import { dropRejectedComments } from "../../../src/features/review/rejected-comments.js";
import {
  reviewPullRequest,
  withRejectedComments,
  type PullRequestReviewInput,
} from "../../../src/features/review/review-pull-request.js";
import { parseReviewState } from "../../../src/features/review/state.js";
import { ModelOutputError, ModelUnavailableError } from "../../../src/runner/errors.js";
import type { GenerateObjectRequest } from "../../../src/runner/types.js";
import { expectCommentsOnRightSide } from "./right-side.js";
import { estimateTokens, scriptedRuntime, shownDiff } from "./scripted-runtime.js";
import { syntheticPull } from "./synthetic-pull.js";

const options: ReviewOptions = {
  ...REVIEW_DEFAULTS,
  maxInlineComments: 15,
  maxFiles: 400,
  maxChunks: 80,
  maxDiffTokens: 8_000,
  contextLines: 3,
  designRemarks: true,
  diagram: true,
  ignore: [],
};
const head1 = "1111111111111111111111111111111111111111";
const head2 = "2222222222222222222222222222222222222222";

const appFile: PullFile = {
  filename: "src/app.ts",
  status: "modified",
  additions: 2,
  deletions: 1,
  changes: 3,
  patch:
    "@@ -8,4 +8,5 @@ export function start() {\n   const port = env.PORT;\n-  listen(port);\n+  listen(Number(port));\n+  console.log(`listening on ${port}`);\n   return port;\n }",
};
const lockFile: PullFile = {
  filename: "package-lock.json",
  status: "modified",
  additions: 40,
  deletions: 12,
  changes: 52,
  patch: "@@ -1 +1 @@\n-a\n+b",
};

const input = (overrides: Partial<PullRequestReviewInput> = {}): PullRequestReviewInput => ({
  pullRequest: {
    number: 7,
    title: "Read the port from the environment",
    body: "Fixes #3",
    headSha: head1,
  },
  files: [appFile, lockFile],
  options,
  ...overrides,
});

const consoleFinding: Finding = {
  path: "src/app.ts",
  line: 9, // wrong: the snippet is on line 10
  snippet: "console.log(`listening on ${port}`)",
  severity: "nit",
  rule: "maintainability",
  title: "Use the logger",
  body: "`console.log` bypasses the app's logger.",
};
const portFinding: Finding = {
  path: "src/app.ts",
  line: 9,
  snippet: "listen(Number(port))",
  severity: "major",
  rule: "bug",
  title: "NaN port when PORT is unset",
  body: "`Number(undefined)` is NaN.",
  suggestion: "  listen(Number(port ?? 3000));",
};

type Answer = (request: GenerateObjectRequest<z.ZodType>) => unknown;

const byAgent =
  (editor: Answer): Answer =>
  (request) => {
    if (request.agent === "editor") return editor(request);
    if (request.agent === "planner") {
      return {
        summary: "Parses the port as a number.",
        walkthrough: [{ path: "src/app.ts", change: "Parses PORT." }],
        design_remarks: [],
      };
    }
    return { flow: "", mermaid: "" };
  };

describe("reviewing a pull request", () => {
  it("reviews a small pull request: comments on RIGHT lines, summary with walkthrough and skipped files", async () => {
    const runtime = scriptedRuntime(byAgent(() => ({ findings: [consoleFinding, portFinding] })));
    const outcome = await reviewPullRequest(runtime, input());
    expect(runtime.calls.map((call) => call.agent)).toEqual(["editor", "planner", "visualizer"]);
    expect(outcome.review?.comments.map(({ path, line, side }) => ({ path, line, side }))).toEqual([
      { path: "src/app.ts", line: 9, side: "RIGHT" },
      { path: "src/app.ts", line: 10, side: "RIGHT" },
    ]);
    expect(outcome.review?.comments[0]?.body).toContain(
      "```suggestion\n  listen(Number(port ?? 3000));\n```",
    );
    expectCommentsOnRightSide(outcome.review!.comments, [appFile]);
    expect(outcome.summary).toContain("| `src/app.ts` | Parses PORT. | +2 −1 |");
    expect(outcome.summary).toContain(
      "- `package-lock.json`: lock file: matches <code>package-lock.json</code>",
    );
    expect(parseReviewState(outcome.summary)).toEqual(outcome.state);
    expect(outcome.state).toMatchObject({
      headSha: head1,
      posted: outcome.placement.inline.map((p) => p.fingerprint),
    });
  });

  it("says in the run details that the model the settings name is one the operator does not allow", async () => {
    const scripted = scriptedRuntime(byAgent(() => ({ findings: [] })));
    // As the real runtime does: a model outside SYMPHONY_ALLOWED_MODELS is never asked for.
    const runtime = {
      ...scripted,
      generateObject: <S extends z.ZodType>(request: GenerateObjectRequest<S>) =>
        scripted.generateObject({
          ...request,
          model: request.model === "llama3.1:70b" ? undefined : request.model,
        }),
    };
    const outcome = await reviewPullRequest(
      runtime,
      input({
        models: { editor: "llama3.1:70b", planner: "qwen2.5-coder:7b" },
        allowedModels: ["qwen2.5-coder:7b"],
      }),
    );
    const details = outcome.summary.split("<details><summary>Run details</summary>")[1];
    expect(details).toContain(
      "- ⚠️ `models.editor` names `llama3.1:70b`, which the operator does not allow (`SYMPHONY_ALLOWED_MODELS`), so `qwen2.5-coder:7b` ran instead.",
    );
    expect(details).not.toContain("`models.planner`");
  });

  it("gives a clean pull request a short summary and no review", async () => {
    const runtime = scriptedRuntime(byAgent(() => ({ findings: [] })));
    const outcome = await reviewPullRequest(runtime, input());
    expect(outcome.review).toBeUndefined();
    expect(outcome.summary).toContain("in 1 model call: no findings.");
  });

  it("calls no model when only renames, deletions and binary files changed", async () => {
    const runtime = scriptedRuntime(byAgent(() => ({ findings: [] })));
    const outcome = await reviewPullRequest(
      runtime,
      input({
        files: [
          {
            filename: "src/new.ts",
            previous_filename: "src/old.ts",
            status: "renamed",
            additions: 0,
            deletions: 0,
            changes: 0,
          },
          {
            filename: "src/gone.ts",
            status: "removed",
            additions: 0,
            deletions: 2,
            changes: 2,
            patch: "@@ -1,2 +0,0 @@\n-a\n-b",
          },
          { filename: "img/logo.svgz", status: "added", additions: 0, deletions: 0, changes: 0 },
        ],
      }),
    );
    expect(runtime.calls).toEqual([]);
    expect(outcome.review).toBeUndefined();
    expect(outcome.summary).toContain(
      "Nothing to review at `1111111`: every changed file was skipped",
    );
    expect(outcome.summary).toContain("- `src/new.ts`: renamed from src/old.ts without changes");
    expect(outcome.summary).toContain("- `src/gone.ts`: deleted: no new lines to comment on");
    expect(outcome.summary).toContain("- `img/logo.svgz`: binary file: GitHub shows no diff");
  });

  it("cuts a big pull request into calls whose diff stays within review.max_diff_tokens, though the model could take more", async () => {
    const pull = syntheticPull({ files: 40, changedLines: 2500, seed: 8 });
    const review = async (maxDiffTokens: number) => {
      const runtime = scriptedRuntime(
        byAgent(() => ({ findings: [] })),
        32_000,
      );
      return reviewPullRequest(
        runtime,
        input({
          files: pull.files,
          headLines: pull.headLines,
          options: { ...options, maxDiffTokens },
        }),
      );
    };
    const capped = await review(2_000);
    const whole = await review(200_000);
    for (const chunk of capped.prepared.chunks) {
      expect(estimateTokens(chunk.text)).toBeLessThanOrEqual(2_000);
    }
    expect(capped.prepared.chunks.length).toBeGreaterThan(whole.prepared.chunks.length);
    expect(
      Math.max(...whole.prepared.chunks.map((chunk) => estimateTokens(chunk.text))),
    ).toBeGreaterThan(2_000);
    expect(capped.summaryInput.notReviewed).toEqual([]);
  });

  it("reviews all hunks of a 200-file pull request and keeps the 15 most severe comments inline", async () => {
    const pull = syntheticPull({ files: 200, changedLines: 6000, seed: 21 });
    const severities = ["nit", "minor", "major", "critical"] as const;
    const runtime = scriptedRuntime(
      byAgent((request) => {
        // One finding per file shown, on its first added line, as a model citing exactly would.
        const findings = [
          ...shownDiff(request).matchAll(/^File: (\S+)[^\n]*\n(?:.*\n)*?\s+(\d+) \+ (.{10,40})/gm),
        ].map(([, path, line, text], index) => ({
          path: path!,
          line: Number(line),
          snippet: text!.trim(),
          severity: severities[index % 4]!,
          rule: "bug",
          title: "Check this",
          body: "",
        }));
        return { findings: findings.slice(0, 20) };
      }),
      6000,
    );
    const outcome = await reviewPullRequest(
      runtime,
      input({ files: pull.files, headLines: pull.headLines }),
    );
    const editorCalls = runtime.calls.filter((call) => call.agent === "editor");
    expect(editorCalls.length).toBe(outcome.prepared.chunks.length);
    expect(editorCalls.length).toBeGreaterThan(5);
    expect(outcome.summaryInput.notReviewed).toEqual([]);
    const reviewedHunks = new Set(
      outcome.prepared.chunks.flatMap((chunk) =>
        chunk.parts.map((part) => `${part.path}#${part.hunk}`),
      ),
    );
    expect(reviewedHunks.size).toBe(outcome.prepared.hunkCount);
    expect(outcome.review?.comments).toHaveLength(15);
    expect(outcome.placement.inline.every((placed) => placed.finding.severity === "critical")).toBe(
      true,
    );
    expect(outcome.placement.unplaced.length).toBeGreaterThan(0);
    expectCommentsOnRightSide(outcome.review!.comments, pull.files);
  });

  it("does not post again, after a push that shifts the lines, a finding posted before", async () => {
    const first = await reviewPullRequest(
      scriptedRuntime(byAgent(() => ({ findings: [portFinding] }))),
      input(),
    );
    expect(first.review?.comments).toHaveLength(1);
    // The push added three lines above: the same code now sits at lines 12-13.
    const shifted: PullFile = { ...appFile, patch: appFile.patch!.replace("+8,5", "+11,5") };
    const runtime = scriptedRuntime(
      byAgent(() => ({
        findings: [
          { ...portFinding, line: 12 },
          { ...consoleFinding, line: 13 },
        ],
      })),
    );
    const second = await reviewPullRequest(
      runtime,
      input({
        pullRequest: { number: 7, title: "t", headSha: head2 },
        files: [shifted],
        since: head1,
        previousState: parseReviewState(first.summary),
      }),
    );
    expect(second.review?.comments.map((comment) => comment.line)).toEqual([13]);
    expectCommentsOnRightSide(second.review!.comments, [shifted]);
    expect(second.summary).toContain("Reviewed the changes from `1111111` to `2222222`");
    expect(second.summary).toContain("1 finding raised before or dismissed was not repeated.");
    expect(second.state.headSha).toBe(head2);
    expect(second.state.posted).toEqual([
      ...first.state.posted,
      second.placement.inline[0]!.fingerprint,
    ]);
  });

  it("does not raise again a finding a person dismissed", async () => {
    const first = await reviewPullRequest(
      scriptedRuntime(byAgent(() => ({ findings: [portFinding] }))),
      input(),
    );
    const dismissed = first.placement.inline.map((placed) => placed.fingerprint);
    const again = await reviewPullRequest(
      scriptedRuntime(byAgent(() => ({ findings: [portFinding] }))),
      input({ dismissed, previousState: { ...first.state, posted: [] } }),
    );
    expect(again.review).toBeUndefined();
    expect(again.state.dismissed).toEqual(dismissed);
  });

  it("lists a part whose model answer is unusable as not reviewed and reviews the rest", async () => {
    const pull = syntheticPull({ files: 30, changedLines: 1500, seed: 4 });
    let call = 0;
    const runtime = scriptedRuntime(
      byAgent(() => {
        call++;
        if (call === 2)
          throw new ModelOutputError(
            "the model's answer did not match the schema after 2 repairs",
            "{}",
            [],
          );
        return { findings: [] };
      }),
      3000,
    );
    const outcome = await reviewPullRequest(runtime, input({ files: pull.files }));
    const secondChunkPaths = outcome.prepared.chunks[1]!.paths;
    expect(outcome.summaryInput.notReviewed.map((item) => item.path)).toEqual(secondChunkPaths);
    expect(outcome.summary).toContain(
      "the model's review of this part failed: the model's answer did not match",
    );
  });

  it("fails the whole review when the model host is down, for the caller to report", async () => {
    const runtime = scriptedRuntime(() => {
      throw new ModelUnavailableError(
        "the model host http://127.0.0.1:11434 did not answer",
        "http://127.0.0.1:11434",
      );
    });
    await expect(reviewPullRequest(runtime, input())).rejects.toBeInstanceOf(ModelUnavailableError);
  });

  it("after a 422, moves the refused comments to the summary and does not remember them as posted", async () => {
    const outcome = await reviewPullRequest(
      scriptedRuntime(byAgent(() => ({ findings: [consoleFinding, portFinding] }))),
      input(),
    );
    const refusal = Object.assign(new Error("Unprocessable Entity"), {
      status: 422,
      response: {
        data: {
          message: "Unprocessable Entity",
          errors: ["Pull request review thread line must be part of the diff"],
        },
      },
    });
    // The head moved before posting: line 10 is no longer in the diff.
    const fresh = {
      ...appFile,
      patch:
        "@@ -8,2 +8,2 @@\n   const port = env.PORT;\n-  listen(port);\n+  listen(Number(port));",
    };
    const plan = dropRejectedComments(outcome.review!, refusal, [parseFileDiff(fresh)]);
    const after = withRejectedComments(outcome, plan.dropped);
    expect(plan.request?.comments.map((comment) => comment.line)).toEqual([9]);
    expect(after.review?.comments.map((comment) => comment.line)).toEqual([9]);
    expectCommentsOnRightSide(after.review!.comments, [fresh]);
    expect(after.summary).toContain("### Findings not placed inline (1)");
    expect(after.summary).toContain("GitHub refused this comment");
    expect(after.state.posted).toEqual([outcome.placement.inline[0]!.fingerprint]);
    expect(parseReviewState(after.summary)).toEqual(after.state);
  });
});

describe("multi-line suggestions, written as text after the findings' JSON", () => {
  // Lines 9–10 of src/app.ts: listen(Number(port)); and the console.log after it.
  const rangeFinding: Finding = {
    ...portFinding,
    end_line: 10,
    suggestion: undefined,
    multiline_fix: true,
  };
  const fix = "  listen(Number(port ?? 3000));\n  log.info(`listening on ${port ?? 3000}`);";

  it("asks for the cited lines' replacement in a second, plain-text call and posts it as a suggestion", async () => {
    const runtime = scriptedRuntime(
      byAgent(() => ({ findings: [rangeFinding] })),
      14_000,
      () => `\`\`\`suggestion-1\n${fix}\n\`\`\`\n`,
    );
    const outcome = await reviewPullRequest(runtime, input());
    expect(runtime.textCalls).toHaveLength(1);
    expect(runtime.textCalls[0]).toMatchObject({
      agent: "editor",
      promptVersion: "editor-review-suggestions/1",
    });
    const asked = runtime.textCalls[0]!.messages[1]!.content;
    expect(asked).toContain("Finding 1, src/app.ts lines 9–10: NaN port when PORT is unset");
    expect(asked).toContain("  listen(Number(port));\n  console.log(`listening on ${port}`);");
    expect(outcome.review?.comments[0]).toMatchObject({ start_line: 9, line: 10 });
    expect(outcome.review?.comments[0]?.body).toContain(`\`\`\`suggestion\n${fix}\n\`\`\``);
    expect(outcome.summaryInput.runDetails?.usage.map((usage) => usage.promptVersion)).toContain(
      "editor-review-suggestions/1",
    );
  });

  it("makes no second call when every suggestion fits on one line", async () => {
    const runtime = scriptedRuntime(
      byAgent(() => ({ findings: [portFinding] })),
      14_000,
      () => {
        throw new Error("no text call expected");
      },
    );
    await reviewPullRequest(runtime, input());
    expect(runtime.textCalls).toHaveLength(0);
  });

  it("keeps the finding without a suggestion when the text reply has none for it, or fails", async () => {
    for (const reply of ["I cannot fix this mechanically.", new ModelOutputError("cut", "", [])]) {
      const runtime = scriptedRuntime(
        byAgent(() => ({ findings: [rangeFinding] })),
        14_000,
        () => reply,
      );
      const outcome = await reviewPullRequest(runtime, input());
      expect(outcome.review?.comments).toHaveLength(1);
      expect(outcome.review?.comments[0]?.body).not.toContain("```suggestion");
    }
  });
});
