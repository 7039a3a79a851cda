import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import {
  isSkipped,
  measureComplexity,
  type FileComplexity,
} from "../../../src/features/refactor/complexity.js";

function fixture(name: string): string {
  return readFileSync(new URL(`./fixtures/sources/${name}`, import.meta.url), "utf8");
}

async function measured(path: string, content: string): Promise<FileComplexity> {
  const result = await measureComplexity(path, content);
  if (isSkipped(result)) throw new Error(`${path} was skipped: ${result.skipped}`);
  return result;
}

function table(file: FileComplexity) {
  return file.functions.map((fn) => [fn.name, fn.line, fn.lines, fn.cyclomatic, fn.cognitive]);
}

describe("the complexity proxy for Python", () => {
  let file: FileComplexity;
  beforeAll(async () => {
    file = await measured("app/inventory.py", fixture("inventory.py"));
  });

  it("finds each def with its extent and weighs branches by indentation depth", () => {
    // restock: for +1, if at depth 1 +2, `and` +1, elif +1, else +1 → cognitive 6.
    // total: a wrapped signature, then `for` and `if`/`else` in one expression → 3.
    expect(table(file)).toEqual([
      ["restock", 8, 11, 5, 6],
      ["total", 21, 5, 3, 3],
      ["label", 29, 2, 2, 1],
    ]);
  });

  it("ignores keywords in docstrings, comments and strings", () => {
    expect({ cognitive: file.cognitive, cyclomatic: file.cyclomatic }).toEqual({
      cognitive: 10,
      cyclomatic: 10,
    });
  });

  it("counts code lines without blank, comment and docstring lines", () => {
    expect({ lines: file.lines, codeLines: file.codeLines, method: file.method }).toEqual({
      lines: 30,
      codeLines: 19,
      method: "proxy",
    });
  });
});

describe("the complexity proxy for Go", () => {
  let file: FileComplexity;
  beforeAll(async () => {
    file = await measured("store/store.go", fixture("store.go"));
  });

  it("names methods after their receiver and counts switch cases for cyclomatic only", () => {
    // for +1, if at depth 1 +2, && +1, else if +1, switch at depth 1 +2 → cognitive 7;
    // cyclomatic: 1 + for + if + && + else if + two cases = 7.
    expect(table(file)).toEqual([
      ["Repo.Save", 4, 17, 7, 7],
      ["Len", 22, 3, 1, 0],
    ]);
  });

  it("leaves trivial functions out of the worst functions", () => {
    expect(file.worstFunctions.map((fn) => fn.name)).toEqual(["Repo.Save"]);
  });
});

describe("the complexity proxy for other language families", () => {
  it("closes Ruby methods at their `end` and keeps `?` in method names", async () => {
    const ruby = [
      "class Cart",
      "  def total(items)",
      "    sum = 0",
      "    items.each do |item|",
      "      if item.taxed? && item.price > 0",
      "        sum += item.price * 1.2",
      "      elsif item.free?",
      "        next",
      "      end",
      "    end",
      "    sum",
      "  end",
      "",
      "  def empty?",
      "    @items.nil? || @items.empty?",
      "  end",
      "end",
    ].join("\n");
    expect(table(await measured("lib/cart.rb", ruby))).toEqual([
      ["total", 2, 11, 4, 4],
      ["empty?", 14, 3, 2, 1],
    ]);
  });

  it("counts Rust match arms as cases and does not read lifetimes as strings", async () => {
    const rust = [
      "pub fn classify(n: i32) -> &'static str {",
      "    match n {",
      '        0 => "zero",',
      '        x if x < 0 => "negative",',
      '        _ => "positive",',
      "    }",
      "}",
    ].join("\n");
    expect(table(await measured("src/lib.rs", rust))).toEqual([["classify", 1, 7, 5, 3]]);
  });

  it("finds Java methods by their signature, one-liners included", async () => {
    const java = [
      "public class Orders {",
      "    public int count(List<Order> orders) {",
      "        int n = 0;",
      "        for (Order o : orders) {",
      "            if (o.isOpen() || o.isPending()) {",
      "                n++;",
      "            }",
      "        }",
      "        return n;",
      "    }",
      "",
      "    private static String name(Order o) { return o.name(); }",
      "}",
    ].join("\n");
    expect(table(await measured("src/Orders.java", java))).toEqual([
      ["count", 2, 9, 4, 4],
      ["name", 12, 1, 1, 0],
    ]);
  });
});
