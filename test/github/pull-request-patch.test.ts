import { describe, expect, it } from "vitest";
import { isCommentableRange, parseFileDiff } from "../../src/github/pull-request-patch.js";
import { rightSideOf } from "../features/review/right-side.js";

const multiHunk = [
  "@@ -1,4 +1,5 @@ import x",
  " line one",
  "-line two",
  "+line two, changed",
  "+line two and a half",
  " line three",
  " line four",
  "@@ -20,3 +21,3 @@ function later() {",
  " twenty",
  "-twenty-one",
  "+twenty-one again",
  " twenty-two",
].join("\n");

describe("reading a file's patch", () => {
  it("numbers added and context lines by their line in the new file", () => {
    const file = parseFileDiff({
      filename: "src/a.ts",
      status: "modified",
      additions: 3,
      deletions: 2,
      changes: 5,
      patch: multiHunk,
    });
    expect(file.hunks).toHaveLength(2);
    expect([...file.right].map(([line, right]) => [line, right.kind, right.hunk])).toEqual([
      [1, "context", 0],
      [2, "added", 0],
      [3, "added", 0],
      [4, "context", 0],
      [5, "context", 0],
      [21, "context", 1],
      [22, "added", 1],
      [23, "context", 1],
    ]);
    expect([...file.right.keys()]).toEqual([...rightSideOf(multiHunk).keys()]);
  });

  it("keeps the hunk header with its section for the model", () => {
    const file = parseFileDiff({
      filename: "a",
      status: "modified",
      additions: 3,
      deletions: 2,
      changes: 5,
      patch: multiHunk,
    });
    expect(file.hunks[1]?.header).toBe("@@ -20,3 +21,3 @@ function later() {");
  });

  it("allows a multi-line comment only within one hunk", () => {
    const file = parseFileDiff({
      filename: "a",
      status: "modified",
      additions: 3,
      deletions: 2,
      changes: 5,
      patch: multiHunk,
    });
    expect(isCommentableRange(file, 2, 4)).toBe(true);
    expect(isCommentableRange(file, 4, 21)).toBe(false);
    expect(isCommentableRange(file, 5, 6)).toBe(false);
  });

  it("gives a deleted file no line to comment on", () => {
    const file = parseFileDiff({
      filename: "old.ts",
      status: "removed",
      additions: 0,
      deletions: 2,
      changes: 2,
      patch: "@@ -1,2 +0,0 @@\n-first\n-second",
    });
    expect(file.hunks[0]?.lines.map((line) => line.kind)).toEqual(["removed", "removed"]);
    expect(file.right.size).toBe(0);
  });

  it("reads a rename without changes as a file with no patch", () => {
    const file = parseFileDiff({
      filename: "src/new-name.ts",
      previous_filename: "src/old-name.ts",
      status: "renamed",
      additions: 0,
      deletions: 0,
      changes: 0,
    });
    expect(file).toMatchObject({
      previousPath: "src/old-name.ts",
      unreadable: "no-patch",
      hunks: [],
    });
  });

  it("reads a binary file, which GitHub sends without a patch, as having no lines", () => {
    const file = parseFileDiff({
      filename: "logo.png",
      status: "added",
      additions: 0,
      deletions: 0,
      changes: 0,
    });
    expect(file.unreadable).toBe("no-patch");
    expect(file.right.size).toBe(0);
  });

  it("marks the last line when the file ends without a newline, without counting the marker", () => {
    const file = parseFileDiff({
      filename: "a.txt",
      status: "modified",
      additions: 1,
      deletions: 1,
      changes: 2,
      patch: "@@ -1 +1 @@\n-old\n\\ No newline at end of file\n+new\n\\ No newline at end of file",
    });
    expect(file.hunks[0]?.lines).toEqual([
      { kind: "removed", text: "old", oldLine: 1, noNewlineAtEnd: true },
      { kind: "added", text: "new", newLine: 1, noNewlineAtEnd: true },
    ]);
    expect([...file.right.keys()]).toEqual([1]);
  });

  it("strips the carriage return of CRLF files from the line text", () => {
    const file = parseFileDiff({
      filename: "win.cs",
      status: "modified",
      additions: 1,
      deletions: 0,
      changes: 1,
      patch: "@@ -1,2 +1,3 @@\r\n using System;\r\n+using System.IO;\r\n namespace A;\r",
    });
    expect([...file.right.values()].map((line) => line.text)).toEqual([
      "using System;",
      "using System.IO;",
      "namespace A;",
    ]);
  });

  it("treats a patch full of invalid UTF-8 as not text", () => {
    const garbled = `@@ -1 +1 @@\n-${"\uFFFD".repeat(40)}\n+${"\uFFFD".repeat(40)}`;
    const file = parseFileDiff({
      filename: "a.dat",
      status: "modified",
      additions: 1,
      deletions: 1,
      changes: 2,
      patch: garbled,
    });
    expect(file.unreadable).toBe("not-text");
  });

  it("keeps a text file with a stray replacement character reviewable", () => {
    const file = parseFileDiff({
      filename: "a.md",
      status: "modified",
      additions: 1,
      deletions: 0,
      changes: 1,
      patch: "@@ -1 +1,2 @@\n caf\uFFFD menu\n+second line",
    });
    expect(file.unreadable).toBeUndefined();
    expect(file.right.get(1)?.text).toBe("caf\uFFFD menu");
  });

  it("marks a patch whose line counts do not add up as malformed instead of guessing", () => {
    const file = parseFileDiff({
      filename: "a.ts",
      status: "modified",
      additions: 1,
      deletions: 0,
      changes: 1,
      patch: "@@ -1,5 +1,6 @@\n one\n+two",
    });
    expect(file.unreadable).toBe("malformed");
    expect(file.right.size).toBe(0);
  });
});
