import { describe, expect, it } from "vitest";
import { IssueSchema, renderIssue } from "../../src/context/issue.js";

const estimate = (text: string): number => Math.ceil(text.length / 4);

function issue(body: string, comments: string[] = []) {
  return IssueSchema.parse({
    number: 7,
    title: "Crash on start",
    body,
    labels: ["bug"],
    comments: comments.map((c, i) => ({ author: `user${i}`, body: c })),
  });
}

describe("issue context", () => {
  it("shows the title, labels, body and comments when they fit", () => {
    const text = renderIssue(issue("It crashes.", ["Same here."]), 1_000, estimate);
    expect(text).toMatchInlineSnapshot(`
      "Issue #7: Crash on start
      Labels: bug

      Body:
      It crashes.

      Comments (oldest first):
      - user0: Same here.
      "
    `);
  });

  it("cuts a 1 MB body to the budget and says so in a visible note", () => {
    const text = renderIssue(issue("x".repeat(1_048_576)), 2_000, estimate);
    expect(estimate(text)).toBeLessThanOrEqual(2_000);
    expect(text).toContain("Issue #7: Crash on start");
    expect(text).toMatch(
      /\[… issue body cut to fit the model's context: showing the first [\d,]+ of 1,048,576 characters\]/,
    );
  });

  it("keeps the newest comments when not all fit", () => {
    const comments = Array.from(
      { length: 40 },
      (_, i) => `comment number ${i} ${"words ".repeat(40)}`,
    );
    const text = renderIssue(issue("Short body.", comments), 1_000, estimate);
    expect(estimate(text)).toBeLessThanOrEqual(1_000);
    expect(text).toContain("comment number 39");
    expect(text).not.toContain("comment number 0 ");
    expect(text).toMatch(/\[\d+ older comment\(s\) left out\]/);
  });

  it("leaves Symphony's own comments out", () => {
    const text = renderIssue(
      issue("Body.", ["<!-- symphony:plan:7 -->\n## Plan: old plan"]),
      1_000,
      estimate,
    );
    expect(text).not.toContain("old plan");
  });
});
