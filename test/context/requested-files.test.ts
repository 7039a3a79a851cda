import { describe, expect, it } from "vitest";
import { RepositoryIndex } from "../../src/context/repository-index.js";
import { readRequestedFiles, renderRequestedFiles } from "../../src/context/requested-files.js";
import { RepositoryTreeSchema } from "../../src/context/tree.js";
import { fixtureTree } from "../agents/fixtures.js";

const estimate = (text: string): number => Math.ceil(text.length / 4);
const index = new RepositoryIndex(RepositoryTreeSchema.parse(fixtureTree()));

describe("files the Planner asks to read", () => {
  it("reads only files that exist and are not binary, and says why the others were not read", async () => {
    const read: string[] = [];
    const { files, notes } = await readRequestedFiles(
      ["src/config.ts", "src/nowhere.ts", "assets/logo.png"],
      index,
      async (path) => {
        read.push(path);
        return `// ${path}`;
      },
    );
    expect(read).toEqual(["src/config.ts"]);
    expect(files).toEqual([{ path: "src/config.ts", content: "// src/config.ts" }]);
    expect(notes).toEqual([
      "The Planner asked to read `src/nowhere.ts`, which is not in the repository.",
      "The Planner asked to read `assets/logo.png`, a binary file; it was not read.",
    ]);
  });

  it("shares the budget so one large file cannot hide the others", () => {
    const text = renderRequestedFiles(
      [
        { path: "big.ts", content: "b".repeat(100_000) },
        { path: "small.ts", content: "export const small = 1;" },
      ],
      1_000,
      estimate,
    );
    expect(estimate(text)).toBeLessThanOrEqual(1_000);
    expect(text).toContain("export const small = 1;");
    expect(text).toContain("[… file big.ts cut to fit the model's context");
  });
});
