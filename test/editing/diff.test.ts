import { describe, expect, it } from "vitest";
import { changedLineCount, unifiedDiff } from "../../src/editing/diff.js";

describe("diffs of applied changes", () => {
  it("renders a unified diff with a/ and b/ names", () => {
    expect(unifiedDiff("src/a.ts", "one\ntwo\n", "one\n2\n")).toBe(
      "===================================================================\n" +
        "--- a/src/a.ts\n+++ b/src/a.ts\n@@ -1,2 +1,2 @@\n one\n-two\n+2\n",
    );
  });

  it("renders a new file against /dev/null", () => {
    expect(unifiedDiff("src/new.ts", undefined, "x\n")).toContain(
      "--- /dev/null\n+++ b/src/new.ts\n@@ -0,0 +1,1 @@\n+x\n",
    );
  });

  it("counts added plus removed lines", () => {
    expect(changedLineCount("a\nb\nc\n", "a\nB\nc\nd\n")).toBe(3);
    expect(changedLineCount(undefined, "a\nb\n")).toBe(2);
  });
});
