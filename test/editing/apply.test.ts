import { describe, expect, it } from "vitest";
import { applySearchReplace } from "../../src/editing/apply.js";

const ts = `export function total(items: Item[]): number {
  let sum = 0;
  for (const item of items) {
    sum += item.price;
  }
  return sum;
}

export function count(items: Item[]): number {
  return items.length;
}
`;

describe("applying search/replace blocks", () => {
  it("replaces a search text that occurs exactly once", () => {
    const result = applySearchReplace(ts, [
      { search: "    sum += item.price;\n", replace: "    sum += item.price * item.quantity;\n" },
    ]);
    expect(result).toMatchObject({
      ok: true,
      blocks: [{ match: "exact", startLine: 4, endLine: 4 }],
    });
    expect(result.ok && result.content).toBe(
      ts.replace("item.price;", "item.price * item.quantity;"),
    );
  });

  it("replaces part of a line when that part occurs once", () => {
    const result = applySearchReplace(ts, [
      { search: "items.length", replace: "items.filter(Boolean).length" },
    ]);
    expect(result.ok && result.content).toContain("  return items.filter(Boolean).length;\n");
  });

  it("replaces part of a line sent as a whole line, as plain-text blocks send it", () => {
    const result = applySearchReplace(ts, [
      { search: "items.length\n", replace: "items.filter(Boolean).length\n" },
    ]);
    expect(result.ok && result.content).toBe(
      ts.replace("items.length;", "items.filter(Boolean).length;"),
    );
  });

  it("refuses a search text that matches nothing and names the closest lines", () => {
    const result = applySearchReplace(ts, [
      { search: "  for (const item of cart) {\n    sum += item.price;\n", replace: "x" },
    ]);
    expect(result).toMatchObject({
      ok: false,
      failure: { block: 1, reason: "no_match", candidates: [{ startLine: 3, endLine: 4 }] },
    });
    expect(!result.ok && result.failure.candidates[0]!.text).toBe(
      "  for (const item of items) {\n    sum += item.price;",
    );
  });

  it("refuses a search text that matches two places and lists both", () => {
    const result = applySearchReplace(ts, [{ search: "(items: Item[]): number {", replace: "()" }]);
    expect(result).toMatchObject({
      ok: false,
      failure: { reason: "ambiguous", candidates: [{ startLine: 1 }, { startLine: 9 }] },
    });
    expect(!result.ok && result.failure.message).toContain("matches 2 places (line 1, line 9)");
  });

  it("refuses a search text that matches two places once whitespace is ignored", () => {
    const file = "if (a) {\n  go();\n}\nif (a) {\n    go();\n}\n";
    const result = applySearchReplace(file, [
      { search: "if (a) {\n go();\n}", replace: "stop();" },
    ]);
    expect(result).toMatchObject({ ok: false, failure: { reason: "ambiguous" } });
  });

  it("writes nothing when a later block fails", () => {
    const result = applySearchReplace(ts, [
      { search: "let sum = 0;", replace: "let sum = 1;" },
      { search: "return nothing;", replace: "return 0;" },
    ]);
    expect(result).toMatchObject({ ok: false, failure: { block: 2, reason: "no_match" } });
  });

  it("refuses an empty search text in a file that has content", () => {
    const result = applySearchReplace(ts, [{ search: "  \n", replace: "new" }]);
    expect(result).toMatchObject({ ok: false, failure: { reason: "empty_search" } });
  });
});

describe("whitespace drift", () => {
  it("matches a search text whose indentation drifted and re-indents the added lines", () => {
    const result = applySearchReplace(ts, [
      {
        search: "for (const item of items) {\n  sum += item.price;\n}",
        replace: "for (const item of items) {\n  if (item.free) continue;\n  sum += item.price;\n}",
      },
    ]);
    expect(result.ok && result.content).toContain(
      "  for (const item of items) {\n    if (item.free) continue;\n    sum += item.price;\n  }\n",
    );
    expect(result).toMatchObject({ ok: true, blocks: [{ match: "whitespace" }] });
  });

  it("re-indents a kept line the replacement moves one level deeper", () => {
    const py = "def save(book):\n    db.add(book)\n    db.commit()\n";
    const result = applySearchReplace(py, [
      {
        search: "db.add(book)\ndb.commit()\n",
        replace: "db.add(book)\ntry:\n    db.commit()\nexcept Error:\n    db.rollback()\n",
      },
    ]);
    expect(result.ok && result.content).toBe(
      "def save(book):\n    db.add(book)\n    try:\n        db.commit()\n    except Error:\n        db.rollback()\n",
    );
  });

  it("indents every added line when an exact match starts inside the indentation", () => {
    const js = "function f() {\n    await sleep(ms);\n}\n";
    const result = applySearchReplace(js, [
      { search: "await sleep(ms);\n", replace: "const wait = ms * 2;\nawait sleep(wait);\n" },
    ]);
    expect(result.ok && result.content).toBe(
      "function f() {\n    const wait = ms * 2;\n    await sleep(wait);\n}\n",
    );
  });

  it("keeps the file's own text for lines the model only re-spaced", () => {
    const file = "const table = {\n  a:    1,\n  b:    2,\n};\n";
    const result = applySearchReplace(file, [
      {
        search: "const table = {\n  a: 1,\n  b: 2,\n};",
        replace: "const table = {\n  a: 1,\n  b: 2,\n  c: 3,\n};",
      },
    ]);
    expect(result.ok && result.content).toBe(
      "const table = {\n  a:    1,\n  b:    2,\n  c: 3,\n};\n",
    );
  });

  it("matches a search text with trailing spaces the file does not have", () => {
    const result = applySearchReplace(ts, [
      { search: "  let sum = 0;   \n", replace: "  let sum = 10;\n" },
    ]);
    expect(result.ok && result.content).toContain("  let sum = 10;\n  for");
  });

  it("writes tabs into a tab-indented file when the model sent spaces", () => {
    const go = "func main() {\n\tif ok {\n\t\trun()\n\t}\n}\n";
    const result = applySearchReplace(go, [
      {
        search: "    if ok {\n        run()\n    }",
        replace: "    if ok {\n        run()\n        log()\n    }",
      },
    ]);
    expect(result.ok && result.content).toBe(
      "func main() {\n\tif ok {\n\t\trun()\n\t\tlog()\n\t}\n}\n",
    );
  });

  it("scales indentation when the model indents by two and the file by four", () => {
    const py = "class Shop:\n    def total(self):\n        return 0\n";
    const result = applySearchReplace(py, [
      {
        search: "  def total(self):\n    return 0",
        replace: "  def total(self):\n    if self.closed:\n      return None\n    return 0",
      },
    ]);
    expect(result.ok && result.content).toBe(
      "class Shop:\n    def total(self):\n        if self.closed:\n            return None\n        return 0\n",
    );
  });

  it("keeps CRLF line endings when the model sent LF", () => {
    const file = "a: 1\r\nb: 2\r\nc: 3\r\n";
    const result = applySearchReplace(file, [
      { search: "a: 1\nb: 2\n", replace: "a: 1\nb: 20\nb2: 21\n" },
    ]);
    expect(result.ok && result.content).toBe("a: 1\r\nb: 20\r\nb2: 21\r\nc: 3\r\n");
  });

  it("matches the last line of a file without a final newline when the search has one", () => {
    const result = applySearchReplace("one\ntwo", [{ search: "two\n", replace: "three\n" }]);
    expect(result.ok && result.content).toBe("one\nthree");
  });

  it("keeps the newline after the replaced text when the replacement lacks it", () => {
    const result = applySearchReplace("one\ntwo\nthree\n", [{ search: "two\n", replace: "2" }]);
    expect(result.ok && result.content).toBe("one\n2\nthree\n");
  });

  it("ignores blank lines the model added around the search text", () => {
    const result = applySearchReplace("a\nb\nc\n", [{ search: "\nb\n\n", replace: "\nB\n\n" }]);
    expect(result.ok && result.content).toBe("a\nB\nc\n");
  });
});

describe("Markdown fences", () => {
  it("strips a fence the model wrapped around both texts", () => {
    const result = applySearchReplace(ts, [
      { search: "```ts\n  let sum = 0;\n```", replace: "```ts\n  let sum = 1;\n```" },
    ]);
    expect(result).toMatchObject({ ok: true, blocks: [{ unfenced: true }] });
    expect(result.ok && result.content).toContain("  let sum = 1;\n");
    expect(result.ok && result.content).not.toContain("```");
  });

  it("keeps a fence that is part of a Markdown file", () => {
    const md = "# Setup\n\n```bash\nnpm install\n```\n";
    const result = applySearchReplace(md, [
      { search: "```bash\nnpm install\n```", replace: "```bash\nnpm ci\n```" },
    ]);
    expect(result.ok && result.content).toBe("# Setup\n\n```bash\nnpm ci\n```\n");
  });
});
