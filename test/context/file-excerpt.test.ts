import { describe, expect, it } from "vitest";
import { fileExcerpt } from "../../src/context/file-excerpt.js";

const estimateTokens = (text: string) => Math.ceil(text.length / 4);
const lines = Array.from(
  { length: 400 },
  (_, i) => `export function step${i}(input: number): number { return input + ${i}; }`,
);
lines[200] = "export function applyDiscount(total: number): number { return total * 0.9; }";
const content = `${lines.join("\n")}\n`;

describe("the parts of a long file a task is about", () => {
  it("shows the head, the tail and the lines around what the task names, in file order", () => {
    const excerpt = fileExcerpt(content, {
      taskText: "Make applyDiscount take 20% off instead of 10%.",
      maxTokens: 3000,
      estimateTokens,
    });
    expect(excerpt.totalLines).toBe(400);
    expect(excerpt.windows.map((w) => [w.startLine, w.endLine])).toEqual([
      [1, 15],
      [189, 213],
      [386, 400],
    ]);
    expect(excerpt.windows[1]!.text).toContain(lines[200]!);
    expect(excerpt.windows[1]!.text.split("\n")[0]).toBe(lines[188]);
  });

  it("stays within its token budget", () => {
    const excerpt = fileExcerpt(content, {
      taskText: "applyDiscount",
      maxTokens: 400,
      estimateTokens,
    });
    const used = excerpt.windows
      .flatMap((w) => w.text.replace(/\n$/, "").split("\n"))
      .reduce((sum, line) => sum + estimateTokens(line) + 1, 0);
    expect(used).toBeLessThanOrEqual(400);
    expect(excerpt.windows[0]!.startLine).toBe(1);
  });

  it("does not count a word found on many lines", () => {
    const excerpt = fileExcerpt(content, {
      taskText: "In the step functions, make applyDiscount take 20% off.",
      maxTokens: 3000,
      estimateTokens,
    });
    expect(excerpt.windows.map((w) => [w.startLine, w.endLine])).toEqual([
      [1, 15],
      [189, 213],
      [386, 400],
    ]);
  });

  it("shows only the head and tail when the task names nothing in the file", () => {
    const excerpt = fileExcerpt(content, {
      taskText: "Update the documentation wording.",
      maxTokens: 3000,
      estimateTokens,
    });
    expect(excerpt.windows.map((w) => [w.startLine, w.endLine])).toEqual([
      [1, 15],
      [386, 400],
    ]);
  });
});
