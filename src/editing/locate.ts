// Finding where a search text sits in a file: exactly, or line by line with whitespace ignored.
import type { TextLine } from "./text-lines.js";

/** More places than this are not worth listing: the text is ambiguous either way. */
const MAX_PLACES = 10;

/** Start offsets of every occurrence of `search`, overlapping ones included. */
export function findExact(content: string, search: string): number[] {
  const offsets: number[] = [];
  for (let at = content.indexOf(search); at !== -1; at = content.indexOf(search, at + 1)) {
    offsets.push(at);
    if (offsets.length >= MAX_PLACES) break;
  }
  return offsets;
}

/**
 * What is left of a line when whitespace drift is forgiven: no leading or trailing whitespace,
 * inner runs of spaces and tabs as one space.
 */
export function looseKey(text: string): string {
  return text.trim().replace(/\s+/g, " ");
}

/** Indices of the first line of every run of file lines whose loose keys equal `wanted`'s. */
export function findLooseLines(lines: readonly TextLine[], wanted: readonly string[]): number[] {
  const keys = wanted.map(looseKey);
  const fileKeys = lines.map((line) => looseKey(line.text));
  const starts: number[] = [];
  for (let start = 0; start + keys.length <= fileKeys.length; start += 1) {
    if (keys.every((key, i) => fileKeys[start + i] === key)) {
      starts.push(start);
      if (starts.length >= MAX_PLACES) break;
    }
  }
  return starts;
}

/** The lines without leading and trailing blank ones, and how many were dropped at each end. */
export function trimBlankLines(lines: readonly string[]): {
  lines: string[];
  leading: number;
  trailing: number;
} {
  let start = 0;
  let end = lines.length;
  while (start < end && lines[start]!.trim() === "") start += 1;
  while (end > start && lines[end - 1]!.trim() === "") end -= 1;
  return { lines: lines.slice(start, end), leading: start, trailing: lines.length - end };
}
