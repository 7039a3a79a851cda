// Checks, from the raw patch and independently of src/features/review, that comments sit where GitHub accepts them.
import { expect } from "vitest";
import type { PullFile } from "../../../src/github/pull-request-patch.js";
import type { ReviewComment } from "../../../src/features/review/review-request.js";

const HUNK_HEADER = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@/;

/** New-file line number → hunk ordinal, for every added or context line of the patch. */
export function rightSideOf(patch: string): Map<number, number> {
  const right = new Map<number, number>();
  let hunk = -1;
  let newLine = 0;
  for (const raw of patch.split("\n")) {
    const header = HUNK_HEADER.exec(raw);
    if (header) {
      hunk += 1;
      newLine = Number(header[1]);
    } else if (hunk >= 0 && (raw.startsWith("+") || raw.startsWith(" ") || raw === "")) {
      right.set(newLine, hunk);
      newLine += 1;
    }
  }
  return right;
}

/** Every comment on a RIGHT-side line of its file's patch; a range within one hunk. */
export function expectCommentsOnRightSide(
  comments: readonly ReviewComment[],
  files: readonly PullFile[],
): void {
  for (const comment of comments) {
    const patch = files.find((file) => file.filename === comment.path)?.patch;
    expect(patch, `${comment.path} has a patch`).toBeDefined();
    const right = rightSideOf(patch ?? "");
    expect(comment.side).toBe("RIGHT");
    expect(comment.line, `${comment.path}:${comment.line} is on the RIGHT side`).toBeDefined();
    expect(right.has(comment.line!), `${comment.path}:${comment.line} is on the RIGHT side`).toBe(
      true,
    );
    if (comment.start_line !== undefined) {
      expect(comment.start_side).toBe("RIGHT");
      expect(comment.start_line).toBeLessThan(comment.line!);
      expect(right.get(comment.start_line), "start_line in the same hunk as line").toBe(
        right.get(comment.line!),
      );
    }
  }
}
