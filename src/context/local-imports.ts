// The repository files a file imports, resolved against the tree: relative imports in
// TypeScript/JavaScript (through the compiler's own pre-processor), Python modules, Rust `mod` and
// `use crate::`, Go packages by their directory. Packages from outside the repository are skipped.
import { loadTypeScript } from "../editing/typescript-compiler.js";

const TS_SOURCE = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/i;
const TS_RESOLVE = [".ts", ".tsx", ".d.ts", ".js", ".jsx", ".mjs", ".cjs", ".mts", ".cts"];

/** Paths of the tree the file imports, each once, in the order the file names them. */
export async function localImports(
  path: string,
  content: string,
  tree: ReadonlySet<string>,
): Promise<string[]> {
  const found = TS_SOURCE.test(path)
    ? await typeScriptImports(path, content, tree)
    : /\.py$/i.test(path)
      ? pythonImports(path, content, tree)
      : /\.rs$/i.test(path)
        ? rustImports(path, content, tree)
        : /\.go$/i.test(path)
          ? goImports(path, content, tree)
          : [];
  return [...new Set(found)].filter((imported) => imported !== path);
}

async function typeScriptImports(
  path: string,
  content: string,
  tree: ReadonlySet<string>,
): Promise<string[]> {
  const ts = await loadTypeScript();
  const { importedFiles } = ts.preProcessFile(content, true, true);
  return importedFiles
    .map((file) => file.fileName)
    .filter((specifier) => specifier.startsWith("."))
    .flatMap((specifier) => {
      const base = joinPath(dirName(path), specifier);
      const bare = base.replace(/\.(js|jsx|mjs|cjs)$/i, "");
      const candidates = [
        base,
        ...TS_RESOLVE.map((extension) => `${bare}${extension}`),
        ...TS_RESOLVE.map((extension) => `${base}/index${extension}`),
      ];
      const hit = candidates.find((candidate) => tree.has(candidate));
      return hit === undefined ? [] : [hit];
    });
}

function pythonImports(path: string, content: string, tree: ReadonlySet<string>): string[] {
  const found: string[] = [];
  for (const line of content.split(/\r?\n/)) {
    const from = /^\s*from\s+(\.*)([\w.]*)\s+import\s+([\w, ()]+)/.exec(line);
    const plain = from ? undefined : /^\s*import\s+([\w.]+)/.exec(line);
    if (!from && !plain) continue;
    const dots = from?.[1]?.length ?? 0;
    const module = (from ? from[2]! : plain![1]!).split(".").filter((part) => part !== "");
    let roots: string[];
    if (dots > 0) {
      let dir = dirName(path);
      for (let up = 1; up < dots; up += 1) dir = dirName(dir);
      roots = [dir];
    } else {
      roots = ["", "src"];
    }
    // `from . import name` may name a module as well as a symbol.
    const names = from
      ? from[3]!
          .replace(/[()]/g, "")
          .split(",")
          .map((name) => name.trim())
      : [];
    for (const root of roots) {
      const base = joinPath(root, module.join("/"));
      const candidates = [
        `${base}.py`,
        `${base}/__init__.py`,
        ...names.map((n) => `${base}/${n}.py`),
      ];
      found.push(...candidates.filter((candidate) => tree.has(candidate)));
    }
  }
  return found;
}

function rustImports(path: string, content: string, tree: ReadonlySet<string>): string[] {
  const found: string[] = [];
  const dir = dirName(path);
  const crateRoot = path.includes("src/") ? path.slice(0, path.indexOf("src/") + 3) : dir;
  for (const line of content.split(/\r?\n/)) {
    const mod = /^\s*(?:pub(?:\([^)]*\))?\s+)?mod\s+(\w+)\s*;/.exec(line);
    if (mod) found.push(...[`${dir}/${mod[1]}.rs`, `${dir}/${mod[1]}/mod.rs`].map(clean));
    const use = /^\s*(?:pub\s+)?use\s+crate::([\w:]+)/.exec(line);
    if (use) {
      const parts = use[1]!.split("::");
      for (let length = parts.length; length >= 1; length -= 1) {
        const base = joinPath(crateRoot, parts.slice(0, length).join("/"));
        found.push(`${base}.rs`, `${base}/mod.rs`);
      }
    }
  }
  return found.filter((candidate) => tree.has(candidate));
}

/** A Go import names a package; its directory is the one whose path ends the import path. */
function goImports(path: string, content: string, tree: ReadonlySet<string>): string[] {
  const specifiers = [...content.matchAll(/^\s*(?:import\s+)?(?:\w+\s+)?"([\w./-]+)"\s*$/gm)].map(
    (match) => match[1]!,
  );
  if (specifiers.length === 0) return [];
  const found: string[] = [];
  for (const file of tree) {
    if (!file.endsWith(".go") || file.endsWith("_test.go") || file === path) continue;
    const dir = dirName(file);
    if (
      dir !== "" &&
      specifiers.some((specifier) => specifier.endsWith(`/${dir}`) || specifier === dir)
    ) {
      found.push(file);
    }
  }
  return found.sort();
}

function dirName(path: string): string {
  const slash = path.lastIndexOf("/");
  return slash < 0 ? "" : path.slice(0, slash);
}

/** `a/b` + `../c` = `a/c`; never above the repository root. */
function joinPath(dir: string, relative: string): string {
  const parts = dir === "" ? [] : dir.split("/");
  for (const part of relative.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") parts.pop();
    else parts.push(part);
  }
  return parts.join("/");
}

function clean(path: string): string {
  return joinPath("", path);
}
