// "Did you mean…": the places in a file that look most like a search text that matched nowhere.
import { trimBlankLines } from "./locate.js";
import { lineTexts } from "./text-lines.js";

export interface Candidate {
  /** 1-based, inclusive. */
  startLine: number;
  endLine: number;
  text: string;
  /** 0 (nothing alike) to 1 (equal once whitespace is collapsed). */
  similarity: number;
}

/** Below this a window is not worth showing: it shares fewer than half its character pairs. */
const MIN_SIMILARITY = 0.5;

/**
 * Slides a window as tall as the search text over the file and scores each position with the
 * Sørensen–Dice coefficient of character bigrams (2·|shared pairs| / (|pairs a| + |pairs b|)) on
 * whitespace-collapsed text. It is cheap, symmetric, ignores indentation and rewards the same
 * identifiers in the same order, which is what a stale or misremembered search text looks like.
 */
export function closestCandidates(content: string, search: string, max = 2): Candidate[] {
  const lines = lineTexts(content);
  const wanted = trimBlankLines(lineTexts(search)).lines;
  const height = Math.max(1, wanted.length);
  if (lines.length === 0) return [];
  const wantedPairs = bigrams(collapse(wanted.join("\n")));
  const scored: Candidate[] = [];
  for (let start = 0; start + height <= Math.max(lines.length, height); start += 1) {
    const window = lines.slice(start, start + height);
    if (window.every((line) => line.trim() === "")) continue;
    const similarity = dice(wantedPairs, bigrams(collapse(window.join("\n"))));
    if (similarity < MIN_SIMILARITY) continue;
    scored.push({
      startLine: start + 1,
      endLine: start + window.length,
      text: window.join("\n"),
      similarity,
    });
  }
  scored.sort((a, b) => b.similarity - a.similarity || a.startLine - b.startLine);
  const chosen: Candidate[] = [];
  for (const candidate of scored) {
    if (chosen.length >= max) break;
    if (chosen.some((other) => overlaps(other, candidate))) continue;
    chosen.push({ ...candidate, similarity: Math.round(candidate.similarity * 100) / 100 });
  }
  return chosen;
}

function collapse(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

function bigrams(text: string): Map<string, number> {
  const pairs = new Map<string, number>();
  for (let i = 0; i + 1 < text.length; i += 1) {
    const pair = text.slice(i, i + 2);
    pairs.set(pair, (pairs.get(pair) ?? 0) + 1);
  }
  return pairs;
}

function dice(a: Map<string, number>, b: Map<string, number>): number {
  let sizeA = 0;
  let sizeB = 0;
  let shared = 0;
  for (const count of a.values()) sizeA += count;
  for (const [pair, count] of b) {
    sizeB += count;
    shared += Math.min(count, a.get(pair) ?? 0);
  }
  return sizeA + sizeB === 0 ? 0 : (2 * shared) / (sizeA + sizeB);
}

function overlaps(a: Candidate, b: Candidate): boolean {
  return a.startLine <= b.endLine && b.startLine <= a.endLine;
}
