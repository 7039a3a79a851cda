import { describe, expect, it } from "vitest";
import { syntaxErrors, verifyEditedFile } from "../../src/editing/verify.js";

describe("verifying an edited file", () => {
  it("reports an edit that changes nothing", async () => {
    expect(await verifyEditedFile("a.ts", "const a = 1;\n", "const a = 1;\n")).toMatchObject([
      { kind: "unchanged" },
    ]);
  });

  it("reports JSON that no longer parses", async () => {
    const [problem] = await verifyEditedFile("package.json", '{ "a": 1 }\n', '{ "a": 1, }\n');
    expect(problem).toMatchObject({ kind: "invalid_json", path: "package.json" });
    expect(problem!.message).toMatch(/^package\.json no longer parses as JSON: /);
  });

  it("accepts comments and trailing commas in tsconfig.json", async () => {
    const after = '{\n  // strict everywhere\n  "compilerOptions": { "strict": true, },\n}\n';
    expect(await verifyEditedFile("tsconfig.json", "{}\n", after)).toEqual([]);
  });

  it("reports YAML that no longer parses", async () => {
    const before = "on:\n  push:\n    branches: [main]\n";
    const after = "on:\n  push:\n    branches: [main\n";
    expect(await verifyEditedFile(".github/ci.yml", before, after)).toMatchObject([
      { kind: "invalid_yaml" },
    ]);
  });

  it("reports YAML with a key given twice", async () => {
    expect(await verifyEditedFile("a.yaml", "a: 1\n", "a: 1\na: 2\n")).toMatchObject([
      { kind: "invalid_yaml" },
    ]);
  });

  it("reports TypeScript that no longer parses, with the line", async () => {
    const [problem] = await verifyEditedFile(
      "src/a.ts",
      "export const a = 1;\n",
      "export const a = {\n  b: 1,\n",
    );
    expect(problem).toMatchObject({ kind: "syntax_error" });
    expect(problem!.message).toContain("line 3: '}' expected.");
  });

  it("accepts TSX and reports type annotations in a .js file", async () => {
    expect(
      await syntaxErrors("src/app.tsx", "export const App = () => <div>{name}</div>;\n"),
    ).toEqual([]);
    expect(await syntaxErrors("src/app.mjs", "export const a: number = 1;\n")).toEqual([
      "line 1: Type annotations can only be used in TypeScript files.",
    ]);
  });

  it("does not blame an edit for a file that did not parse before", async () => {
    expect(await verifyEditedFile("a.json", "{ broken\n", "{ still broken\n")).toEqual([]);
  });

  it("does not type-check: a type error is not a syntax error", async () => {
    expect(await verifyEditedFile("a.ts", "", 'const a: number = "text";\n')).toEqual([]);
  });

  it("reports text that cannot be written as UTF-8", async () => {
    expect(await verifyEditedFile("a.md", "x\n", "x \ud800\n")).toMatchObject([
      { kind: "not_utf8" },
    ]);
  });
});
