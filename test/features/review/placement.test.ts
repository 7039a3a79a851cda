import { describe, expect, it } from "vitest";
import type { Finding } from "../../../src/agents/editor/review.js";
import { findingFingerprint } from "../../../src/features/review/fingerprint.js";
import { parseFileDiff, type PullFile } from "../../../src/github/pull-request-patch.js";
import { placeFindings, type PlacementResult } from "../../../src/features/review/placement.js";
import { buildReviewRequest } from "../../../src/features/review/review-request.js";
import { expectCommentsOnRightSide } from "./right-side.js";

// Line numbers on the RIGHT side: 10-17 in the first hunk, 42-45 in the second.
const chargePatch = [
  "@@ -10,6 +10,8 @@ export function charge(order) {",
  "   const total = order.items.reduce(sum, 0);",
  "-  if (total > 0) {",
  "+  if (total >= 0) {",
  "+    log.info('charging', total);",
  "     payments.charge(order.user, total);",
  "   }",
  "+  return total;",
  "   // end",
  " }",
  "@@ -40,3 +42,4 @@ export function refund(order) {",
  "   const total = order.items.reduce(sum, 0);",
  "+  payments.refund(order.user, total);",
  "   return total;",
  " }",
].join("\n");

const pullFile: PullFile = {
  filename: "src/payments.ts",
  status: "modified",
  additions: 4,
  deletions: 1,
  changes: 5,
  patch: chargePatch,
};
const files = [parseFileDiff(pullFile)];

const finding = (overrides: Partial<Finding>): Finding => ({
  path: "src/payments.ts",
  line: 11,
  snippet: "if (total >= 0)",
  severity: "major",
  rule: "bug",
  title: "Zero totals are charged",
  body: "A total of 0 now reaches the payment provider.",
  ...overrides,
});

/** Every placed finding, turned into review comments, sits on the RIGHT side of the patch. */
function expectPlacedOnRightSide(
  result: PlacementResult,
  pullFiles: PullFile[] = [pullFile],
): void {
  const request = buildReviewRequest(result.inline, { headSha: "a".repeat(40) });
  expectCommentsOnRightSide(request?.comments ?? [], pullFiles);
}

/** Places against the charge patch, checking every resulting comment against the raw patch. */
function place(findings: Finding[], maxInlineComments = 15): PlacementResult {
  const result = placeFindings(findings, files, { maxInlineComments });
  expectPlacedOnRightSide(result);
  return result;
}

describe("placing findings on lines GitHub accepts", () => {
  it("keeps a finding on the cited line when that line shows the snippet", () => {
    const result = place([finding({})]);
    expect(result.inline).toMatchObject([{ firstLine: 11, lastLine: 11, moved: false }]);
    expectPlacedOnRightSide(result);
  });

  it("moves a finding with a wrong line to the line of its snippet in the same hunk", () => {
    const result = place([finding({ line: 14, snippet: "log.info('charging', total)" })]);
    expect(result.inline).toMatchObject([{ firstLine: 12, lastLine: 12, moved: true }]);
    expectPlacedOnRightSide(result);
  });

  it("accepts a snippet copied with its line number and diff marker", () => {
    const result = place([
      finding({ line: 13, snippet: "    12 +     log.info('charging', total);" }),
    ]);
    expect(result.inline).toMatchObject([{ firstLine: 12, moved: true }]);
  });

  it("lists a finding in the summary when its snippet is only in another hunk", () => {
    const result = place([finding({ line: 12, snippet: "payments.refund(order.user" })]);
    expect(result.inline).toEqual([]);
    expect(result.unplaced.map((item) => item.reason)).toEqual([
      "the quoted code was not found on line 12 or elsewhere in its hunk",
    ]);
  });

  it("lists a finding that cites a line outside every hunk", () => {
    const result = place([finding({ line: 30 })]);
    expect(result.unplaced.map((item) => item.reason)).toEqual(["line 30 is outside the diff"]);
  });

  it("lists a finding that quotes a removed line, which has no RIGHT-side place", () => {
    const result = place([finding({ line: 11, snippet: "if (total > 0) {" })]);
    expect(result.inline).toEqual([]);
    expect(result.unplaced).toHaveLength(1);
  });

  it("does not guess between several lines of the hunk that show the snippet", () => {
    const result = place([finding({ line: 14, snippet: "total" })]);
    expect(result.unplaced.map((item) => item.reason)).toEqual([
      "the quoted code appears on 5 lines of the hunk around line 14",
    ]);
  });

  it("lists a finding on a file that is not part of the diff", () => {
    const result = place([finding({ path: "src/elsewhere.ts" })]);
    expect(result.unplaced.map((item) => item.reason)).toEqual([
      "src/elsewhere.ts is not a reviewed file of this diff",
    ]);
  });

  it("keeps a range within one hunk as a multi-line comment", () => {
    const result = place([finding({ line: 11, end_line: 13 })]);
    expect(result.inline).toMatchObject([{ firstLine: 11, lastLine: 13 }]);
    expect(
      buildReviewRequest(result.inline, { headSha: "a".repeat(40) })?.comments[0],
    ).toMatchObject({
      start_line: 11,
      start_side: "RIGHT",
      line: 13,
      side: "RIGHT",
    });
    expectPlacedOnRightSide(result);
  });

  it("shrinks a range that crosses into another hunk to its first line and drops its suggestion", () => {
    const result = place([
      finding({ line: 16, end_line: 43, snippet: "// end", suggestion: "  // done\n}\n\nx" }),
    ]);
    expect(result.inline).toMatchObject([{ firstLine: 16, lastLine: 16 }]);
    expect(result.inline[0]).not.toHaveProperty("suggestion");
    expectPlacedOnRightSide(result);
  });

  it("moves a range along with its snippet, keeping its length", () => {
    const result = place([finding({ line: 10, end_line: 11, snippet: "if (total >= 0)" })]);
    expect(result.inline).toMatchObject([{ firstLine: 11, lastLine: 12, moved: true }]);
    expectPlacedOnRightSide(result);
  });
});

describe("keeping suggestions only where they replace exactly the cited lines", () => {
  it("keeps a suggestion for the cited line", () => {
    const result = place([finding({ suggestion: "  if (total > 0) {" })]);
    expect(result.inline[0]?.suggestion).toBe("  if (total > 0) {");
  });

  it("keeps a suggestion for a cited range, without its trailing newline", () => {
    const result = place([
      finding({
        line: 11,
        end_line: 12,
        suggestion: "  if (total > 0) {\n    log.info('charging', { total });\n",
      }),
    ]);
    expect(result.inline[0]?.suggestion).toBe(
      "  if (total > 0) {\n    log.info('charging', { total });",
    );
  });

  it("drops a suggestion that also rewrites the line before the cited one", () => {
    const result = place([
      finding({
        line: 12,
        snippet: "log.info('charging'",
        suggestion: "  if (total >= 0) {\n    log.info('charging', { total });",
      }),
    ]);
    expect(result.inline).toHaveLength(1);
    expect(result.inline[0]).not.toHaveProperty("suggestion");
  });

  it("drops a suggestion that also rewrites the line after the cited one", () => {
    const result = place([
      finding({ suggestion: "  if (total > 0) {\n    log.info('charging', total);" }),
    ]);
    expect(result.inline[0]).not.toHaveProperty("suggestion");
  });

  it("drops a suggestion that changes nothing", () => {
    const result = place([finding({ suggestion: "  if (total >= 0) {" })]);
    expect(result.inline[0]).not.toHaveProperty("suggestion");
  });
});

describe("capping inline comments", () => {
  it("keeps the most severe findings inline and lists the rest in the summary", () => {
    const result = place(
      [
        finding({ severity: "nit", rule: "style" }),
        finding({ severity: "minor", rule: "naming", line: 12, snippet: "log.info" }),
        finding({ severity: "critical", rule: "security", line: 13, snippet: "payments.charge" }),
        finding({ severity: "major", rule: "bug", line: 15, snippet: "return total" }),
      ],
      2,
    );
    expect(result.inline.map((placed) => placed.finding.severity)).toEqual(["critical", "major"]);
    expect(result.unplaced.map((item) => [item.finding.severity, item.reason])).toEqual([
      ["minor", "over the limit of 2 inline comments per review"],
      ["nit", "over the limit of 2 inline comments per review"],
    ]);
    expectPlacedOnRightSide(result);
  });
});

describe("recognising a finding again", () => {
  // The same code after a push that added five lines above it.
  const shiftedPatch = chargePatch
    .replace("@@ -10,6 +10,8 @@", "@@ -10,6 +15,8 @@")
    .replace("@@ -40,3 +42,4 @@", "@@ -40,3 +47,4 @@");
  const shiftedFile: PullFile = { ...pullFile, patch: shiftedPatch };

  it("gives the same finding the same fingerprint after a push shifts its line", () => {
    const before = place([finding({})]);
    const after = placeFindings([finding({ line: 16 })], [parseFileDiff(shiftedFile)], {
      maxInlineComments: 15,
    });
    expect(after.inline).toMatchObject([{ firstLine: 16, moved: false }]);
    expect(after.inline[0]?.fingerprint).toBe(before.inline[0]?.fingerprint);
    expectPlacedOnRightSide(after, [shiftedFile]);
  });

  it("ignores whitespace differences in the snippet", () => {
    expect(findingFingerprint(finding({ snippet: "if  (total >= 0)  " }))).toBe(
      findingFingerprint(finding({ snippet: "if (total >= 0)" })),
    );
  });

  it("does not post again a finding an earlier review posted", () => {
    const fingerprint = findingFingerprint(finding({}));
    const result = placeFindings([finding({ line: 16 })], [parseFileDiff(shiftedFile)], {
      maxInlineComments: 15,
      posted: [fingerprint],
    });
    expect(result.inline).toEqual([]);
    expect(result.repeated).toMatchObject([{ fingerprint, previously: "posted" }]);
  });

  it("does not raise again a finding a person dismissed", () => {
    const fingerprint = findingFingerprint(finding({}));
    const result = placeFindings([finding({})], files, {
      maxInlineComments: 15,
      dismissed: [fingerprint],
    });
    expect(result.inline).toEqual([]);
    expect(result.unplaced).toEqual([]);
    expect(result.repeated).toMatchObject([{ fingerprint, previously: "dismissed" }]);
  });

  it("posts a finding the model repeats within one review once, keeping the most severe", () => {
    const result = place([
      finding({ severity: "minor" }),
      finding({ severity: "critical", line: 12 }),
    ]);
    expect(result.inline).toHaveLength(1);
    expect(result.inline[0]?.finding.severity).toBe("critical");
    expect(result.repeated).toMatchObject([{ previously: "this-review" }]);
  });

  it("tells a different rule on the same line apart", () => {
    expect(findingFingerprint(finding({ rule: "bug" }))).not.toBe(
      findingFingerprint(finding({ rule: "performance" })),
    );
  });
});
