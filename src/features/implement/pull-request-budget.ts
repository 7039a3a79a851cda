// The per-pull-request limits (`implement.max_files`, `implement.max_changed_lines`) across runs:
// what the branch already changes counts, and each task is admitted only if it still fits.
import { changedLineCount } from "../../editing/diff.js";
import type { ImplementLimits, Refusal } from "../../editing/safety.js";

export class PullRequestBudget {
  readonly #files: Set<string>;
  #lines: number;
  readonly #limits: Pick<ImplementLimits, "max_files" | "max_changed_lines">;

  /** `existing`: the files the branch already changes against the default branch. */
  constructor(
    limits: Pick<ImplementLimits, "max_files" | "max_changed_lines">,
    existing: readonly { filename: string; changes: number }[] = [],
  ) {
    this.#limits = limits;
    this.#files = new Set(existing.map((file) => file.filename));
    this.#lines = existing.reduce((sum, file) => sum + file.changes, 0);
  }

  /**
   * Takes the task's changes into the budget, or refuses them (and takes nothing). Lines are
   * counted against the branch as it was, so a file edited twice counts twice: the bound errs
   * on the side of a smaller pull request.
   */
  admit(
    changes: readonly { path: string; before: string | undefined; after: string }[],
  ): Refusal | undefined {
    const files = new Set([...this.#files, ...changes.map((change) => change.path)]);
    if (files.size > this.#limits.max_files) {
      return {
        reason: "too_many_files",
        message:
          `the pull request would change ${files.size} files, over implement.max_files ` +
          `(${this.#limits.max_files}); split the issue into smaller ones or raise the limit in .github/symphony.yml`,
      };
    }
    const lines =
      this.#lines +
      changes.reduce((sum, change) => sum + changedLineCount(change.before, change.after), 0);
    if (lines > this.#limits.max_changed_lines) {
      return {
        reason: "too_many_changed_lines",
        message:
          `the pull request would change ${lines} lines, over implement.max_changed_lines ` +
          `(${this.#limits.max_changed_lines}); split the issue into smaller ones or raise the limit in .github/symphony.yml`,
      };
    }
    for (const path of files) this.#files.add(path);
    this.#lines = lines;
    return undefined;
  }
}
