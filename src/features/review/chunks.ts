// Splits the reviewable diff into chunks that each fit one model call, every hunk in exactly one.
import {
  fileHeading,
  hunkHeading,
  numberedLine,
  surroundingLine,
  surroundingLines,
} from "./chunk-text.js";
import { ReviewBudgetTooSmallError } from "./errors.js";
import type { FileDiff, Hunk } from "../../github/pull-request-patch.js";

/** Lines `from` (inclusive) to `to` (exclusive) of one hunk; a whole hunk unless it was split. */
export interface ChunkPart {
  path: string;
  hunk: number;
  from: number;
  to: number;
}

export interface ReviewChunk {
  /** Position among the chunks, from 0. */
  index: number;
  /** Files this chunk shows (all or some of their hunks), in order. */
  paths: string[];
  parts: ChunkPart[];
  /** The numbered diff the model reads. */
  text: string;
  estimatedTokens: number;
}

/** Something left out past a cap or after a failed model call; never dropped silently. */
export interface NotReviewed {
  path: string;
  reason: string;
  /** Hunk positions (from 0) left out; absent when the whole file was. */
  hunks?: number[];
}

export interface ChunkPlan {
  chunks: ReviewChunk[];
  notReviewed: NotReviewed[];
}

export interface ChunkingOptions {
  /** Tokens the diff text of one call may use: the prompt budget minus the prompt around it. */
  budget: number;
  estimateTokens: (text: string) => number;
  maxChunks: number;
  maxFiles: number;
  /** Head-file lines to show around a hunk where it fits. */
  contextLines: number;
  /** The head version of a file as lines, where the caller has it. */
  headLines?: (path: string) => readonly string[] | undefined;
}

interface Block {
  file: FileDiff;
  part: ChunkPart;
  text: string;
  tokens: number;
}

const wholePart = (file: FileDiff, hunk: Hunk): ChunkPart => ({
  path: file.path,
  hunk: hunk.index,
  from: 0,
  to: hunk.lines.length,
});

const joinLines = (lines: readonly string[]): string => lines.map((line) => `${line}\n`).join("");

/** A hunk too long for one call, cut at line boundaries into ranges that do not overlap. */
function splitHunk(file: FileDiff, hunk: Hunk, room: number, options: ChunkingOptions): Block[] {
  const estimate = options.estimateTokens;
  const shown = hunk.lines.map(numberedLine);
  const headingCost = estimate(`${hunkHeading(hunk, { index: 99_999, count: 99_999 })}\n`);
  const ranges: { from: number; to: number }[] = [];
  let from = 0;
  let used = headingCost;
  shown.forEach((line, index) => {
    const cost = estimate(`${line}\n`);
    if (headingCost + cost > room) throw new ReviewBudgetTooSmallError(room, headingCost + cost);
    if (used + cost > room) {
      ranges.push({ from, to: index });
      from = index;
      used = headingCost;
    }
    used += cost;
  });
  ranges.push({ from, to: shown.length });
  return ranges.map(({ from: start, to }, index) => {
    const text = joinLines([
      hunkHeading(hunk, { index, count: ranges.length }),
      ...shown.slice(start, to),
    ]);
    return {
      file,
      part: { path: file.path, hunk: hunk.index, from: start, to },
      text,
      tokens: estimate(text),
    };
  });
}

function hunkBlocks(
  file: FileDiff,
  hunk: Hunk,
  room: number,
  head: readonly string[] | undefined,
  options: ChunkingOptions,
): Block[] {
  const shown = hunk.lines.map(numberedLine);
  const around = surroundingLines(hunk, head, options.contextLines);
  const candidates = [
    [...around.before.map(surroundingLine), ...shown, ...around.after.map(surroundingLine)],
    shown,
  ];
  for (const lines of candidates) {
    const text = joinLines([hunkHeading(hunk), ...lines]);
    const tokens = options.estimateTokens(text);
    if (tokens <= room) return [{ file, part: wholePart(file, hunk), text, tokens }];
  }
  return splitHunk(file, hunk, room, options);
}

const headingText = (file: FileDiff): string => `${fileHeading(file)}\n`;

/** Fills chunks in file order: a file whole where it fits, else at hunk boundaries. */
function pack(files: readonly FileDiff[], options: ChunkingOptions): Block[][] {
  const { budget, estimateTokens } = options;
  const chunks: Block[][] = [];
  let current: Block[] = [];
  let used = 0;
  const flush = (): void => {
    if (current.length > 0) chunks.push(current);
    current = [];
    used = 0;
  };
  for (const file of files) {
    // The blank line that separates files is counted with the heading.
    const headingTokens = estimateTokens(`\n${headingText(file)}`);
    const head = options.contextLines > 0 ? options.headLines?.(file.path) : undefined;
    const blocks = file.hunks.flatMap((hunk) =>
      hunkBlocks(file, hunk, budget - headingTokens, head, options),
    );
    const whole = headingTokens + blocks.reduce((sum, block) => sum + block.tokens, 0);
    if (whole > budget - used && whole <= budget) flush();
    for (const block of blocks) {
      const opensFile = current[current.length - 1]?.file !== file;
      if (block.tokens + (opensFile ? headingTokens : 0) > budget - used) flush();
      used += block.tokens + (current[current.length - 1]?.file !== file ? headingTokens : 0);
      current.push(block);
    }
  }
  flush();
  return chunks;
}

function renderText(blocks: readonly Block[]): string {
  const sections: string[] = [];
  let previous: FileDiff | undefined;
  for (const block of blocks) {
    if (block.file !== previous) sections.push(headingText(block.file));
    sections[sections.length - 1] += block.text;
    previous = block.file;
  }
  return sections.join("\n");
}

/** The estimate of a whole chunk may exceed the sum of its parts; halve until each fits. */
function fitted(
  blocks: Block[],
  options: ChunkingOptions,
): { blocks: Block[]; text: string; tokens: number }[] {
  const text = renderText(blocks);
  const tokens = options.estimateTokens(text);
  if (tokens <= options.budget) return [{ blocks, text, tokens }];
  if (blocks.length === 1) throw new ReviewBudgetTooSmallError(options.budget, tokens);
  const middle = Math.ceil(blocks.length / 2);
  return [...fitted(blocks.slice(0, middle), options), ...fitted(blocks.slice(middle), options)];
}

function leftOut(
  parts: readonly ChunkPart[],
  reviewed: ReadonlySet<string>,
  reason: string,
): NotReviewed[] {
  const byPath = new Map<string, Set<number>>();
  for (const part of parts) {
    const hunks = byPath.get(part.path) ?? new Set<number>();
    hunks.add(part.hunk);
    byPath.set(part.path, hunks);
  }
  return [...byPath].map(([path, hunks]) =>
    reviewed.has(path)
      ? { path, reason, hunks: [...hunks].sort((a, b) => a - b) }
      : { path, reason },
  );
}

/**
 * Chunks for the reviewable files: every hunk of the first `maxFiles` files in exactly one chunk
 * of the first `maxChunks`; whatever lies past either cap comes back as not reviewed, with why.
 */
export function planChunks(files: readonly FileDiff[], options: ChunkingOptions): ChunkPlan {
  const kept = files.slice(0, options.maxFiles);
  const fittedChunks = pack(kept, options).flatMap((blocks) => fitted(blocks, options));
  const chunks: ReviewChunk[] = fittedChunks.slice(0, options.maxChunks).map((chunk, index) => ({
    index,
    paths: [...new Set(chunk.blocks.map((block) => block.part.path))],
    parts: chunk.blocks.map((block) => block.part),
    text: chunk.text,
    estimatedTokens: chunk.tokens,
  }));
  const reviewedPaths = new Set(chunks.flatMap((chunk) => chunk.paths));
  const pastChunkCap = fittedChunks
    .slice(options.maxChunks)
    .flatMap((chunk) => chunk.blocks.map((b) => b.part));
  const notReviewed = [
    ...leftOut(
      pastChunkCap,
      reviewedPaths,
      `past the limit of ${options.maxChunks} model calls per review`,
    ),
    ...files.slice(options.maxFiles).map((file) => ({
      path: file.path,
      reason: `past the limit of ${options.maxFiles} files per review (review.max_files)`,
    })),
  ];
  return { chunks, notReviewed };
}
