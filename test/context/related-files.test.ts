import { describe, expect, it } from "vitest";
import {
  quotedIdentifiers,
  readRelatedFiles,
  scoreFiles,
} from "../../src/context/related-files.js";
import type { ListedFiles } from "../../src/context/tree.js";

const estimate = (text: string): number => Math.ceil(text.length / 4);

const PATHS = [
  ".github/workflows/ci.yml",
  "README.md",
  "src/index.ts",
  "src/core/Ky.ts",
  "src/utils/merge.ts",
  "src/utils/delay.ts",
  "src/utils/is.ts",
  "src/types/hooks.ts",
  "src/errors/HTTPError.ts",
  "test/hooks.ts",
  "docs/hooks.md",
];
const files: ListedFiles = { paths: PATHS, leftOut: 0, truncated: false };

function reader(contents: Record<string, string> = {}) {
  const read: string[] = [];
  return {
    read,
    readFile: async (path: string) => {
      read.push(path);
      return contents[path] ?? `// ${path}\n`;
    },
  };
}

const options = { maxFiles: 4, maxTokens: 4_000, estimate };

describe("the files an issue points at, read before the Planner designs", () => {
  it("puts a path the issue names first, and a file named by its name next", () => {
    const scored = scoreFiles("merge() breaks in src/utils/merge.ts; see also HTTPError.ts", PATHS);
    expect(scored.slice(0, 2).map((file) => file.path)).toEqual([
      "src/utils/merge.ts",
      "src/errors/HTTPError.ts",
    ]);
  });

  it("ranks files whose names share the issue's rarer words, tests and docs below the code", () => {
    const scored = scoreFiles("Hooks are replaced, not merged, when a hook is extended", PATHS);
    expect(scored[0]?.path).toBe("src/types/hooks.ts");
    const rank = (path: string) => scored.findIndex((file) => file.path === path);
    expect(rank("src/types/hooks.ts")).toBeLessThan(rank("test/hooks.ts"));
    expect(rank("src/types/hooks.ts")).toBeLessThan(rank("docs/hooks.md"));
  });

  it("does not take a short English word for a file name", () => {
    expect(scoreFiles("It is slow when the body is big", PATHS).map((f) => f.path)).not.toContain(
      "src/utils/is.ts",
    );
  });

  it("reads the best matches with their contents, never a CI workflow nor the README it has", async () => {
    const { read, readFile } = reader();
    const chosen = await readRelatedFiles(
      {
        title: "The ci workflow and merge in the README",
        body: "src/utils/merge.ts, README.md and .github/workflows/ci.yml",
      },
      files,
      readFile,
      options,
    );
    expect(chosen.map((file) => file.path)).toEqual(["src/utils/merge.ts"]);
    expect(chosen[0]?.content).toBe("// src/utils/merge.ts\n");
    expect(read).not.toContain(".github/workflows/ci.yml");
    expect(read).not.toContain("README.md");
  });

  it("finds the file that declares an identifier the issue quotes, though no path matches", async () => {
    const { readFile } = reader({
      "src/core/Ky.ts": "export class Ky {\n  retry() {}\n}\n",
      "src/utils/delay.ts": "export async function pruneRequestPayload(body: unknown) {}\n",
    });
    const chosen = await readRelatedFiles(
      { title: "Payloads are kept", body: "Calling `pruneRequestPayload` leaves the body." },
      files,
      readFile,
      options,
    );
    expect(chosen[0]?.path).toBe("src/utils/delay.ts");
  });

  it("keeps within the number of files and the token share, taking the best one even when it is long", async () => {
    const long = "x".repeat(40_000);
    const { readFile } = reader({ "src/utils/merge.ts": long, "src/types/hooks.ts": long });
    const chosen = await readRelatedFiles(
      { title: "merge hooks", body: "src/utils/merge.ts and src/types/hooks.ts" },
      files,
      readFile,
      { ...options, maxTokens: 2_000 },
    );
    // Both named; the first fits as the best match, and no second fits beside it.
    expect(chosen).toHaveLength(1);
  });

  it("reads nothing for an issue that points at no file", async () => {
    const { read, readFile } = reader();
    const chosen = await readRelatedFiles(
      { title: "Be nicer", body: "Please be more friendly." },
      files,
      readFile,
      options,
    );
    expect(chosen).toEqual([]);
    expect(read).toEqual([]);
  });

  it("takes identifiers from code spans and code-shaped words, not prose or keywords", () => {
    expect(
      quotedIdentifiers("Use `zip_broadcast(a, strict=True)` like mergeHooks() but not import"),
    ).toEqual(["zip_broadcast", "strict", "mergeHooks"]);
  });
});
