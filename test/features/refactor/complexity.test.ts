import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import {
  isSkipped,
  measureComplexity,
  type FileComplexity,
  type FunctionComplexity,
} from "../../../src/features/refactor/complexity.js";

function fixture(name: string): string {
  return readFileSync(new URL(`./fixtures/sources/${name}`, import.meta.url), "utf8");
}

async function measured(path: string, content: string): Promise<FileComplexity> {
  const result = await measureComplexity(path, content);
  if (isSkipped(result)) throw new Error(`${path} was skipped: ${result.skipped}`);
  return result;
}

function figures(fn: FunctionComplexity | undefined) {
  return fn && { name: fn.name, cyclomatic: fn.cyclomatic, cognitive: fn.cognitive };
}

function byName(file: FileComplexity, name: string) {
  return figures(file.functions.find((fn) => fn.name === name));
}

describe("complexity of TypeScript from the syntax tree", () => {
  let file: FileComplexity;
  beforeAll(async () => {
    file = await measured("src/sonar-examples.ts", fixture("sonar-examples.ts.txt"));
  });

  it("scores nested loops, an if and a labelled continue as SonarSource does (cognitive 7)", () => {
    expect(byName(file, "sumOfPrimes")).toEqual({
      name: "sumOfPrimes",
      cyclomatic: 4,
      cognitive: 7,
    });
  });

  it("scores a switch once for cognitive and once per case for cyclomatic", () => {
    expect(byName(file, "getWords")).toEqual({ name: "getWords", cyclomatic: 4, cognitive: 1 });
  });

  it("counts else-if and else without nesting, and a recursive call", () => {
    expect(byName(file, "Parser.next")).toEqual({
      name: "Parser.next",
      cyclomatic: 3,
      cognitive: 4,
    });
  });

  it("names getters and constructors after their class", () => {
    expect(byName(file, "get Parser.done")).toEqual({
      name: "get Parser.done",
      cyclomatic: 2,
      cognitive: 1,
    });
    expect(byName(file, "Parser.constructor")).toEqual({
      name: "Parser.constructor",
      cyclomatic: 1,
      cognitive: 0,
    });
  });

  it("adds nesting for a catch inside a loop and for an if inside the catch", () => {
    expect(byName(file, "settle")).toEqual({ name: "settle", cyclomatic: 6, cognitive: 8 });
  });

  it("measures a callback on its own, named after the call that receives it", () => {
    expect(byName(file, "settle › failures.map callback")).toEqual({
      name: "settle › failures.map callback",
      cyclomatic: 2,
      cognitive: 1,
    });
  });

  it("charges each change of boolean operator in a sequence, through parentheses", () => {
    expect(byName(file, "eligible")).toEqual({ name: "eligible", cyclomatic: 5, cognitive: 4 });
  });

  it("charges a ternary nested in another one its nesting", () => {
    expect(byName(file, "label")).toEqual({ name: "label", cyclomatic: 3, cognitive: 3 });
  });

  it("sums every function and the top-level code into the file's complexity", () => {
    expect({ cognitive: file.cognitive, cyclomatic: file.cyclomatic }).toEqual({
      cognitive: 30,
      cyclomatic: 32,
    });
  });

  it("reports the file length without blank and comment lines, and the longest function", () => {
    expect(file.lines).toBe(71);
    expect(file.codeLines).toBe(58);
    expect(file.longestFunction).toMatchObject({ name: "sumOfPrimes", line: 3, lines: 12 });
  });

  it("lists the three worst functions with their lines, hardest first", () => {
    expect(file.worstFunctions.map((fn) => [fn.name, fn.line, fn.cognitive])).toEqual([
      ["settle", 52, 8],
      ["sumOfPrimes", 3, 7],
      ["eligible", 65, 4],
    ]);
  });

  it("reads JSX, where a && before an element is a branch", async () => {
    const list = await measured("src/list.tsx", fixture("list.tsx.txt"));
    expect(list.functions.map(figures)).toEqual([
      { name: "List", cyclomatic: 2, cognitive: 1 },
      { name: "List › items.map callback", cyclomatic: 2, cognitive: 1 },
    ]);
  });

  it("measures plain JavaScript modules with the same rules", async () => {
    const js = await measured(
      "lib/a.cjs",
      "module.exports = function pick(a, b) { return a ?? b; };\n",
    );
    expect(js.language).toBe("javascript");
    expect(js.functions.map(figures)).toEqual([{ name: "pick", cyclomatic: 2, cognitive: 1 }]);
  });
});

describe("files that cannot be measured", () => {
  it("skips binary content", async () => {
    expect(await measureComplexity("src/a.ts", "const a = 1;\u0000\u0001")).toEqual({
      path: "src/a.ts",
      skipped: "binary",
    });
  });

  it("skips files over a million characters", async () => {
    const huge = "let a = 1;\n".repeat(100_000);
    expect(await measureComplexity("src/huge.ts", huge)).toMatchObject({ skipped: "too-large" });
  });

  it("skips minified bundles", async () => {
    const minified = `var a=function(){return 1};`.repeat(200);
    expect(await measureComplexity("src/app.js", minified)).toMatchObject({ skipped: "minified" });
  });

  it("skips files that announce they are generated", async () => {
    const generated = "// Code generated by protoc-gen-go. DO NOT EDIT.\npackage pb\n";
    expect(await measureComplexity("api/x.go", generated)).toMatchObject({ skipped: "generated" });
  });

  it("says a language it does not know is not code", async () => {
    expect(await measureComplexity("README.md", "# Hello\n")).toMatchObject({
      skipped: "not-code",
    });
  });
});
