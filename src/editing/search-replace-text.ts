// SEARCH/REPLACE blocks as a model writes them in plain text (aider's format), found line by line.
import type { SearchReplaceBlock } from "./search-replace-block.js";

const SEARCH_MARKER = /^[ \t]*<{5,9}[ \t]*SEARCH[ \t]*:?[ \t]*$/i;
const DIVIDER = /^[ \t]*={5,9}[ \t]*$/;
const REPLACE_MARKER = /^[ \t]*>{5,9}[ \t]*REPLACE[ \t]*:?[ \t]*$/i;

export const SEARCH_LINE = "<<<<<<< SEARCH";
export const DIVIDER_LINE = "=======";
export const REPLACE_LINE = ">>>>>>> REPLACE";

/** One block and the line (0-based) its SEARCH marker is on, so the caller can look above it for a path. */
export interface FoundBlock {
  block: SearchReplaceBlock;
  markerLine: number;
}

export type BlockScan =
  | { ok: true; blocks: FoundBlock[] }
  | { ok: false; reason: "unterminated" | "malformed"; message: string };

/** Whether any line of the reply opens or closes a SEARCH/REPLACE block. */
export function hasBlockMarker(lines: readonly string[]): boolean {
  return lines.some((line) => SEARCH_MARKER.test(line) || REPLACE_MARKER.test(line));
}

/**
 * Every block in order. Lines outside blocks (sentences, path lines, fences around the blocks,
 * text after the last one) are not part of any edit and are skipped. A block is whole lines: its
 * search and replacement each end with a newline unless empty.
 */
export function scanSearchReplace(lines: readonly string[]): BlockScan {
  const blocks: FoundBlock[] = [];
  let state: "outside" | "search" | "replace" = "outside";
  let search: string[] = [];
  let replace: string[] = [];
  let markerLine = 0;
  for (const [index, line] of lines.entries()) {
    const number = blocks.length + 1;
    if (SEARCH_MARKER.test(line)) {
      if (state === "search") {
        return malformed(
          `block ${number} has a second "${SEARCH_LINE}" line before its "${DIVIDER_LINE}"`,
        );
      }
      if (state === "replace") {
        return malformed(
          `block ${number} has no "${REPLACE_LINE}" line before block ${number + 1} starts`,
        );
      }
      state = "search";
      search = [];
      replace = [];
      markerLine = index;
    } else if (state === "search" && DIVIDER.test(line)) {
      state = "replace";
    } else if (state === "replace" && REPLACE_MARKER.test(line)) {
      blocks.push({ block: { search: asLines(search), replace: asLines(replace) }, markerLine });
      state = "outside";
    } else if (state === "outside" && REPLACE_MARKER.test(line)) {
      return malformed(`a "${REPLACE_LINE}" line (line ${index + 1}) closes no block`);
    } else if (state === "search") {
      search.push(line);
    } else if (state === "replace") {
      replace.push(line);
    }
  }
  if (state !== "outside") {
    const missing = state === "search" ? DIVIDER_LINE : REPLACE_LINE;
    return {
      ok: false,
      reason: "unterminated",
      message: `the reply stops inside block ${blocks.length + 1}, before its "${missing}" line`,
    };
  }
  return { ok: true, blocks };
}

/** The block as the model should write it; the search and replacement are written as whole lines. */
export function renderSearchReplaceBlock(block: SearchReplaceBlock): string {
  return `${SEARCH_LINE}\n${asText(block.search)}${DIVIDER_LINE}\n${asText(block.replace)}${REPLACE_LINE}`;
}

function asLines(lines: readonly string[]): string {
  return lines.length === 0 ? "" : `${lines.join("\n")}\n`;
}

function asText(text: string): string {
  return text === "" || text.endsWith("\n") ? text : `${text}\n`;
}

function malformed(message: string): BlockScan {
  return { ok: false, reason: "malformed", message };
}
