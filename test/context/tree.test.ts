import { describe, expect, it } from "vitest";
import { issueKeywords, TreeListing } from "../../src/context/tree-listing.js";
import { listRelevantFiles, RepositoryTreeSchema } from "../../src/context/tree.js";
import { fixtureTree } from "../agents/fixtures.js";

const estimate = (text: string): number => Math.ceil(text.length / 4);

function bigTree(count: number) {
  const entries = Array.from({ length: count }, (_, i) => ({
    path: `packages/pkg${i % 50}/src/module${Math.floor(i / 50) % 40}/file${i}.ts`,
    type: "blob" as const,
    size: 500,
  }));
  entries.push({ path: "packages/pkg3/src/welcome-message.ts", type: "blob", size: 500 });
  return RepositoryTreeSchema.parse({ entries, truncated: true });
}

describe("repository file list", () => {
  it("leaves out vendored, lock, binary and ignored files", () => {
    const tree = RepositoryTreeSchema.parse(fixtureTree());
    const listed = listRelevantFiles(tree, ["docs/**"]);
    expect(listed.paths).toEqual([
      "README.md",
      "package.json",
      "src/config.ts",
      "src/github/comments.ts",
      "src/handlers/issues.ts",
      "src/index.ts",
      "test/handlers/issues.test.ts",
    ]);
    expect(listed.leftOut).toBe(4);
  });

  it("lists every file when the list fits", () => {
    const listed = listRelevantFiles(RepositoryTreeSchema.parse(fixtureTree()));
    expect(new TreeListing(listed, estimate).render(1_000)).toContain("src/github/comments.ts\n");
  });

  it("summarises a 100,000-entry tree by folder within the budget and says it was truncated", () => {
    const listed = listRelevantFiles(bigTree(100_000));
    const text = new TreeListing(listed, estimate).render(4_000);
    expect(estimate(text)).toBeLessThanOrEqual(4_000);
    expect(text).toContain("GitHub truncated the tree listing");
    expect(text).toMatch(/^packages\/pkg0\/src\/ \(2000 files: \.ts 2000\)$/m);
  });

  it("still names the files whose names match the issue when the tree is summarised", () => {
    const listed = listRelevantFiles(bigTree(100_000));
    const text = new TreeListing(
      listed,
      estimate,
      issueKeywords("Change the welcome message"),
    ).render(4_000);
    expect(text).toContain("packages/pkg3/src/welcome-message.ts");
  });
});
