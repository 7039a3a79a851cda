import { describe, expect, it } from "vitest";
import { localImports } from "../../src/context/local-imports.js";
import { repositoryMap } from "../../src/context/repository-map.js";
import { fileOutline } from "../../src/context/symbol-outline.js";

const estimateTokens = (text: string) => Math.ceil(text.length / 4);
const exported = { exportedOnly: true };

const MONEY_TS = `import { rates } from "./rates.js";

/** Rounds to cents. */
export function round(amount: number, digits = 2): number {
  return Math.round(amount * 10 ** digits) / 10 ** digits;
}

function helper(): void {}

export interface Price {
  amount: number;
  currency: string;
}

export type Currency = "EUR" | "USD";

export class Ledger<T> extends Base implements Book {
  readonly entries: T[] = [];
  private secret = 1;
  #hidden = 2;
  constructor(private readonly name: string) {
    super();
  }
  add(entry: T): this {
    this.entries.push(entry);
    return this;
  }
  protected audit(): void {}
}

export const convert = async (price: Price, to: Currency): Promise<Price> => {
  return price;
};
export const DEFAULT_CURRENCY: Currency = "EUR";
export enum Mode { Fast, Exact }
export { rates } from "./rates.js";
export default Ledger;
`;

describe("a TypeScript file's outline", () => {
  it("lists exported signatures without bodies, public members under their class", async () => {
    expect(await fileOutline("src/money.ts", MONEY_TS, exported)).toEqual([
      "export function round(amount: number, digits = 2): number",
      "export interface Price",
      "  amount: number",
      "  currency: string",
      'export type Currency = "EUR" | "USD";',
      "export class Ledger<T> extends Base implements Book",
      "  readonly entries: T[]",
      "  constructor(private readonly name: string)",
      "  add(entry: T): this",
      "export const convert = async (price: Price, to: Currency): Promise<Price> =>",
      "export const DEFAULT_CURRENCY: Currency",
      "export enum Mode { Fast, Exact }",
      'export { rates } from "./rates.js";',
      "export default Ledger;",
    ]);
  });

  it("lists private declarations too for the file being edited", async () => {
    const outline = await fileOutline("src/money.ts", MONEY_TS, { exportedOnly: false });
    expect(outline).toContain("function helper(): void");
  });

  it("reads JavaScript and JSX with the same compiler", async () => {
    const outline = await fileOutline(
      "web/App.jsx",
      "export function App({ title }) {\n  return <h1>{title}</h1>;\n}\n",
      exported,
    );
    expect(outline).toEqual(["export function App({ title })"]);
  });
});

describe("other languages' outlines, by their declaration lines", () => {
  it("Python: top-level defs and classes with their methods, private ones left out", async () => {
    const py = `import os

class Cart:
    def __init__(self, items):
        self.items = items

    def total(self,
              discount=0):
        def inner():
            pass
        return 0

    def _secret(self):
        pass

async def fetch(url: str) -> bytes:
    return b""

def _private():
    pass
`;
    expect(await fileOutline("shop/cart.py", py, exported)).toEqual([
      "class Cart",
      "  def __init__(self, items)",
      "  def total(self, discount=0)",
      "async def fetch(url: str) -> bytes",
    ]);
  });

  it("Go: exported funcs, methods and types", async () => {
    const go = `package cart

type Cart struct {
\titems []Item
}

func (c *Cart) Total() int {
\treturn 0
}

func helper() {}

func New(items []Item) *Cart {
\treturn &Cart{items}
}
`;
    expect(await fileOutline("cart/cart.go", go, exported)).toEqual([
      "type Cart struct",
      "func (c *Cart) Total() int",
      "func New(items []Item) *Cart",
    ]);
  });

  it("Rust: pub items and impl blocks", async () => {
    const rs = `pub struct Cache {
    entries: Vec<u8>,
}

impl Cache {
    pub fn len(&self) -> usize {
        0
    }
    fn private(&self) {}
}

fn helper() {}
`;
    expect(await fileOutline("src/lib.rs", rs, exported)).toEqual([
      "pub struct Cache",
      "impl Cache",
      "  pub fn len(&self) -> usize",
    ]);
  });

  it("Java: public classes and methods", async () => {
    const java = `package shop;

public class Cart {
    private int count;
    public int total(int discount) {
        return 0;
    }
    private void secret() {}
}
`;
    expect(await fileOutline("src/Cart.java", java, exported)).toEqual([
      "public class Cart",
      "  public int total(int discount)",
    ]);
  });
});

describe("the repository map", () => {
  const files = [
    { path: "src/money.ts", content: MONEY_TS },
    { path: "shop/cart.py", content: "def total(items):\n    return 0\n" },
  ];

  it("gives each file its path and its signatures, in the order given", async () => {
    const map = await repositoryMap(files, { maxTokens: 1000, estimateTokens });
    expect(map).toContain(
      "src/money.ts\n  export function round(amount: number, digits = 2): number\n",
    );
    expect(map.endsWith("shop/cart.py\n  def total(items)")).toBe(true);
  });

  it("stays within its token budget, counting what it leaves out", async () => {
    const map = await repositoryMap(files, { maxTokens: 60, estimateTokens });
    expect(estimateTokens(map)).toBeLessThanOrEqual(60 + 20);
    expect(map).toMatch(/… \d+ more not shown/);
    expect(map).toContain("(not shown, over the map's budget: shop/cart.py)");
  });

  it("leaves out files with nothing to show", async () => {
    const map = await repositoryMap([{ path: "README.md", content: "# Hello\n" }], {
      maxTokens: 100,
      estimateTokens,
    });
    expect(map).toBe("");
  });
});

describe("a file's imports within the repository", () => {
  const tree = new Set([
    "src/money.ts",
    "src/rates.ts",
    "src/util/index.ts",
    "shop/__init__.py",
    "shop/cart.py",
    "shop/tax.py",
    "src/lib.rs",
    "src/cache.rs",
    "pkg/cart/cart.go",
    "pkg/cart/cart_test.go",
  ]);

  it("resolves relative TypeScript imports, .js specifiers and index files; packages are skipped", async () => {
    const content = `import { rates } from "./rates.js";\nimport * as util from "./util";\nimport { z } from "zod";\n`;
    expect(await localImports("src/money.ts", content, tree)).toEqual([
      "src/rates.ts",
      "src/util/index.ts",
    ]);
  });

  it("resolves Python relative and absolute modules", async () => {
    const content = "from . import tax\nimport shop.cart\nimport os\n";
    expect(await localImports("shop/checkout.py", content, tree)).toEqual([
      "shop/__init__.py",
      "shop/tax.py",
      "shop/cart.py",
    ]);
  });

  it("resolves Rust modules and Go packages", async () => {
    expect(await localImports("src/lib.rs", "mod cache;\nuse std::fmt;\n", tree)).toEqual([
      "src/cache.rs",
    ]);
    const go = 'package main\n\nimport (\n\t"fmt"\n\t"example.com/shop/pkg/cart"\n)\n';
    expect(await localImports("cmd/main.go", go, tree)).toEqual(["pkg/cart/cart.go"]);
  });
});
