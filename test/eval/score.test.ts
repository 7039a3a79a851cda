// The eval's scoring on outcomes whose scores are known, and the case set it scores.
import { describe, expect, it } from "vitest";
import { LICENCES } from "../../eval/case-schema.js";
import { loadCases } from "../../eval/harness.js";
import { compareReports, summaryRows, type EvalReport } from "../../eval/report.js";
import { caseValue, scorePlan, scoreReview, type CaseResult } from "../../eval/score.js";

const tree = ["README.md", "source/core/Ky.ts", "source/utils/merge.ts", "test/main.ts"];
const expected = { changedFiles: ["source/utils/merge.ts"], tree };
const run = { run: 1, seconds: 0, promptTokens: 0, outputTokens: 0 };

describe("scorePlan", () => {
  it("scores 1 for a plan that names the file the fix changed", () => {
    const score = scorePlan(
      expected,
      ["source/utils/merge.ts", "source/core/Ky.ts"],
      [{ path: "source/utils/merge.ts", action: "modify" }],
    );

    expect(score).toEqual({
      recall: 1,
      named: ["source/utils/merge.ts"],
      missed: [],
      invented: [],
    });
    expect(caseValue({ ...run, id: "p", kind: "plan", score })).toBe(1);
  });

  it("scores 0 for a plan that names only other files", () => {
    const score = scorePlan(expected, ["source/core/Ky.ts"], []);

    expect(score.recall).toBe(0);
    expect(score.missed).toEqual(["source/utils/merge.ts"]);
  });

  it("gives half for naming one of two fixed files", () => {
    const score = scorePlan(
      { changedFiles: ["source/utils/merge.ts", "source/core/Ky.ts"], tree },
      ["source/core/Ky.ts"],
      [],
    );

    expect(score.recall).toBe(0.5);
  });

  it("flags a path the Planner invented, and the case then scores 0 however much it named", () => {
    const score = scorePlan(
      expected,
      ["source/utils/merge.ts"],
      [
        { path: "source/utils/merge.ts", action: "modify" },
        { path: "src/utils/merge.ts", action: "modify" },
      ],
    );

    expect(score.invented).toEqual(["src/utils/merge.ts"]);
    expect(caseValue({ ...run, id: "p", kind: "plan", score })).toBe(0);
  });

  it("accepts a new file under a real folder but flags one under a folder that does not exist", () => {
    const score = scorePlan(
      expected,
      [],
      [
        { path: "source/utils/hooks.ts", action: "create" },
        { path: "lib/hooks.ts", action: "create" },
        { path: "CHANGES.md", action: "create" },
      ],
    );

    expect(score.invented).toEqual(["lib/hooks.ts"]);
  });
});

describe("scoreReview", () => {
  const fixed = [{ path: "more_itertools/more.py", lines: [2974] }];

  it("counts a finding three lines from a fixed line as finding the bug", () => {
    const score = scoreReview(fixed, [{ path: "more_itertools/more.py", line: 2971 }]);

    expect(score).toEqual({ hit: true, findings: 1, near: 1, far: 0 });
  });

  it("counts a finding four lines away, or in another file, as far from the fix", () => {
    const score = scoreReview(fixed, [
      { path: "more_itertools/more.py", line: 2978 },
      { path: "more_itertools/recipes.py", line: 2974 },
    ]);

    expect(score).toEqual({ hit: false, findings: 2, near: 0, far: 2 });
  });

  it("counts a finding whose range covers the fixed line as near", () => {
    const score = scoreReview(fixed, [
      { path: "more_itertools/more.py", line: 2950, endLine: 2980 },
    ]);

    expect(score.hit).toBe(true);
  });

  it("scores a review with no findings as missing the bug", () => {
    expect(scoreReview(fixed, [])).toEqual({ hit: false, findings: 0, near: 0, far: 0 });
  });
});

describe("caseValue of implement cases", () => {
  const value = (score: Parameters<typeof caseValue>[0]["score"]) =>
    caseValue({ ...run, id: "i", kind: "implement", score } as CaseResult);

  it("is 1 only when the tests pass, where the case has tests", () => {
    expect(value({ tested: true, applied: true, compiles: true, passes: true })).toBe(1);
    expect(value({ tested: true, applied: true, compiles: true, passes: false })).toBe(0);
  });

  it("is 1 for an applied edit that parses, where the case has no tests", () => {
    expect(value({ tested: false, applied: true, compiles: true })).toBe(1);
    expect(value({ tested: false, applied: true, compiles: false })).toBe(0);
    expect(value({ tested: false, applied: false })).toBe(0);
  });

  it("is 0 when the pipeline failed", () => {
    expect(caseValue({ ...run, id: "i", kind: "implement", error: "model down" })).toBe(0);
  });
});

describe("the report", () => {
  const results: CaseResult[] = [
    { ...run, id: "a", kind: "review", score: { hit: true, findings: 2, near: 1, far: 1 } },
    { ...run, id: "b", kind: "review", score: { hit: false, findings: 1, near: 0, far: 1 } },
    {
      ...run,
      id: "c",
      kind: "implement",
      score: { tested: true, applied: true, compiles: true, passes: true },
    },
  ];

  it("has a row per agent and a total, each the mean of its cases' values", () => {
    const rows = summaryRows(results);

    expect(rows.map((row) => [row["agent"], row["cases"], row["score"]])).toEqual([
      ["review (Editor findings)", 2, 0.5],
      ["implement (Editor edits)", 1, 1],
      ["total", 3, 0.67],
    ]);
    expect(rows[0]!["detail"]).toBe("bug found 1/2; findings 3; far from any fix 2");
  });

  it("compares two runs: the change per agent and the cases that moved", () => {
    const report = (model: string, list: CaseResult[]): EvalReport => ({
      format: 1,
      at: "",
      model,
      host: "",
      promptVersions: {},
      repeat: 1,
      summary: summaryRows(list),
      results: list,
    });
    const after = results.map((result) =>
      result.id === "b"
        ? { ...result, score: { hit: true, findings: 1, near: 1, far: 0 } }
        : result,
    ) as CaseResult[];

    const { rows, changed } = compareReports(report("m1", results), report("m2", after));

    expect(rows[0]).toEqual({ agent: "review (Editor findings)", m1: 0.5, m2: 1, change: 0.5 });
    expect(changed).toEqual([{ case: "b", before: 0, after: 1 }]);
  });
});

describe("the case set", () => {
  it("has at least 40 valid cases of every kind, each from a credited, permissively licensed commit", async () => {
    const cases = await loadCases();

    expect(cases.length).toBeGreaterThanOrEqual(40);
    for (const kind of ["plan", "review", "implement"]) {
      expect(cases.filter((item) => item.kind === kind).length).toBeGreaterThanOrEqual(5);
    }
    for (const item of cases) {
      expect(LICENCES).toContain(item.source.licence);
      expect(item.source.commit).toMatch(/^[0-9a-f]{40}$/);
    }
    expect(new Set(cases.map((item) => item.id)).size).toBe(cases.length);
  });

  it("names in every review case fixed lines that the reviewed diff added", async () => {
    const reviews = (await loadCases(undefined, ["review"])).filter((c) => c.kind === "review");

    for (const item of reviews) {
      for (const { path, lines } of item.expect.fixedLines) {
        const patch = item.files.find((file) => file.filename === path)?.patch ?? "";
        const added = addedLines(patch);
        expect(
          lines.filter((line) => !added.has(line)),
          `${item.id} ${path}`,
        ).toEqual([]);
      }
    }
  });
});

function addedLines(patch: string): Set<number> {
  const added = new Set<number>();
  let line = 0;
  for (const row of patch.split("\n")) {
    const hunk = /^@@ -\d+(?:,\d+)? \+(\d+)/.exec(row);
    if (hunk) line = Number(hunk[1]) - 1;
    else if (row.startsWith("+")) added.add(++line);
    else if (!row.startsWith("-") && !row.startsWith("\\")) line += 1;
  }
  return added;
}
