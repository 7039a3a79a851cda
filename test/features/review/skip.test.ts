import { describe, expect, it } from "vitest";
import type { PullFile } from "../../../src/github/pull-request-patch.js";
import { selectReviewableFiles } from "../../../src/features/review/skip.js";

const changed = (filename: string, extra: Partial<PullFile> = {}): PullFile => ({
  filename,
  status: "modified",
  additions: 1,
  deletions: 0,
  changes: 1,
  patch: "@@ -1 +1,2 @@\n keep\n+added",
  ...extra,
});

const defaults = { ignore: [], defaultIgnores: true };

describe("choosing the files to review", () => {
  it("skips lock, vendored, generated, minified, binary and build files, naming the rule", () => {
    const { reviewable, skipped } = selectReviewableFiles(
      [
        changed("src/app.ts"),
        changed("package-lock.json"),
        changed("services/api/yarn.lock"),
        changed("vendor/github.com/x/y.go"),
        changed("api/user.pb.go"),
        changed("web/app.min.js"),
        changed("assets/logo.png"),
        changed("dist/index.js"),
      ],
      defaults,
    );
    expect(reviewable.map((file) => file.path)).toEqual(["src/app.ts"]);
    expect(skipped.map((file) => [file.path, file.reason])).toEqual([
      ["package-lock.json", "lock file: matches `package-lock.json`"],
      ["services/api/yarn.lock", "lock file: matches `yarn.lock`"],
      ["vendor/github.com/x/y.go", "vendored: matches `**/vendor/**`"],
      ["api/user.pb.go", "generated: matches `*.pb.go`"],
      ["web/app.min.js", "minified: matches `*.min.js`"],
      ["assets/logo.png", "binary: matches `*.{png,jpg,jpeg,gif,bmp,ico,webp,avif,tiff,psd}`"],
      ["dist/index.js", "build output: matches `**/dist/**`"],
    ]);
  });

  it("skips files matching the repository's own ignore globs", () => {
    const { skipped } = selectReviewableFiles(
      [changed("docs/api/generated.md"), changed("src/a.ts")],
      {
        ignore: ["docs/api/**"],
        defaultIgnores: true,
      },
    );
    expect(skipped).toEqual([
      {
        path: "docs/api/generated.md",
        kind: "ignored",
        reason: "your ignore settings: matches `docs/api/**`",
      },
    ]);
  });

  it("reviews built-in-ignored files when the built-in globs are turned off", () => {
    const { reviewable } = selectReviewableFiles([changed("dist/index.js")], {
      ignore: [],
      defaultIgnores: false,
    });
    expect(reviewable.map((file) => file.path)).toEqual(["dist/index.js"]);
  });

  it("says why a file without a usable diff is skipped", () => {
    const { skipped } = selectReviewableFiles(
      [
        changed("assets/font.woff3", { patch: undefined, additions: 0, changes: 0 }),
        changed("src/huge.ts", { patch: undefined, additions: 5000, deletions: 10, changes: 5010 }),
        changed("src/moved.ts", {
          status: "renamed",
          previous_filename: "src/old.ts",
          patch: undefined,
          additions: 0,
          changes: 0,
        }),
        changed("bin/run", { status: "changed", patch: undefined, additions: 0, changes: 0 }),
        changed("src/gone.ts", {
          status: "removed",
          patch: "@@ -1 +0,0 @@\n-gone",
          additions: 0,
          deletions: 1,
        }),
      ],
      defaults,
    );
    expect(skipped.map((file) => [file.kind, file.reason])).toEqual([
      ["binary", "binary file: GitHub shows no diff"],
      ["too-large", "diff too large for GitHub's API to return (5010 changed lines)"],
      ["renamed-only", "renamed from src/old.ts without changes"],
      ["metadata-only", "only the file mode or metadata changed"],
      ["deleted", "deleted: no new lines to comment on"],
    ]);
  });

  it("reviews a renamed file that also changed, remembering its old name", () => {
    const { reviewable } = selectReviewableFiles(
      [changed("src/new.ts", { status: "renamed", previous_filename: "src/old.ts" })],
      defaults,
    );
    expect(reviewable[0]).toMatchObject({ path: "src/new.ts", previousPath: "src/old.ts" });
  });

  it("keeps every file, reviewable or not, for the walkthrough", () => {
    const { files } = selectReviewableFiles([changed("yarn.lock"), changed("src/a.ts")], defaults);
    expect(files.map((file) => file.path)).toEqual(["yarn.lock", "src/a.ts"]);
  });
});
