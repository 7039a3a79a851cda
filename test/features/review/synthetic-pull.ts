// A generated pull request of any size, with real hunk arithmetic and the head files it implies.
import type { PullFile } from "../../../src/github/pull-request-patch.js";

export interface SyntheticPullOptions {
  files: number;
  /** Added plus removed lines over all files, exactly. */
  changedLines: number;
  seed?: number;
  /** Changed lines of the one file whose single hunk is far larger than any context. */
  giantHunkLines?: number;
}

export interface SyntheticPull {
  files: PullFile[];
  headLines: (path: string) => string[] | undefined;
}

/** Deterministic, so tests and benchmark runs see the same pull request. */
function random(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

const WORDS = [
  "user",
  "order",
  "total",
  "cache",
  "retry",
  "token",
  "limit",
  "queue",
  "event",
  "price",
];

function codeLine(next: () => number, n: number): string {
  const word = WORDS[Math.floor(next() * WORDS.length)] ?? "value";
  const indent = "  ".repeat(1 + Math.floor(next() * 3));
  return `${indent}const ${word}${n} = compute${word[0]!.toUpperCase()}${word.slice(1)}(${word}, ${n}, "${word}-${n}");`;
}

function splitBudget(total: number, parts: number, next: () => number): number[] {
  const weights = Array.from({ length: parts }, () => 0.2 + next());
  const sum = weights.reduce((a, b) => a + b, 0);
  const shares = weights.map((weight) => Math.max(1, Math.floor((weight / sum) * total)));
  let rest = total - shares.reduce((a, b) => a + b, 0);
  for (let i = 0; rest !== 0; i = (i + 1) % parts) {
    const step = rest > 0 ? 1 : shares[i]! > 1 ? -1 : 0;
    shares[i] = shares[i]! + step;
    rest -= step;
  }
  return shares;
}

interface BuiltFile {
  patch: string;
  head: string[];
  additions: number;
  deletions: number;
}

function buildFile(changed: number, maxHunk: number, next: () => number): BuiltFile {
  const hunkSizes: number[] = [];
  for (let left = changed; left > 0;) {
    const size = Math.min(left, 1 + Math.floor(next() * maxHunk));
    hunkSizes.push(size);
    left -= size;
  }
  const head: string[] = [];
  const patch: string[] = [];
  let oldLine = 1;
  let additions = 0;
  let deletions = 0;
  for (const [h, size] of hunkSizes.entries()) {
    for (let gap = 4 + Math.floor(next() * 30); gap > 0; gap--) {
      head.push(codeLine(next, head.length + 1));
      oldLine++;
    }
    const removed = Math.floor(size * 0.3);
    const added = size - removed;
    const body: string[] = [];
    const context = (): void => {
      const line = codeLine(next, head.length + 1);
      head.push(line);
      body.push(` ${line}`);
    };
    const oldStart = oldLine;
    const newStart = head.length + 1;
    for (let i = 0; i < 3; i++) context();
    for (let i = 0; i < removed; i++) body.push(`-${codeLine(next, 90_000 + i)}`);
    for (let i = 0; i < added; i++) {
      const line = codeLine(next, head.length + 1);
      head.push(line);
      body.push(`+${line}`);
    }
    for (let i = 0; i < 3; i++) context();
    oldLine += 6 + removed;
    additions += added;
    deletions += removed;
    patch.push(
      `@@ -${oldStart},${6 + removed} +${newStart},${6 + added} @@ function step${h}() {`,
      ...body,
    );
  }
  for (let tail = 5; tail > 0; tail--) head.push(codeLine(next, head.length + 1));
  return { patch: patch.join("\n"), head, additions, deletions };
}

/** `files` modified TypeScript files sharing `changedLines`, the first holding the giant hunk if asked. */
export function syntheticPull(options: SyntheticPullOptions): SyntheticPull {
  const next = random(options.seed ?? 42);
  const giant = options.giantHunkLines ?? 0;
  const budgets = splitBudget(options.changedLines - giant, options.files, next);
  if (giant > 0) budgets[0] = budgets[0]! + giant;
  const heads = new Map<string, string[]>();
  const files = budgets.map((changed, index): PullFile => {
    const filename = `src/module-${Math.floor(index / 10)}/file-${index}.ts`;
    const built = buildFile(changed, index === 0 && giant > 0 ? changed : 60, next);
    heads.set(filename, built.head);
    return {
      filename,
      status: "modified",
      additions: built.additions,
      deletions: built.deletions,
      changes: built.additions + built.deletions,
      patch: built.patch,
    };
  });
  return { files, headLines: (path) => heads.get(path) };
}
