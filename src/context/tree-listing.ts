// The file tree as prompt text: every path when it fits, otherwise deep folders summarised.
import { cutToTokens, type EstimateTokens } from "./budget.js";
import type { ListedFiles } from "./tree.js";

const MAX_RELEVANT_PATHS = 200;
/** Share of the listing kept for files whose names match the issue, when the tree is summarised. */
const RELEVANT_SHARE = 0.3;

/**
 * Lists the files within a token allowance. A large tree is summarised by folder, deepest levels
 * first, and the files whose names match the issue's words are still listed by name. Renderings
 * are remembered, since budgets are fitted in several passes over one (possibly huge) tree.
 */
export class TreeListing {
  private readonly header: string;
  private full?: { text: string; tokens: number };
  private relevant?: string;
  private split?: string[][];
  private deepest?: number;
  private readonly byDepth = new Map<number, string>();

  constructor(
    private readonly files: ListedFiles,
    private readonly estimate: EstimateTokens,
    private readonly keywords: readonly string[] = [],
  ) {
    this.header = treeHeader(files);
  }

  render(maxTokens: number): string {
    this.full ??= this.measure(`${this.header}${this.files.paths.join("\n")}\n`);
    if (this.full.tokens <= maxTokens) return this.full.text;
    const room = maxTokens - this.estimate(this.header);
    if (room <= 0) return "";
    this.relevant ??= relevantBlock(this.files.paths, this.keywords);
    const relevant = cutWholeLines(this.relevant, Math.floor(room * RELEVANT_SHARE), this.estimate);
    return this.header + relevant + this.summarised(room - this.estimate(relevant));
  }

  /** The shallowest summary that fits: files down to depth `d`, deeper folders as counts. */
  private summarised(maxTokens: number): string {
    const paths = this.files.paths;
    this.deepest ??= paths.reduce((max, p) => Math.max(max, depthOf(p)), 0);
    let text = "";
    for (let depth = this.deepest - 1; depth >= 0; depth -= 1) {
      let summary = this.byDepth.get(depth);
      if (summary === undefined) {
        this.split ??= paths.map((path) => path.split("/"));
        summary = summaryAtDepth(this.split, depth);
        this.byDepth.set(depth, summary);
      }
      text = `Files nested deeper than ${depth} folder(s) are counted per folder:\n${summary}`;
      if (this.estimate(text) <= maxTokens) return text;
    }
    return cutLines(text || `${paths.join("\n")}\n`, maxTokens, this.estimate);
  }

  private measure(text: string): { text: string; tokens: number } {
    return { text, tokens: this.estimate(text) };
  }
}

function treeHeader(files: ListedFiles): string {
  const notes = [`${files.paths.length.toLocaleString("en-US")} files`];
  if (files.leftOut > 0) {
    notes.push(
      `${files.leftOut.toLocaleString("en-US")} vendored, generated, binary, lock or ignored files not shown`,
    );
  }
  if (files.truncated) {
    notes.push("GitHub truncated the tree listing, so some files are missing from it");
  }
  return `Repository files (${notes.join("; ")}):\n`;
}

/** Words from the issue that may name files: lower case, four letters or more, most frequent first. */
export function issueKeywords(text: string, limit = 30): string[] {
  const counts = new Map<string, number>();
  for (const word of text.toLowerCase().match(/[a-z][a-z0-9_-]{3,40}/g) ?? []) {
    if (STOP_WORDS.has(word)) continue;
    counts.set(word, (counts.get(word) ?? 0) + 1);
  }
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, limit)
    .map(([word]) => word);
}

/** Words of an issue that never point at a file: English filler and the words of any issue. */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  "that this with from have should would could when then than there their they them what which " +
    "while where were will your about after before into only also some more most other such each " +
    "does done make made just like need needs want wants able file files code issue issues please " +
    "thanks using used user users http https github com www true false null none".split(" "),
);

function relevantBlock(paths: readonly string[], keywords: readonly string[]): string {
  if (keywords.length === 0) return "";
  const matches: string[] = [];
  for (const path of paths) {
    const name = path.slice(path.lastIndexOf("/") + 1).toLowerCase();
    const stem = name.includes(".") ? name.slice(0, name.indexOf(".")) : name;
    if (stem.length >= 3 && keywords.some((k) => stem.includes(k) || k.includes(stem))) {
      matches.push(path);
      if (matches.length >= MAX_RELEVANT_PATHS) break;
    }
  }
  return matches.length === 0
    ? ""
    : `Files whose names match the issue:\n${matches.join("\n")}\n\n`;
}

/** The block's first lines within the budget, still ending in a blank line. */
function cutWholeLines(block: string, maxTokens: number, estimate: EstimateTokens): string {
  if (block === "" || estimate(block) <= maxTokens) return block;
  const cut = cutToTokens(block, maxTokens - 1, estimate);
  const whole = cut.slice(0, cut.lastIndexOf("\n") + 1);
  return whole.includes("\n") && whole.split("\n").length > 2 ? `${whole}\n` : "";
}

function depthOf(path: string): number {
  let depth = 0;
  for (let at = path.indexOf("/"); at >= 0; at = path.indexOf("/", at + 1)) depth += 1;
  return depth;
}

function summaryAtDepth(split: readonly string[][], depth: number): string {
  const lines: string[] = [];
  let folder: string | undefined;
  let count = 0;
  let extensions = new Map<string, number>();
  const flush = (): void => {
    if (folder === undefined) return;
    const top = [...extensions.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 3)
      .map(([ext, n]) => `${ext} ${n}`)
      .join(", ");
    lines.push(`${folder}/ (${count} files${top ? `: ${top}` : ""})`);
    folder = undefined;
  };
  for (const parts of split) {
    if (parts.length - 1 <= depth) {
      flush();
      lines.push(parts.join("/"));
      continue;
    }
    const prefix = parts.slice(0, depth + 1).join("/");
    if (prefix !== folder) {
      flush();
      folder = prefix;
      count = 0;
      extensions = new Map();
    }
    count += 1;
    const name = parts[parts.length - 1] ?? "";
    const ext = name.includes(".") ? name.slice(name.lastIndexOf(".")) : "(none)";
    extensions.set(ext, (extensions.get(ext) ?? 0) + 1);
  }
  flush();
  return `${lines.join("\n")}\n`;
}

/** Whole lines within the budget, and how many were left out. */
function cutLines(text: string, maxTokens: number, estimate: EstimateTokens): string {
  const total = text.split("\n").length;
  const note = (n: number): string => `[… ${n.toLocaleString("en-US")} more lines not shown]\n`;
  const room = maxTokens - estimate(note(total));
  if (room <= 0) return "";
  const kept = cutToTokens(text, room, estimate);
  const whole = kept.slice(0, kept.lastIndexOf("\n") + 1);
  const shown = whole.split("\n").length - 1;
  return whole + note(total - shown);
}
