// Unified diffs of applied changes, for logs and pull request bodies, and the line count limits use.
import { createTwoFilesPatch, diffLines } from "diff";

/** A unified diff from `before` (undefined: a new file) to `after`, with git's a/ b/ names. */
export function unifiedDiff(path: string, before: string | undefined, after: string): string {
  return createTwoFilesPatch(
    before === undefined ? "/dev/null" : `a/${path}`,
    `b/${path}`,
    before ?? "",
    after,
    undefined,
    undefined,
    { context: 3 },
  );
}

/** Lines added plus lines removed, as `git diff --stat` counts them. */
export function changedLineCount(before: string | undefined, after: string): number {
  let changed = 0;
  for (const part of diffLines(before ?? "", after)) {
    if (part.added || part.removed) changed += part.count;
  }
  return changed;
}
