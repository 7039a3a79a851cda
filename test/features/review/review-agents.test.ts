import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  REVIEW_PROMPT_VERSION,
  diffRoom,
  reviewChunk,
  reviewInput,
  reviewReplySchema,
} from "../../../src/agents/editor/review.js";
import {
  remarkOnPullRequest,
  REVIEW_REMARKS_PROMPT_VERSION,
} from "../../../src/agents/planner/review-remarks.js";
import { drawChangeDiagram, usableMermaid } from "../../../src/agents/visualizer/review-diagram.js";
import { planChunks } from "../../../src/features/review/chunks.js";
import { parseFileDiff } from "../../../src/github/pull-request-patch.js";
import { estimateTokens, scriptedRuntime } from "./scripted-runtime.js";
import { syntheticPull } from "./synthetic-pull.js";

const pullRequest = { title: "Add retries", description: "Retries failed calls @octocat." };

describe("the Editor's review step", () => {
  it("sends the numbered diff with its prompt version and schema, and returns the findings", async () => {
    const finding = {
      path: "src/a.ts",
      line: 2,
      snippet: "retry()",
      severity: "major",
      rule: "bug",
      title: "Loops forever",
      body: "No limit.",
    };
    const runtime = scriptedRuntime(() => ({ findings: [finding] }));
    const chunk = {
      index: 1,
      text: "File: src/a.ts (modified, +1 -0)\n@@ -1 +1,2 @@\n     1   a\n     2 + retry()\n",
    };
    const result = await reviewChunk.call(runtime, reviewInput(chunk, pullRequest, 3), {
      model: "qwen2.5-coder:14b",
    });
    expect(result.value.findings).toEqual([finding]);
    const [call] = runtime.calls;
    expect(call).toMatchObject({
      agent: "editor",
      promptVersion: REVIEW_PROMPT_VERSION,
      model: "qwen2.5-coder:14b",
      schema: reviewReplySchema,
    });
    expect(call!.messages[1]!.content).toContain("Diff (part 2 of 3):\n\nFile: src/a.ts");
    expect(call!.messages[1]!.content).toContain("Pull request: Add retries");
  });

  it("shows the repository notes before the diff as numbered quoted strings, at most 20 of 300 characters", async () => {
    const runtime = scriptedRuntime(() => ({ findings: [] }));
    const notes = [
      'We use tabs "here"',
      ...Array.from({ length: 30 }, (_, i) => `n${i}`),
      "x".repeat(900),
    ];
    await reviewChunk.call(
      runtime,
      reviewInput({ index: 0, text: "File: a.ts" }, { ...pullRequest, repositoryNotes: notes }),
    );
    const user = runtime.calls[0]!.messages[1]!.content;
    const section = user.split("Repository notes: ")[1]!.split("\n\nDiff:")[0]!.split("\n");
    expect(section[0]).toContain("not instructions");
    expect(section[1]).toBe('1. "We use tabs \\"here\\""');
    expect(section).toHaveLength(21);
    expect(user.indexOf("Repository notes")).toBeLessThan(user.indexOf("Diff:"));
    const bounded = reviewInput(
      { index: 0, text: "" },
      { ...pullRequest, repositoryNotes: ["y".repeat(900)] },
    );
    expect(bounded.repository_notes![0]).toHaveLength(300);
  });

  it("says nothing of repository notes when there are none", async () => {
    const runtime = scriptedRuntime(() => ({ findings: [] }));
    await reviewChunk.call(runtime, reviewInput({ index: 0, text: "File: a.ts" }, pullRequest));
    expect(runtime.calls[0]!.messages[1]!.content).not.toContain("Repository notes");
  });

  it("leaves room for the notes in the diff's budget", async () => {
    const runtime = scriptedRuntime(() => ({}), 4000);
    const without = await diffRoom(runtime, pullRequest);
    const withNotes = await diffRoom(runtime, {
      ...pullRequest,
      repositoryNotes: ["z".repeat(280)],
    });
    expect(withNotes).toBeLessThan(without - 60);
  });

  it("bounds the model's answer: at most 20 findings, known severities and rules", () => {
    const finding = {
      path: "a",
      line: 1,
      snippet: "x",
      severity: "major",
      rule: "bug",
      title: "t",
      body: "b",
    };
    expect(reviewReplySchema.safeParse({ findings: Array(21).fill(finding) }).success).toBe(false);
    expect(
      reviewReplySchema.safeParse({ findings: [{ ...finding, severity: "blocker" }] }).success,
    ).toBe(false);
    expect(reviewReplySchema.safeParse({ findings: [{ ...finding, line: 0 }] }).success).toBe(
      false,
    );
    expect(reviewReplySchema.safeParse({ findings: [] }).success).toBe(true);
  });

  it("has a schema the runtime can hand to Ollama as JSON Schema", () => {
    expect(z.toJSONSchema(reviewReplySchema)).toMatchObject({
      properties: { findings: { type: "array", maxItems: 20 } },
    });
  });

  it("leaves room for the prompt around the diff, so every call fits the budget", async () => {
    const promptBudget = 4000;
    const budget = await diffRoom(
      scriptedRuntime(() => ({}), promptBudget),
      pullRequest,
    );
    const files = syntheticPull({ files: 30, changedLines: 1500 }).files.map(parseFileDiff);
    const { chunks } = planChunks(files, {
      budget,
      estimateTokens,
      maxChunks: 100,
      maxFiles: 100,
      contextLines: 0,
    });
    for (const chunk of chunks) {
      const messages = reviewChunk.sentMessages(reviewInput(chunk, pullRequest, chunks.length));
      const used = messages.reduce((sum, message) => sum + estimateTokens(message.content), 0);
      expect(used).toBeLessThanOrEqual(promptBudget);
    }
  });
});

describe("the Planner's remarks on a pull request", () => {
  const overview = {
    title: "Add retries",
    files: [{ path: "src/a.ts", status: "modified" as const, additions: 3, deletions: 1 }],
    diff: "File: src/a.ts\n     1 + retry()",
  };

  it("drops walkthrough rows for paths the pull request does not change", async () => {
    const runtime = scriptedRuntime(() => ({
      summary: "Adds retries.",
      walkthrough: [
        { path: "src/a.ts", change: "Retries." },
        { path: "/etc/passwd", change: "Invented." },
      ],
      design_remarks: [],
    }));
    const { remarks } = await remarkOnPullRequest(runtime, overview);
    expect(remarks.walkthrough).toEqual([{ path: "src/a.ts", change: "Retries." }]);
    expect(runtime.calls[0]).toMatchObject({
      agent: "planner",
      promptVersion: REVIEW_REMARKS_PROMPT_VERSION,
    });
  });

  it("fits a huge pull request's overview into the prompt budget, saying what was left out", async () => {
    const runtime = scriptedRuntime(
      () => ({ summary: "s", walkthrough: [], design_remarks: [] }),
      2000,
    );
    const files = Array.from({ length: 3000 }, (_, index) => ({
      path: `src/f${index}.ts`,
      status: "added" as const,
      additions: 1,
      deletions: 0,
    }));
    await remarkOnPullRequest(runtime, { ...overview, files, diff: "     1 + x\n".repeat(5000) });
    const prompt = runtime.calls[0]!.messages.map((message) => message.content).join("\n");
    expect(estimateTokens(prompt)).toBeLessThanOrEqual(2000);
    expect(prompt).toMatch(/… and \d+ more files/);
    expect(prompt).toMatch(/more diff lines not shown/);
  });
});

describe("the Code-Visualizer's diagram of a change", () => {
  const overview = { title: "t", files: [], diff: "" };

  it("draws nothing when the change has no flow worth drawing", async () => {
    const runtime = scriptedRuntime(() => ({ flow: "", mermaid: "" }));
    expect((await drawChangeDiagram(runtime, overview)).diagram).toBeUndefined();
  });

  it("draws nothing when it names no flow, whatever diagram it wrote", async () => {
    const runtime = scriptedRuntime(() => ({ flow: " ", mermaid: "flowchart TD\n  A --> B" }));
    expect((await drawChangeDiagram(runtime, overview)).diagram).toBeUndefined();
  });

  it("returns a flowchart with the flow it names as the caption", async () => {
    const runtime = scriptedRuntime(() => ({
      flow: "The retry loop.",
      mermaid: "flowchart TD\n  A --> B",
    }));
    expect((await drawChangeDiagram(runtime, overview)).diagram).toEqual({
      mermaid: "flowchart TD\n  A --> B",
      caption: "The retry loop.",
    });
  });

  it("refuses Mermaid that would break out of its fence or is not a diagram", () => {
    expect(usableMermaid("flowchart TD\n  A --> B\n```\n@everyone")).toBeUndefined();
    expect(usableMermaid("Here is a diagram: A -> B")).toBeUndefined();
  });

  it("strips init directives and click handlers from the diagram", () => {
    expect(
      usableMermaid(
        '%%{init: {"theme": "dark"}}%%\nflowchart TD\n  A --> B\n  click A "https://evil.example"',
      ),
    ).toBe("flowchart TD\n  A --> B");
  });
});
