import { describe, expect, it } from "vitest";
import {
  planChunks,
  type ChunkingOptions,
  type ReviewChunk,
} from "../../../src/features/review/chunks.js";
import { ReviewBudgetTooSmallError } from "../../../src/features/review/errors.js";
import { parseFileDiff, type FileDiff } from "../../../src/github/pull-request-patch.js";
import { estimateTokens } from "./scripted-runtime.js";
import { syntheticPull } from "./synthetic-pull.js";

const options = (overrides: Partial<ChunkingOptions> = {}): ChunkingOptions => ({
  budget: 3000,
  estimateTokens,
  maxChunks: 1000,
  maxFiles: 1000,
  contextLines: 0,
  ...overrides,
});

/** Fails unless the parts of all chunks cover each hunk's lines exactly once, in order. */
function expectEveryHunkExactlyOnce(
  files: readonly FileDiff[],
  chunks: readonly ReviewChunk[],
): void {
  const covered = new Map<string, [number, number][]>();
  for (const part of chunks.flatMap((chunk) => chunk.parts)) {
    const key = `${part.path}#${part.hunk}`;
    covered.set(key, [...(covered.get(key) ?? []), [part.from, part.to]]);
  }
  let hunks = 0;
  for (const file of files) {
    for (const hunk of file.hunks) {
      hunks++;
      const ranges = (covered.get(`${file.path}#${hunk.index}`) ?? []).sort((a, b) => a[0] - b[0]);
      let next = 0;
      for (const [from, to] of ranges) {
        expect(from, `${file.path} hunk ${hunk.index}: no gap, no overlap`).toBe(next);
        next = to;
      }
      expect(next, `${file.path} hunk ${hunk.index} fully covered`).toBe(hunk.lines.length);
    }
  }
  expect(covered.size).toBe(hunks);
}

describe("cutting the diff into chunks", () => {
  it("reviews every hunk of a 200-file pull request exactly once, each chunk within the budget", () => {
    const pull = syntheticPull({ files: 200, changedLines: 8000, seed: 7 });
    const files = pull.files.map(parseFileDiff);
    const { chunks, notReviewed } = planChunks(files, options({ budget: 3000 }));
    expect(notReviewed).toEqual([]);
    expect(chunks.length).toBeGreaterThan(10);
    expectEveryHunkExactlyOnce(files, chunks);
    for (const chunk of chunks) {
      expect(estimateTokens(chunk.text)).toBeLessThanOrEqual(3000);
      expect(chunk.estimatedTokens).toBe(estimateTokens(chunk.text));
    }
    const shownAdded = chunks
      .flatMap((chunk) => chunk.text.split("\n"))
      .filter((line) => /^ *\d+ \+ /.test(line));
    expect(shownAdded).toHaveLength(files.reduce((sum, file) => sum + file.additions, 0));
  });

  it("keeps the hunks of one file together when they fit", () => {
    const pull = syntheticPull({ files: 12, changedLines: 300, seed: 3 });
    const files = pull.files.map(parseFileDiff);
    const { chunks } = planChunks(files, options({ budget: 2500 }));
    for (const file of files) {
      const holding = chunks.filter((chunk) => chunk.paths.includes(file.path));
      expect(holding, file.path).toHaveLength(1);
    }
  });

  it("splits a long file at hunk boundaries, repeating its heading in each chunk", () => {
    const pull = syntheticPull({ files: 1, changedLines: 600, seed: 11 });
    const files = pull.files.map(parseFileDiff);
    const { chunks } = planChunks(files, options({ budget: 1500 }));
    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks) {
      expect(chunk.text.startsWith(`File: ${files[0]!.path} (modified`)).toBe(true);
      expect(chunk.parts.every((part) => part.from === 0)).toBe(true);
    }
    expectEveryHunkExactlyOnce(files, chunks);
  });

  it("splits a hunk larger than the budget at line boundaries without overlap", () => {
    const pull = syntheticPull({ files: 3, changedLines: 1200, giantHunkLines: 1000, seed: 5 });
    const files = pull.files.map(parseFileDiff);
    const { chunks } = planChunks(files, options({ budget: 2000 }));
    const giantParts = chunks
      .flatMap((chunk) => chunk.parts)
      .filter((part) => part.path === files[0]!.path);
    expect(giantParts.length).toBeGreaterThan(3);
    expect(chunks[0]!.text).toMatch(/@@ .* \(part 1 of \d+\)/);
    expectEveryHunkExactlyOnce(files, chunks);
    for (const chunk of chunks) expect(estimateTokens(chunk.text)).toBeLessThanOrEqual(2000);
  });

  it("shows added lines and context numbered, removed lines unnumbered", () => {
    const file = parseFileDiff({
      filename: "src/a.ts",
      status: "modified",
      additions: 1,
      deletions: 1,
      changes: 2,
      patch: "@@ -41,3 +41,3 @@ run()\n keep\n-old\n+new\n tail",
    });
    const { chunks } = planChunks([file], options());
    expect(chunks[0]!.text).toBe(
      [
        "File: src/a.ts (modified, +1 -1)",
        "@@ -41,3 +41,3 @@ run()",
        "    41   keep",
        "       - old",
        "    42 + new",
        "    43   tail",
        "",
      ].join("\n"),
    );
  });

  it("adds a few unnumbered lines of the head file around a hunk", () => {
    const file = parseFileDiff({
      filename: "src/a.ts",
      status: "modified",
      additions: 1,
      deletions: 0,
      changes: 1,
      patch: "@@ -3,1 +3,2 @@\n three\n+four",
    });
    const head = ["one", "two", "three", "four", "five", "six"];
    const { chunks } = planChunks([file], options({ contextLines: 2, headLines: () => head }));
    expect(chunks[0]!.text.split("\n").slice(1, 7)).toEqual([
      "@@ -3,1 +3,2 @@",
      "       · one",
      "       · two",
      "     3   three",
      "     4 + four",
      "       · five",
    ]);
  });

  it("lists the files and hunks past the chunk cap as not reviewed", () => {
    const pull = syntheticPull({ files: 40, changedLines: 2000, seed: 9 });
    const files = pull.files.map(parseFileDiff);
    const { chunks, notReviewed } = planChunks(files, options({ budget: 1500, maxChunks: 3 }));
    expect(chunks).toHaveLength(3);
    const reviewedHunks = chunks.flatMap((chunk) =>
      chunk.parts.map((part) => `${part.path}#${part.hunk}`),
    );
    const leftHunks = notReviewed.flatMap((item) => {
      const file = files.find((candidate) => candidate.path === item.path)!;
      return (item.hunks ?? file.hunks.map((hunk) => hunk.index)).map(
        (hunk) => `${item.path}#${hunk}`,
      );
    });
    const all = files.flatMap((file) => file.hunks.map((hunk) => `${file.path}#${hunk.index}`));
    expect(new Set([...reviewedHunks, ...leftHunks])).toEqual(new Set(all));
    expect(notReviewed[0]!.reason).toBe("past the limit of 3 model calls per review");
  });

  it("lists the files past the file cap as not reviewed", () => {
    const pull = syntheticPull({ files: 5, changedLines: 50, seed: 1 });
    const files = pull.files.map(parseFileDiff);
    const { chunks, notReviewed } = planChunks(files, options({ maxFiles: 3 }));
    expect(chunks.flatMap((chunk) => chunk.paths)).toEqual(
      files.slice(0, 3).map((file) => file.path),
    );
    expect(notReviewed).toEqual(
      files.slice(3).map((file) => ({
        path: file.path,
        reason: "past the limit of 3 files per review (review.max_files)",
      })),
    );
  });

  it("refuses a budget too small to show a single line, saying what to change", () => {
    const pull = syntheticPull({ files: 1, changedLines: 10, seed: 1 });
    const files = pull.files.map(parseFileDiff);
    expect(() => planChunks(files, options({ budget: 40 }))).toThrow(ReviewBudgetTooSmallError);
    expect(() => planChunks(files, options({ budget: 40 }))).toThrow(/longer context/);
  });
});
