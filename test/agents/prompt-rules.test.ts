// Rules in the prompts that the code around them must be able to honour: the example path, a
// snippet on a short line, and Mermaid labels are each checked against what the code does.
import { describe, expect, it } from "vitest";
import { REVIEW_SYSTEM_PROMPT } from "../../src/agents/editor/review-prompt.js";
import type { Finding } from "../../src/agents/editor/review.js";
import { buildVisualizerMessages } from "../../src/agents/visualizer/prompt.js";
import { sanitizeMermaid } from "../../src/comments/mermaid.js";
import { fileHeading } from "../../src/features/review/chunk-text.js";
import { parseFileDiff } from "../../src/github/pull-request-patch.js";
import { placeFindings } from "../../src/features/review/placement.js";
import { intentReply, planReply, taskListReply } from "./fixtures.js";

const file = parseFileDiff({
  filename: "src/a.ts",
  status: "modified",
  additions: 2,
  deletions: 1,
  changes: 3,
  patch: "@@ -1,3 +1,4 @@\n function a() {\n-  return 1;\n+  if (x) return 2;\n+  return 1;\n }",
});

const finding = (overrides: Partial<Finding>): Finding => ({
  path: "src/a.ts",
  line: 2,
  snippet: "if (x) return 2;",
  severity: "minor",
  rule: "bug",
  title: "Check x",
  body: "",
  ...overrides,
});

describe("the Editor's review prompt", () => {
  it("shows the path rule on the very heading the diff gives, note in parentheses and all", () => {
    const heading = fileHeading(file);

    expect(heading).toBe("File: src/a.ts (modified, +2 -1)");
    expect(REVIEW_SYSTEM_PROMPT).toContain(`for "${heading}" the path is src/a.ts.`);
  });

  it("asks for the whole line as the snippet on a short line, which placement then accepts", () => {
    const placed = placeFindings([finding({ line: 4, snippet: "}" })], [file], {
      maxInlineComments: 5,
    });

    expect(REVIEW_SYSTEM_PROMPT).toContain('a line holding only "}" gives "}"');
    expect(REVIEW_SYSTEM_PROMPT).not.toMatch(/\b10 to 60 characters\b/);
    expect(placed.inline.map((p) => [p.firstLine, p.moved])).toEqual([[4, false]]);
  });
});

describe("the Code-Visualizer's prompt", () => {
  const system = buildVisualizerMessages({
    intent: intentReply(),
    plan: planReply(),
    tasks: taskListReply().tasks,
  })[0]!.content;

  it("asks for unquoted labels, and the renderer quotes the examples it gives", () => {
    expect(system).toContain("A[Read config], B{Is it valid?}");
    expect(system).not.toMatch(/labels? in double quotes/);

    expect(sanitizeMermaid("flowchart TD\nA[Read config] -->|yes| B{Is it valid?}")).toBe(
      'flowchart TD\n  A["Read config"] -->|"yes"| B{"Is it valid?"}',
    );
  });
});
