// What the README, the docs and .gitignore say about the project, checked against the project.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const read = (path: string): string => readFileSync(new URL(`../${path}`, import.meta.url), "utf8");
const pkg = JSON.parse(read("package.json")) as {
  engines: { node: string };
  scripts: Record<string, string>;
};

describe("the project's own description of itself", () => {
  it("names in the README the Node.js version package.json's engines ask for", () => {
    const minimum = /^>=(\d+\.\d+\.\d+)$/.exec(pkg.engines.node)?.[1];
    expect(read("README.md")).toContain(`You need Node.js ${minimum} or newer.`);
  });

  it("documents npm start as the command package.json runs", () => {
    expect(pkg.scripts["start"]).toBe("node ./lib/server.js");
    expect(read("docs/development.md")).toContain("`node ./lib/server.js`");
    expect(read("docs/operations.md")).toContain(
      "`npm start` runs the same `node ./lib/server.js`",
    );
  });

  it("ignores no file that is committed", () => {
    const root = new URL("..", import.meta.url);
    const ignored = execFileSync(
      "git",
      ["ls-files", "--cached", "--ignored", "--exclude-standard"],
      {
        cwd: root,
        encoding: "utf8",
      },
    );
    expect(ignored.split("\n").filter(Boolean)).toEqual([]);
  });
});
