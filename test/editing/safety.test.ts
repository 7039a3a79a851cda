import { describe, expect, it } from "vitest";
import {
  checkContent,
  checkPath,
  DEFAULT_IMPLEMENT_LIMITS,
  type TreeEntry,
} from "../../src/editing/safety.js";

const tree: TreeEntry[] = [
  { path: "src", mode: "040000" },
  { path: "src/index.ts", mode: "100644" },
  { path: "docs", mode: "120000" },
  { path: "config.yml", mode: "120000" },
  { path: "vendor/lib", mode: "160000" },
];

describe("paths an implementation may write", () => {
  it("allows a plain file inside the repository", () => {
    expect(checkPath("src/index.ts", tree)).toBeUndefined();
    expect(checkPath("src/new/file.ts", tree)).toBeUndefined();
  });

  it.each(["/etc/passwd", "C:/Windows/system.ini"])("refuses the absolute path %j", (path) => {
    expect(checkPath(path, tree)).toMatchObject({ reason: "path_outside_repository", path });
  });

  it.each(["../outside.ts", "src/../../outside.ts"])(
    "refuses %j, which climbs out with ..",
    (path) => {
      expect(checkPath(path, tree)).toMatchObject({ reason: "path_outside_repository" });
    },
  );

  it.each(["src\\index.ts", "src/a\u0000.ts", "src//a.ts", "./src/a.ts", ""])(
    "refuses the malformed path %j",
    (path) => {
      expect(checkPath(path, tree)).toMatchObject({ reason: "unsafe_path" });
    },
  );

  it("refuses a path through a symlinked directory", () => {
    expect(checkPath("docs/guide.md", tree)).toMatchObject({
      reason: "path_through_symlink",
      message: expect.stringContaining("symbolic link docs"),
    });
  });

  it("refuses a path through a symlink spelled in another case", () => {
    expect(checkPath("Docs/guide.md", tree)).toMatchObject({ reason: "path_through_symlink" });
  });

  it("refuses to overwrite a symlink itself", () => {
    expect(checkPath("config.yml", tree)).toMatchObject({ reason: "path_through_symlink" });
  });

  it("refuses a path inside a submodule or naming a directory", () => {
    expect(checkPath("vendor/lib/x.c", tree)).toMatchObject({ reason: "not_a_file" });
    expect(checkPath("src", tree)).toMatchObject({ reason: "not_a_file" });
  });

  it("refuses anything inside .git", () => {
    expect(checkPath(".git/hooks/pre-commit", tree)).toMatchObject({ reason: "git_directory" });
    expect(checkPath("sub/.GIT/config", tree)).toMatchObject({ reason: "git_directory" });
  });

  it("refuses a workflow file unless workflows are allowed", () => {
    expect(checkPath(".github/workflows/ci.yml", tree)).toMatchObject({
      reason: "workflow_file",
      message: expect.stringContaining("implement.allow_workflows"),
    });
    expect(checkPath(".github/workflows/ci.yml", tree, { allow_workflows: true })).toBeUndefined();
    expect(checkPath(".github/dependabot.yml", tree)).toMatchObject({ reason: "protected_path" });
  });
});

describe("file contents", () => {
  it("refuses binary content", () => {
    const change = {
      path: "logo.png",
      before: undefined,
      after: "\u0089PNG\r\n\u001a\n\u0000\u0000",
    };
    expect(checkContent(change)).toMatchObject({ reason: "binary_content", path: "logo.png" });
  });

  it("refuses editing a file that was binary before", () => {
    expect(checkContent({ path: "a.bin", before: "a\u0000b", after: "text" })).toMatchObject({
      reason: "binary_content",
    });
  });

  it("refuses a file over max_file_bytes", () => {
    const change = { path: "big.txt", before: undefined, after: "x".repeat(101) };
    expect(checkContent(change, { max_file_bytes: 100 })).toMatchObject({
      reason: "file_too_large",
      message: expect.stringContaining("over implement.max_file_bytes (100)"),
    });
    expect(checkContent(change, { max_file_bytes: 101 })).toBeUndefined();
  });

  it("has a default file size bound", () => {
    const change = {
      path: "big.txt",
      before: undefined,
      after: "x".repeat(DEFAULT_IMPLEMENT_LIMITS.max_file_bytes + 1),
    };
    expect(checkContent(change)).toMatchObject({ reason: "file_too_large" });
  });
});

describe("paths that configure GitHub or CI", () => {
  it.each([
    ".github/actions/setup/action.yml",
    ".github/symphony.yml",
    ".github/CODEOWNERS",
    "CODEOWNERS",
    ".gitlab-ci.yml",
    ".circleci/config.yml",
    "Jenkinsfile",
    "azure-pipelines.yml",
  ])("refuses %s by default", (path) => {
    expect(checkPath(path, [])).toMatchObject({ reason: "protected_path", path });
  });

  it("leaves ordinary files alone", () => {
    expect(checkPath("src/github/client.ts", [])).toBeUndefined();
    expect(checkPath("docs/ci.md", [])).toBeUndefined();
  });
});
