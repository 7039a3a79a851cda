import { describe, expect, it } from "vitest";
import { checkPath, normalisePath } from "../../src/context/path-validation.js";
import { RepositoryIndex } from "../../src/context/repository-index.js";
import { RepositoryTreeSchema } from "../../src/context/tree.js";
import { fixtureTree } from "../agents/fixtures.js";

const index = new RepositoryIndex(RepositoryTreeSchema.parse(fixtureTree()));

describe("path validation", () => {
  it("keeps a file that exists", () => {
    expect(checkPath("./src/config.ts", "modify", index)).toEqual({
      status: "exists",
      path: "src/config.ts",
    });
  });

  it("repairs a path that differs only in letter case", () => {
    expect(checkPath("src/Github/Comments.ts", "modify", index)).toMatchObject({
      status: "repaired",
      path: "src/github/comments.ts",
    });
  });

  it("repairs a path with the wrong extension", () => {
    expect(checkPath("src/config.js", "modify", index)).toMatchObject({
      status: "repaired",
      path: "src/config.ts",
    });
  });

  it("repairs a file named uniquely in another folder", () => {
    expect(checkPath("lib/comments.ts", "modify", index)).toMatchObject({
      status: "repaired",
      path: "src/github/comments.ts",
    });
  });

  it("drops a path when two files are equally close", () => {
    const tree = RepositoryTreeSchema.parse({
      entries: [
        { path: "a/index.ts", type: "blob" },
        { path: "b/index.ts", type: "blob" },
      ],
    });
    expect(checkPath("c/index.ts", "modify", new RepositoryIndex(tree)).status).toBe("dropped");
  });

  it("accepts a new file in an existing folder or one new folder below one", () => {
    expect(checkPath("src/handlers/welcome.ts", "create", index)).toEqual({
      status: "new",
      path: "src/handlers/welcome.ts",
    });
    expect(checkPath("src/welcome/message.ts", "create", index)).toEqual({
      status: "new",
      path: "src/welcome/message.ts",
      newFolder: "src/welcome",
    });
  });

  it("drops a new file whose folders are invented", () => {
    expect(checkPath("app/deep/nested/file.ts", "create", index).status).toBe("dropped");
  });

  it("keeps an unknown path as unverified when GitHub truncated the tree", () => {
    const truncated = new RepositoryIndex(
      RepositoryTreeSchema.parse({ ...fixtureTree(), truncated: true }),
    );
    expect(checkPath("src/unknown/thing.ts", "modify", truncated).status).toBe("unverified");
  });

  it("refuses paths outside the repository", () => {
    for (const raw of ["../secrets", "/etc/passwd", "C:\\x", "src/../../x", ".git/config"]) {
      expect(normalisePath(raw)).toBeUndefined();
    }
  });
});
