// The per-pull-request limits across runs: what the branch already changes counts, and a task is
// admitted only while the whole pull request still fits.
import { describe, expect, it } from "vitest";
import { DEFAULT_IMPLEMENT_LIMITS } from "../../../src/editing/safety.js";
import { PullRequestBudget } from "../../../src/features/implement/pull-request-budget.js";

const change = (path: string, lines: number) => ({
  path,
  before: undefined,
  after: Array.from({ length: lines }, (_, i) => `line ${i}`).join("\n") + "\n",
});

describe("the pull request budget", () => {
  it("refuses more files than max_files", () => {
    const changes = [change("a", 1), change("b", 1), change("c", 1)];
    expect(
      new PullRequestBudget({ max_files: 2, max_changed_lines: 100 }).admit(changes),
    ).toMatchObject({
      reason: "too_many_files",
      message: expect.stringContaining("3 files, over implement.max_files (2)"),
    });
    expect(
      new PullRequestBudget({ max_files: 3, max_changed_lines: 100 }).admit(changes),
    ).toBeUndefined();
  });

  it("refuses more changed lines than max_changed_lines, counting added and removed", () => {
    const edited = { path: "a", before: "one\ntwo\n", after: "one\nTWO\nthree\n" };
    expect(
      new PullRequestBudget({ max_files: 5, max_changed_lines: 2 }).admit([edited]),
    ).toMatchObject({
      reason: "too_many_changed_lines",
      message: expect.stringContaining("3 lines"),
    });
    expect(
      new PullRequestBudget({ max_files: 5, max_changed_lines: 3 }).admit([edited]),
    ).toBeUndefined();
  });

  it("holds a repository without settings to the default max_files", () => {
    const many = Array.from({ length: DEFAULT_IMPLEMENT_LIMITS.max_files + 1 }, (_, i) =>
      change(`f${i}`, 1),
    );
    expect(new PullRequestBudget(DEFAULT_IMPLEMENT_LIMITS).admit(many)).toMatchObject({
      reason: "too_many_files",
    });
  });

  it("counts the files and lines the branch already changes", () => {
    const budget = new PullRequestBudget({ max_files: 2, max_changed_lines: 10 }, [
      { filename: "a", changes: 8 },
    ]);
    expect(budget.admit([change("b", 1)])).toBeUndefined();
    expect(budget.admit([change("c", 1)])).toMatchObject({ reason: "too_many_files" });
    expect(budget.admit([change("a", 2)])).toMatchObject({ reason: "too_many_changed_lines" });
  });

  it("takes nothing from a task it refuses", () => {
    const budget = new PullRequestBudget({ max_files: 5, max_changed_lines: 3 });
    expect(budget.admit([change("a", 4)])).toMatchObject({ reason: "too_many_changed_lines" });
    expect(budget.admit([change("a", 3)])).toBeUndefined();
  });
});
