// Reading an edit a model wrote as plain text: a few sentences of reasoning, then a fenced whole
// file or SEARCH/REPLACE blocks, each under its path. Code never travels inside JSON (aider found
// JSON-wrapped code scores lower on every model), so nothing in it is escaped.
import { fenced } from "./fence.js";
import { scanFences, type FoundFence } from "./fenced-file-text.js";
import type { SearchReplaceBlock } from "./search-replace-block.js";
import {
  hasBlockMarker,
  renderSearchReplaceBlock,
  scanSearchReplace,
} from "./search-replace-text.js";

/** Longest reasoning kept; it is for logs and the pull request, not for the file. */
const MAX_REASONING_CHARS = 2000;
const MAX_PATH_CHARS = 400;

export type ParsedEdit =
  | {
      kind: "whole_file";
      reasoning: string;
      /** The path the reply wrote above the file, or undefined when it wrote none. */
      path: string | undefined;
      content: string;
    }
  | {
      kind: "blocks";
      reasoning: string;
      /** The paths the reply wrote above its blocks, each once, in order. */
      paths: string[];
      blocks: SearchReplaceBlock[];
    };

export type EditTextFailureReason = "no_edit" | "unterminated" | "malformed";

export type EditTextResult =
  { ok: true; edit: ParsedEdit } | { ok: false; reason: EditTextFailureReason; message: string };

/**
 * The edit in a reply. SEARCH/REPLACE blocks win when there are any; otherwise the fenced file
 * (the one under `expectedPath` where several fences stand, else the longest). A path line that
 * names only the file's base name counts as the expected path; another path is reported as
 * written, for the caller to refuse.
 */
export function parseEditText(text: string, expectedPath: string): EditTextResult {
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  return hasBlockMarker(lines)
    ? parseBlocks(lines, expectedPath)
    : parseWholeFile(lines, expectedPath);
}

function parseBlocks(lines: string[], expectedPath: string): EditTextResult {
  const scan = scanSearchReplace(lines);
  if (!scan.ok) return scan;
  if (scan.blocks.length === 0) return noEdit();
  const paths: string[] = [];
  let editStarts = scan.blocks[0]!.markerLine;
  for (const [index, found] of scan.blocks.entries()) {
    const above = pathAbove(lines, found.markerLine, expectedPath);
    if (above.path !== undefined && !paths.includes(above.path)) paths.push(above.path);
    if (index === 0) editStarts = above.from;
  }
  return {
    ok: true,
    edit: {
      kind: "blocks",
      reasoning: reasoningBefore(lines, editStarts),
      paths,
      blocks: scan.blocks.map((found) => found.block),
    },
  };
}

function parseWholeFile(lines: string[], expectedPath: string): EditTextResult {
  const fences = scanFences(lines).filter((fence) => fence.body.some((line) => line.trim() !== ""));
  const open = fences.find((fence) => fence.end === undefined);
  if (open) {
    return {
      ok: false,
      reason: "unterminated",
      message: `the reply stops inside the fenced file (opened on line ${open.start + 1}), before its closing fence`,
    };
  }
  const named = fences.map((fence) => ({ fence, ...fencePath(lines, fence, expectedPath) }));
  const chosen =
    named.filter((entry) => entry.path === expectedPath).at(-1) ??
    longest(named.filter((entry) => entry.path === undefined)) ??
    named[0];
  if (chosen === undefined) return noEdit();
  return {
    ok: true,
    edit: {
      kind: "whole_file",
      reasoning: reasoningBefore(lines, chosen.from),
      path: chosen.path,
      content: chosen.fence.body.length === 0 ? "" : `${chosen.fence.body.join("\n")}\n`,
    },
  };
}

function longest<T extends { fence: FoundFence }>(entries: T[]): T | undefined {
  return entries.reduce<T | undefined>(
    (best, entry) => (best && best.fence.body.length >= entry.fence.body.length ? best : entry),
    undefined,
  );
}

/** A fence's path: in its info string ("```ts src/a.ts"), else on the line above it. */
function fencePath(
  lines: readonly string[],
  fence: FoundFence,
  expectedPath: string,
): { path: string | undefined; from: number } {
  for (const token of fence.info.split(/\s+/)) {
    const path = pathOnLine(token.replace(/^(path|file)=/i, ""), expectedPath);
    if (path !== undefined) return { path, from: fence.start };
  }
  const above = previousNonBlank(lines, fence.start);
  const path = above === undefined ? undefined : pathOnLine(lines[above]!, expectedPath);
  return path === undefined ? { path, from: fence.start } : { path, from: above! };
}

/** The path written above a block: on the line before it, or before a fence the block sits in. */
function pathAbove(
  lines: readonly string[],
  markerLine: number,
  expectedPath: string,
): { path: string | undefined; from: number } {
  let line = previousNonBlank(lines, markerLine);
  if (line === undefined) return { path: undefined, from: markerLine };
  const fence = /^[ \t]*(`{3,}|~{3,})(.*)$/.exec(lines[line]!);
  if (fence) {
    const inInfo = fence[2]!
      .trim()
      .split(/\s+/)
      .map((token) => pathOnLine(token, expectedPath))
      .find((path) => path !== undefined);
    if (inInfo !== undefined) return { path: inInfo, from: line };
    const fenceLine = line;
    line = previousNonBlank(lines, line);
    if (line === undefined) return { path: undefined, from: fenceLine };
    const path = pathOnLine(lines[line]!, expectedPath);
    return path === undefined ? { path, from: fenceLine } : { path, from: line };
  }
  const path = pathOnLine(lines[line]!, expectedPath);
  return path === undefined ? { path, from: markerLine } : { path, from: line };
}

function previousNonBlank(lines: readonly string[], before: number): number | undefined {
  for (let index = before - 1; index >= 0; index -= 1) {
    if (lines[index]!.trim() !== "") return index;
  }
  return undefined;
}

/**
 * The path a line names when the line is nothing but a path, perhaps dressed as Markdown
 * ("### `src/a.ts`", "**File:** src/a.ts:"). A sentence is never a path.
 */
export function pathOnLine(line: string, expectedPath: string): string | undefined {
  let text = line.trim();
  for (let round = 0; round < 3; round += 1) {
    text = text
      .replace(/^#{1,6}[ \t]+/, "")
      .replace(/^(?:[-*+]|\d+[.)])[ \t]+/, "")
      .replace(/^(\*\*|__|\*|_|`)(.*)\1$/, "$2")
      .replace(/^(?:\*\*)?(?:file(?:name)?|path)(?:\*\*)?[ \t]*[:=][ \t]*(?:\*\*)?[ \t]*/i, "")
      .replace(/:$/, "")
      .trim();
  }
  if (text === expectedPath) return expectedPath;
  if (text === "" || text.length > MAX_PATH_CHARS || !/^[\w.@+~\-/[\]()]+$/.test(text)) {
    return undefined;
  }
  if (text === baseName(expectedPath) || `./${expectedPath}` === text) return expectedPath;
  return text.includes("/") || /[\w-]\.[A-Za-z0-9]+$/.test(text) ? text : undefined;
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

function reasoningBefore(lines: readonly string[], end: number): string {
  const text = lines.slice(0, end).join("\n").trim();
  return text.length > MAX_REASONING_CHARS ? `${text.slice(0, MAX_REASONING_CHARS - 1)}…` : text;
}

function noEdit(): EditTextResult {
  return {
    ok: false,
    reason: "no_edit",
    message: "the reply holds neither a fenced file nor SEARCH/REPLACE blocks",
  };
}

/** The info string for a file's fence: its extension, which Markdown renderers read as a language. */
export function fenceLanguage(path: string): string {
  const extension = /\.([A-Za-z0-9+#-]{1,12})$/.exec(path)?.[1];
  return extension?.toLowerCase() ?? "";
}

/** A whole file as the Editor asks a model to write it: reasoning, the path, the fenced file. */
export function renderWholeFileText(path: string, content: string, reasoning: string): string {
  return `${reasoning.trim()}\n\n${path}\n${fenced(content, fenceLanguage(path))}\n`;
}

/** Blocks as the Editor asks a model to write them: reasoning, the path, one block per place. */
export function renderBlocksText(
  path: string,
  blocks: readonly SearchReplaceBlock[],
  reasoning: string,
): string {
  return `${reasoning.trim()}\n\n${path}\n${blocks.map(renderSearchReplaceBlock).join("\n\n")}\n`;
}
