import { readFileSync } from "node:fs";
import { describe, expect, it, vi } from "vitest";
import { countChanges } from "../../../src/github/commit-history.js";
import {
  hotspotScore,
  rankHotspots,
  type ReadFile,
} from "../../../src/features/refactor/hotspots.js";

function fixture(name: string): string {
  return readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8");
}

/** The fixture history, newest commit first, as `collectChangeCounts` reads it from GitHub. */
const history = JSON.parse(fixture("history.json")) as { path: string; renamedFrom?: string }[][];
const counts = countChanges(history);

/** The repository at its default branch head. */
const files: Record<string, string> = {
  "src/sonar-examples.ts": fixture("sources/sonar-examples.ts.txt"),
  "src/list.tsx": fixture("sources/list.tsx.txt"),
  "app/inventory.py": fixture("sources/inventory.py"),
  "store/store.go": fixture("sources/store.go"),
  "src/sonar-examples.test.ts": "it('works', () => { if (a) { if (b) { expect(a && b); } } });\n",
  "src/constants.ts": "export const RETRIES = 3;\n",
  "vendor/lib.go": fixture("sources/store.go"),
  "docs/guide.md": "# Guide\n",
};

function repositoryReader(contents: Record<string, string> = files) {
  return vi.fn<ReadFile>(async (path) => contents[path]);
}

describe("ranking hotspots by change frequency × complexity", () => {
  it("counts the fixture history per file, renames under the newest name", () => {
    expect(Object.fromEntries(counts)).toMatchObject({
      "src/list.tsx": 8,
      "app/inventory.py": 5,
      "src/sonar-examples.ts": 3,
      "store/store.go": 2,
    });
    expect(counts.has("src/parser.ts")).toBe(false);
  });

  it("orders the fixture repository by score, each normalised with log(1 + x) / log(1 + max)", async () => {
    const ranking = await rankHotspots({ counts, readFile: repositoryReader() });
    // max changes 8 (list.tsx), max complexity 30 (sonar-examples.ts)
    const ln = Math.log1p;
    expect(ranking.rows.map((row) => [row.file, row.changes, row.complexity])).toEqual([
      ["src/sonar-examples.ts", 3, 30],
      ["app/inventory.py", 5, 10],
      ["src/list.tsx", 8, 2],
      ["store/store.go", 2, 7],
    ]);
    const scores = ranking.rows.map((row) => row.score);
    const expected = [
      (ln(3) / ln(8)) * (ln(30) / ln(30)),
      (ln(5) / ln(8)) * (ln(10) / ln(30)),
      (ln(8) / ln(8)) * (ln(2) / ln(30)),
      (ln(2) / ln(8)) * (ln(7) / ln(30)),
    ];
    expected.forEach((score, i) => expect(scores[i]).toBeCloseTo(score, 10));
    expect(scores.map((s) => s.toFixed(3))).toEqual(["0.631", "0.569", "0.320", "0.303"]);
  });

  it("gives each row its worst functions with their line and code", async () => {
    const [first] = (await rankHotspots({ counts, readFile: repositoryReader() })).rows;
    expect(first!.worstFunctions.map((fn) => [fn.name, fn.line, fn.cognitive])).toEqual([
      ["settle", 52, 8],
      ["sumOfPrimes", 3, 7],
      ["eligible", 65, 4],
    ]);
    expect(first!.worstFunctions[0]!.code.split("\n")[0]).toBe(
      "export const settle = async (jobs: Array<() => Promise<unknown>>, strict?: boolean) => {",
    );
    expect(first!.worstFunctions[0]!.codeHash).toMatch(/^[0-9a-f]{12}$/);
  });

  it("leaves out tests, vendored, lock, binary, non-code, deleted and branch-free files", async () => {
    const ranking = await rankHotspots({ counts, readFile: repositoryReader() });
    expect(ranking.skipped).toEqual({
      test: 1,
      vendored: 1,
      lock: 1,
      binary: 1,
      "not-code": 1,
      missing: 1,
    });
    expect(ranking.rows.map((row) => row.file)).not.toContain("src/constants.ts");
    expect({ changed: ranking.changedFiles, measured: ranking.measured }).toEqual({
      changed: 11,
      measured: 5,
    });
  });

  it("never reads a file it would exclude by its path", async () => {
    const readFile = repositoryReader();
    await rankHotspots({ counts, readFile });
    const read = readFile.mock.calls.map(([path]) => path).sort();
    expect(read).toEqual([
      "app/inventory.py",
      "src/constants.ts",
      "src/deleted.ts",
      "src/list.tsx",
      "src/sonar-examples.ts",
      "store/store.go",
    ]);
  });

  it("ranks test files when include_tests is on", async () => {
    const ranking = await rankHotspots({
      counts,
      readFile: repositoryReader(),
      includeTests: true,
    });
    expect(ranking.rows.map((row) => row.file)).toContain("src/sonar-examples.test.ts");
  });

  it("leaves out the config's ignore globs", async () => {
    const ranking = await rankHotspots({
      counts,
      readFile: repositoryReader(),
      ignore: ["store/**"],
    });
    expect(ranking.rows.map((row) => row.file)).not.toContain("store/store.go");
    expect(ranking.skipped.ignored).toBe(1);
  });

  it("returns the top N only", async () => {
    const ranking = await rankHotspots({ counts, readFile: repositoryReader(), top: 2 });
    expect(ranking.rows.map((row) => row.file)).toEqual([
      "src/sonar-examples.ts",
      "app/inventory.py",
    ]);
  });

  it("measures only the most-changed files when more changed than max_files", async () => {
    const readFile = repositoryReader();
    const ranking = await rankHotspots({ counts, readFile, maxFiles: 2 });
    expect(readFile.mock.calls.map(([path]) => path).sort()).toEqual([
      "app/inventory.py",
      "src/list.tsx",
    ]);
    expect(ranking.skipped["beyond-max-files"]).toBe(4);
  });

  it("breaks ties by changes, then complexity, then path", async () => {
    const same = "export function f(a: boolean) { if (a) return 1; return 2; }\n";
    const ranking = await rankHotspots({
      counts: new Map([
        ["src/b.ts", 2],
        ["src/a.ts", 2],
        ["src/c.ts", 2],
      ]),
      readFile: repositoryReader({ "src/b.ts": same, "src/a.ts": same, "src/c.ts": same }),
    });
    expect(ranking.rows.map((row) => [row.file, row.score])).toEqual([
      ["src/a.ts", 1],
      ["src/b.ts", 1],
      ["src/c.ts", 1],
    ]);
  });
});

describe("repositories with nothing to rank", () => {
  it("returns no rows for an empty repository", async () => {
    const readFile = repositoryReader({});
    const ranking = await rankHotspots({ counts: new Map(), readFile });
    expect(ranking).toEqual({ rows: [], changedFiles: 0, measured: 0, skipped: {} });
    expect(readFile).not.toHaveBeenCalled();
  });

  it("ranks the one file of a tiny repository with a score of 1", async () => {
    const ranking = await rankHotspots({
      counts: new Map([["index.js", 1]]),
      readFile: repositoryReader({ "index.js": "module.exports = (a) => a || 0;\n" }),
    });
    expect(ranking.rows.map((row) => [row.file, row.changes, row.complexity, row.score])).toEqual([
      ["index.js", 1, 1, 1],
    ]);
  });

  it("returns no rows when every changed file is excluded, and reads none", async () => {
    const readFile = repositoryReader();
    const ranking = await rankHotspots({
      counts: new Map([
        ["package-lock.json", 9],
        ["vendor/lib.go", 4],
        ["test/app.test.ts", 3],
        ["dist/index.js", 2],
      ]),
      readFile,
    });
    expect(ranking.rows).toEqual([]);
    expect(ranking.skipped).toEqual({ lock: 1, vendored: 1, test: 1, generated: 1 });
    expect(readFile).not.toHaveBeenCalled();
  });
});

describe("the hotspot score", () => {
  it("is 1 for the file with the most changes and the most complexity", () => {
    expect(hotspotScore(40, 300, 40, 300)).toBe(1);
  });

  it("does not let one outlier flatten the others to zero", () => {
    // Linear normalisation would give 2/400 × 1 = 0.005; the log keeps it comparable.
    expect(hotspotScore(2, 50, 400, 50)).toBeGreaterThan(0.15);
  });

  it("is 0 for a file without branches", () => {
    expect(hotspotScore(12, 0, 12, 30)).toBe(0);
  });
});
