// Applies a model's search/replace blocks by code: to the one place the search text identifies, or not at all.
import { diffArrays } from "diff";
import type { SearchReplaceBlock } from "./search-replace-block.js";
import { closestCandidates, type Candidate } from "./candidates.js";
import { opensWithFence, stripMarkdownFence } from "./fence.js";
import { findExact, findLooseLines, looseKey, trimBlankLines } from "./locate.js";
import {
  indentsWithTabs,
  indentUnit,
  leadingWhitespace,
  makeReindent,
  type IndentPair,
} from "./reindent.js";
import {
  dominantLineEnding,
  joinLines,
  lineNumberAt,
  lineTexts,
  splitLines,
  withLineEndings,
  type TextLine,
} from "./text-lines.js";

/** How a block found its place: the text as sent, or line by line with whitespace drift forgiven. */
export type MatchKind = "exact" | "whitespace";

export type BlockFailureReason = "no_match" | "ambiguous" | "empty_search";

export interface AppliedBlock {
  /** 1-based position of the block in the reply. */
  block: number;
  match: MatchKind;
  /** Lines of the file (before this block) that were replaced, 1-based and inclusive. */
  startLine: number;
  endLine: number;
  /** Whether a Markdown fence around the search or replacement was dropped. */
  unfenced: boolean;
}

export interface BlockFailure {
  block: number;
  reason: BlockFailureReason;
  /** A sentence for the model's next attempt and for the pull request body. */
  message: string;
  /** For `ambiguous`: every place that matched; for `no_match`: the closest look-alikes. */
  candidates: Candidate[];
}

export type ApplyResult =
  { ok: true; content: string; blocks: AppliedBlock[] } | { ok: false; failure: BlockFailure };

export interface ApplyOptions {
  /** Columns a tab counts for when comparing indentation; default 4. */
  tabWidth?: number;
}

/**
 * Applies the blocks in order, each to the content the previous one left. All or nothing: the
 * first block that does not identify exactly one place stops the edit, and nothing is written.
 */
export function applySearchReplace(
  original: string,
  blocks: readonly SearchReplaceBlock[],
  options: ApplyOptions = {},
): ApplyResult {
  let content = original;
  const applied: AppliedBlock[] = [];
  for (const [index, block] of blocks.entries()) {
    const result = applyBlock(content, block, index + 1, options.tabWidth ?? 4);
    if (!result.ok) return result;
    content = result.content;
    applied.push(result.applied);
  }
  return { ok: true, content, blocks: applied };
}

type Place =
  | { kind: "exact"; offset: number }
  | { kind: "lines"; start: number; searchLines: string[]; leading: number; trailing: number }
  | { kind: "ambiguous"; places: Candidate[] }
  | { kind: "none" };

type BlockResult =
  { ok: true; content: string; applied: AppliedBlock } | { ok: false; failure: BlockFailure };

function applyBlock(
  content: string,
  block: SearchReplaceBlock,
  number: number,
  tabWidth: number,
): BlockResult {
  if (block.search.trim() === "") return applyToEmptyFile(content, block, number);
  let search = block.search;
  let unfenced = false;
  let place = locate(content, search);
  const bare = stripMarkdownFence(search);
  if (place.kind === "none" && bare.unfenced && bare.text.trim() !== "") {
    search = bare.text;
    unfenced = true;
    place = locate(content, search);
  }
  let replace = block.replace;
  const oneLine = oneLineSearch(content, search, replace, place);
  if (oneLine) ({ search, replace, place } = oneLine);
  // A fence around the replacement is the model's wrapping unless the replaced text is itself fenced.
  const bareReplace = stripMarkdownFence(replace);
  if (bareReplace.unfenced && !opensWithFence(search)) {
    replace = bareReplace.text;
    unfenced = true;
  }
  switch (place.kind) {
    case "none":
      return noMatch(content, search, number);
    case "ambiguous":
      return ambiguous(place.places, number);
    case "exact": {
      const startLine = lineNumberAt(content, place.offset);
      const endLine = lineNumberAt(
        content,
        place.offset + Math.max(0, search.trimEnd().length - 1),
      );
      return {
        ok: true,
        content: spliceExact(content, place.offset, search, replace),
        applied: { block: number, match: "exact", startLine, endLine, unfenced },
      };
    }
    case "lines":
      return {
        ok: true,
        content: spliceLines(content, place, replace, tabWidth),
        applied: {
          block: number,
          match: "whitespace",
          startLine: place.start + 1,
          endLine: place.start + place.searchLines.length,
          unfenced,
        },
      };
  }
}

function applyToEmptyFile(content: string, block: SearchReplaceBlock, number: number): BlockResult {
  if (content.trim() !== "") {
    return {
      ok: false,
      failure: {
        block: number,
        reason: "empty_search",
        message: `block ${number} has an empty search text; copy the lines to change from the file`,
        candidates: [],
      },
    };
  }
  const replace = stripMarkdownFence(block.replace);
  return {
    ok: true,
    content: replace.text,
    applied: {
      block: number,
      match: "exact",
      startLine: 1,
      endLine: 1,
      unfenced: replace.unfenced,
    },
  };
}

/**
 * A plain-text block is whole lines, so a model that copied only part of a line sends it with a
 * newline the file does not have there. One line is therefore also read as the bare text: where
 * that text stands in several places the block is ambiguous (the model may have meant any of
 * them), and where the whole line matches nowhere the one place of the bare text is taken, the
 * replacement without its newline likewise: "replicas: 2" inside "  replicas: 2  # pinned".
 */
function oneLineSearch(
  content: string,
  search: string,
  replace: string,
  place: Place,
): { search: string; replace: string; place: Place } | undefined {
  if (!search.endsWith("\n") || lineTexts(search).length !== 1) return undefined;
  const bare = search.replace(/\r?\n$/, "");
  if (bare.trim() === "") return undefined;
  const offsets = findExact(content, bare);
  if (offsets.length > 1) {
    const places = offsets.map((at) => placeAt(content, lineNumberAt(content, at), 1));
    return { search, replace, place: { kind: "ambiguous", places } };
  }
  if (place.kind !== "none" || offsets.length === 0) return undefined;
  return { search: bare, replace: replace.replace(/\r?\n$/, ""), place: locate(content, bare) };
}

/**
 * The exact text first; only when it occurs nowhere, whole lines compared with whitespace drift
 * forgiven (then without blank lines at the edges). Whichever rule finds something decides:
 * two places under it are ambiguous, and a looser rule is never asked to break the tie.
 */
function locate(content: string, search: string): Place {
  const offsets = findExact(content, search);
  const [only] = offsets;
  if (offsets.length === 1 && only !== undefined) {
    return wholeLinesWithoutIndent(content, only, search) ?? { kind: "exact", offset: only };
  }
  if (offsets.length > 1) {
    const height = lineTexts(search).length || 1;
    return {
      kind: "ambiguous",
      places: offsets.map((at) => placeAt(content, lineNumberAt(content, at), height)),
    };
  }
  const lines = splitLines(content);
  const searchLines = lineTexts(search);
  const trimmed = trimBlankLines(searchLines);
  const variants = [{ lines: searchLines, leading: 0, trailing: 0 }];
  if (trimmed.leading + trimmed.trailing > 0) variants.push(trimmed);
  for (const variant of variants) {
    const starts = findLooseLines(lines, variant.lines);
    if (starts.length === 1) {
      return { kind: "lines", start: starts[0]!, searchLines: variant.lines, ...edges(variant) };
    }
    if (starts.length > 1) {
      return {
        kind: "ambiguous",
        places: starts.map((start) => placeAt(content, start + 1, variant.lines.length)),
      };
    }
  }
  return { kind: "none" };
}

/**
 * An exact match that starts inside a line's indentation and ends at a line end is whole lines
 * the model sent with less indentation: its added lines must be re-indented, so it is applied
 * line by line rather than spliced in as text.
 */
function wholeLinesWithoutIndent(
  content: string,
  offset: number,
  search: string,
): Place | undefined {
  const lineStart = content.lastIndexOf("\n", offset - 1) + 1;
  if (!/^[ \t]+$/.test(content.slice(lineStart, offset))) return undefined;
  const end = offset + search.length;
  if (!search.endsWith("\n") && !/^(\r?\n|$)/.test(content.slice(end, end + 2))) return undefined;
  const start = lineNumberAt(content, offset) - 1;
  return { kind: "lines", start, searchLines: lineTexts(search), leading: 0, trailing: 0 };
}

function edges(variant: { leading: number; trailing: number }) {
  return { leading: variant.leading, trailing: variant.trailing };
}

function placeAt(content: string, startLine: number, height: number): Candidate {
  const texts = lineTexts(content).slice(startLine - 1, startLine - 1 + height);
  return {
    startLine,
    endLine: startLine + texts.length - 1,
    text: texts.join("\n"),
    similarity: 1,
  };
}

function spliceExact(content: string, offset: number, search: string, replace: string): string {
  const eol = dominantLineEnding(content);
  let text = withLineEndings(replace, eol);
  // The search's final newline decides; a replacement that gains or loses one is a model slip.
  const searchEndsLine = search.endsWith("\n");
  if (text !== "" && searchEndsLine && !text.endsWith("\n")) text += eol;
  if (!searchEndsLine && text.endsWith("\n")) text = text.replace(/\r?\n$/, "");
  return content.slice(0, offset) + text + content.slice(offset + search.length);
}

function spliceLines(
  content: string,
  place: Extract<Place, { kind: "lines" }>,
  replace: string,
  tabWidth: number,
): string {
  const lines = splitLines(content);
  const eol = dominantLineEnding(content);
  const region = lines.slice(place.start, place.start + place.searchLines.length);
  const replaceLines = dropBlankEdges(lineTexts(replace), place.leading, place.trailing);
  const pairs: (IndentPair | undefined)[] = place.searchLines.map((text, i) =>
    text.trim() === ""
      ? undefined
      : { modelIndent: leadingWhitespace(text), fileIndent: leadingWhitespace(region[i]!.text) },
  );
  const fileTexts = lines.map((line) => line.text);
  const fileUsesTabs = indentsWithTabs(fileTexts);
  const reindent = makeReindent({
    pairs: pairs.filter((pair) => pair !== undefined),
    modelUnit: indentUnit([place.searchLines, replaceLines], tabWidth),
    fileUnit: fileUsesTabs ? tabWidth : indentUnit([fileTexts], tabWidth),
    fileUsesTabs,
    tabWidth,
  });
  const out: TextLine[] = [];
  let searchIndex = 0;
  let replaceIndex = 0;
  // Lines the model kept come from the file as they are; only the lines it adds are its own. A line
  // the model kept but moved to another depth (its own indentation changed) counts as added.
  const keep = (text: string) => `${leadingWhitespace(text)}${looseKey(text)}`;
  for (const change of diffArrays(place.searchLines.map(keep), replaceLines.map(keep))) {
    for (let k = 0; k < change.count; k += 1) {
      if (change.added) {
        const anchor = nearestPair(pairs, searchIndex);
        out.push({ text: reindent(replaceLines[replaceIndex]!, anchor), eol });
        replaceIndex += 1;
      } else if (change.removed) {
        searchIndex += 1;
      } else {
        out.push({ ...region[searchIndex]! });
        searchIndex += 1;
        replaceIndex += 1;
      }
    }
  }
  keepLineEndings(out, region, lines, place.start, eol);
  return joinLines([
    ...lines.slice(0, place.start),
    ...out,
    ...lines.slice(place.start + region.length),
  ]);
}

/** The matched line closest before `index` (else after it): what an added line is indented against. */
function nearestPair(pairs: readonly (IndentPair | undefined)[], index: number): IndentPair {
  for (let i = Math.min(index, pairs.length) - 1; i >= 0; i -= 1) if (pairs[i]) return pairs[i]!;
  for (let i = index; i < pairs.length; i += 1) if (pairs[i]) return pairs[i]!;
  return { modelIndent: "", fileIndent: "" };
}

/** Blank lines at the edges of the replacement that mirror blank lines dropped from the search. */
function dropBlankEdges(lines: string[], leading: number, trailing: number): string[] {
  let start = 0;
  let end = lines.length;
  while (start < Math.min(leading, end) && lines[start]!.trim() === "") start += 1;
  while (lines.length - end < trailing && end > start && lines[end - 1]!.trim() === "") end -= 1;
  return lines.slice(start, end);
}

/** The replaced region ends the way it did: with its newline, or without one at the end of the file. */
function keepLineEndings(
  out: TextLine[],
  region: readonly TextLine[],
  lines: TextLine[],
  start: number,
  eol: "\n" | "\r\n",
): void {
  for (const line of out) if (line.eol === "") line.eol = eol;
  const regionEnd = region[region.length - 1]!.eol;
  const last = out[out.length - 1];
  if (last) last.eol = regionEnd;
  else if (regionEnd === "" && start > 0) lines[start - 1] = { ...lines[start - 1]!, eol: "" };
}

function noMatch(content: string, search: string, number: number): BlockResult {
  const candidates = closestCandidates(content, search);
  return {
    ok: false,
    failure: {
      block: number,
      reason: "no_match",
      message:
        `the search text of block ${number} matches nothing in the file, not even with whitespace ignored` +
        (candidates.length > 0 ? "" : ", and nothing in the file looks like it"),
      candidates,
    },
  };
}

function ambiguous(places: Candidate[], number: number): BlockResult {
  const where = places.map((place) => `line ${place.startLine}`).join(", ");
  return {
    ok: false,
    failure: {
      block: number,
      reason: "ambiguous",
      message:
        `the search text of block ${number} matches ${places.length} places (${where}); ` +
        `include enough surrounding lines to match exactly one`,
      candidates: places,
    },
  };
}
