// The files an issue points at, read by code before the Planner writes: paths and file names the
// issue names, files whose names share its rarer words, and files that declare the identifiers it
// quotes, best first, as many as fit a token share. Small models rarely ask to read files (the
// Planner's optional ask); this reads them anyway.
import type { EstimateTokens } from "./budget.js";
import type { Issue } from "./issue.js";
import type { ReadRepositoryFile, RequestedFile } from "./requested-files.js";
import { fileOutline } from "./symbol-outline.js";
import { STOP_WORDS } from "./tree-listing.js";
import type { ListedFiles } from "./tree.js";

export interface RelatedFilesOptions {
  /** Most files to choose. */
  maxFiles: number;
  /** Tokens their contents may take together. */
  maxTokens: number;
  estimate: EstimateTokens;
  /** Most files read to look for the issue's identifiers (GitHub reads, made side by side). */
  maxReads?: number;
}

export interface RelatedFile extends RequestedFile {
  score: number;
}

/** A file scoring under this share of the best one is a weak match, left to the Planner's ask. */
const RELATIVE_FLOOR = 0.35;
const MIN_SCORE = 2;
const DEFAULT_READS = 8;
/** What a declaration of an identifier the issue quotes adds to a file's score. */
const DECLARES_SYMBOL = 30;
/** Tests, docs and examples explain the code but are not where a change lives. */
const SUPPORTING =
  /(^|\/)(tests?|__tests__|spec|docs?|examples?|fixtures?)(\/|$)|[._-](test|spec)\.[^/]+$/i;
/**
 * Never read here: CI and repository settings (edits there are refused anyway), and the README,
 * which every planning prompt shows already.
 */
const NOT_CANDIDATES = /^\.github\/|^readme(\.[^/]*)?$/i;
const SOURCE =
  /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs|py|go|rs|java|kt|rb|php|cs|swift|scala|c|h|cc|cpp|hpp)$/i;

/**
 * The issue's files with their contents, best match first, within `maxFiles` and `maxTokens`:
 * scored by path, then the best-scoring source files (or, when no path matches, the shallowest)
 * are read and score again for every identifier the issue quotes that they declare.
 */
export async function readRelatedFiles(
  issue: Pick<Issue, "title" | "body">,
  files: ListedFiles,
  readFile: ReadRepositoryFile,
  options: RelatedFilesOptions,
): Promise<RelatedFile[]> {
  const text = `${issue.title}\n${(issue.body ?? "").slice(0, 20_000)}`;
  const candidates = files.paths.filter((path) => !NOT_CANDIDATES.test(path));
  const byPath = new Map(scoreFiles(text, candidates).map((file) => [file.path, file.score]));
  const symbols = quotedIdentifiers(text);
  const toRead = readOrder(candidates, byPath, symbols.length > 0).slice(
    0,
    options.maxReads ?? DEFAULT_READS,
  );
  const read = await Promise.all(
    toRead.map(async (path) => ({ path, content: await readFile(path).catch(() => undefined) })),
  );
  const scored: RelatedFile[] = [];
  for (const { path, content } of read) {
    if (content === undefined) continue;
    const declared = await declaredSymbols(path, content, symbols);
    const score = (byPath.get(path) ?? 0) + DECLARES_SYMBOL * declared;
    scored.push({ path, content, score: Math.round(score * 100) / 100 });
  }
  scored.sort((a, b) => b.score - a.score || a.path.localeCompare(b.path));
  return chooseWithin(scored, options);
}

/** Path matches first; then, when the issue quotes identifiers, source files shallowest first. */
function readOrder(
  paths: readonly string[],
  byPath: ReadonlyMap<string, number>,
  hasSymbols: boolean,
): string[] {
  const matched = [...byPath.entries()]
    .filter(([, score]) => score >= MIN_SCORE)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([path]) => path);
  if (!hasSymbols) return matched;
  const sources = paths
    .filter((path) => SOURCE.test(path) && !SUPPORTING.test(path) && !matched.includes(path))
    .sort((a, b) => depth(a) - depth(b) || a.localeCompare(b));
  return [...matched, ...sources];
}

/** The best files within the share; the first is taken even when longer (it is shown cut). */
function chooseWithin(scored: readonly RelatedFile[], options: RelatedFilesOptions): RelatedFile[] {
  const floor = Math.max(MIN_SCORE, (scored[0]?.score ?? 0) * RELATIVE_FLOOR);
  const chosen: RelatedFile[] = [];
  let tokens = 0;
  for (const file of scored) {
    if (chosen.length >= options.maxFiles || file.score < floor) break;
    const cost = options.estimate(file.content);
    if (chosen.length > 0 && tokens + cost > options.maxTokens) continue;
    tokens += cost;
    chosen.push(file);
  }
  return chosen;
}

/** How many of `symbols` the file declares (a function, class, method, constant or type). */
async function declaredSymbols(
  path: string,
  content: string,
  symbols: readonly string[],
): Promise<number> {
  if (symbols.length === 0) return 0;
  const outline = await fileOutline(path, content, { exportedOnly: false });
  const names = new Set(outline.flatMap((line) => line.match(/[A-Za-z_$][\w$]*/g) ?? []));
  return symbols.filter((symbol) => names.has(symbol)).length;
}

/**
 * Identifiers the issue quotes as code: inside backticks or fences, or shaped like code
 * (`snake_case`, `camelCase`, a call `name(`), language keywords and filler left out.
 */
export function quotedIdentifiers(text: string): string[] {
  const code = [...text.matchAll(/```[^\n]*\n([\s\S]*?)```|`([^`\n]+)`/g)]
    .map((match) => match[1] ?? match[2] ?? "")
    .join("\n");
  const shaped =
    text.match(
      /\b[A-Za-z_][A-Za-z0-9]*(?:_[A-Za-z0-9]+)+\b|\b[a-z]+[A-Z][A-Za-z0-9]*\b|\b[A-Za-z_]\w*(?=\()/g,
    ) ?? [];
  const words = [...(code.match(/[A-Za-z_$][\w$]*/g) ?? []), ...shaped];
  return [...new Set(words)].filter(
    (word) => word.length >= 3 && !KEYWORDS.has(word) && !STOP_WORDS.has(word.toLowerCase()),
  );
}

function depth(path: string): number {
  return path.split("/").length;
}

/** Two-letter English words; other two-letter words (ky, io, ui) may well name a file. */
const SHORT_WORDS = new Set(
  "is it in on to of as at by or an be if do no so up we me my he us am go ok vs eg ie".split(" "),
);

const KEYWORDS = new Set(
  (
    "import from export default const let var function return async await class new this self " +
    "def print list dict set str int float bool None True False null undefined true false type " +
    "interface extends implements public private static void for while else elif try except " +
    "catch finally raise throw yield lambda pass break continue with console log Error Object " +
    "Array String Number Promise JSON require module package func struct impl pub use"
  ).split(" "),
);

/** Every path with a score above zero, highest first (ties by path). */
export function scoreFiles(
  text: string,
  paths: readonly string[],
): { path: string; score: number }[] {
  // A fence's language (```py) names no file.
  const counts = termCounts(text.replace(/```[^\n]*/g, "```"));
  const lower = text.toLowerCase();
  const named = paths.map((path) => ({ path, terms: pathTerms(path) }));
  // Words in almost every path (src, lib, index) say nothing; rare ones say much.
  const frequency = new Map<string, number>();
  for (const { terms } of named) {
    for (const term of new Set([...terms.name, ...terms.folders])) {
      frequency.set(term, (frequency.get(term) ?? 0) + 1);
    }
  }
  const rarity = (term: string) => Math.log(1 + paths.length / (frequency.get(term) ?? 1));
  const sameName = new Map<string, number>();
  for (const path of paths) sameName.set(nameOf(path), (sameName.get(nameOf(path)) ?? 0) + 1);
  const weight = (term: string) => rarity(term) * (1 + Math.log(counts.get(term) ?? 1));

  const scored = named.map(({ path, terms }) => {
    let score = 0;
    if (mentions(lower, path.toLowerCase())) score += 100;
    else if (mentions(lower, nameOf(path))) score += 40 / (sameName.get(nameOf(path)) ?? 1);
    if (counts.has(terms.stem)) score += 8 * weight(terms.stem);
    for (const part of terms.name)
      if (part !== terms.stem && counts.has(part)) score += 3 * weight(part);
    for (const folder of terms.folders) if (counts.has(folder)) score += weight(folder);
    if (SUPPORTING.test(path)) score /= 2;
    return { path, score: Math.round(score * 100) / 100 };
  });
  return scored
    .filter((file) => file.score > 0)
    .sort((a, b) => b.score - a.score || a.path.localeCompare(b.path));
}

/** Whether `text` names `needle` as a whole word or path (not inside a longer name). */
function mentions(text: string, needle: string): boolean {
  for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) {
    const before = text[at - 1] ?? " ";
    const after = text[at + needle.length] ?? " ";
    if (!/[\w.-]/.test(before) || before === "/") {
      if (!/[\w-]/.test(after) && !(after === "." && /\w/.test(text[at + needle.length + 1] ?? "")))
        return true;
    }
  }
  return false;
}

function nameOf(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1).toLowerCase();
}

/** A path's words: its file name's stem and that stem's parts, and its folders' words. */
function pathTerms(path: string): { stem: string; name: Set<string>; folders: Set<string> } {
  const segments = path.split("/");
  const file = segments.pop() ?? "";
  const dot = file.indexOf(".", 1);
  const stem = (dot > 0 ? file.slice(0, dot) : file).toLowerCase();
  const name = new Set([stem, ...identifierParts(dot > 0 ? file.slice(0, dot) : file)]);
  const folders = new Set(
    segments.flatMap((segment) => [segment.toLowerCase(), ...identifierParts(segment)]),
  );
  return { stem, name, folders };
}

/** `zipBroadcast`, `zip_broadcast`, `zip-broadcast` → zip, broadcast (three letters or more). */
function identifierParts(word: string): string[] {
  return word
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .split(/[^A-Za-z0-9]+/)
    .map((part) => part.toLowerCase())
    .filter((part) => part.length >= 3 && !STOP_WORDS.has(part));
}

/** How often the issue uses each word and identifier, and the parts of its identifiers. */
function termCounts(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  const add = (term: string) => counts.set(term, (counts.get(term) ?? 0) + 1);
  for (const word of text.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? []) {
    const whole = word.toLowerCase();
    if (whole.length >= 2 && !STOP_WORDS.has(whole) && !SHORT_WORDS.has(whole)) add(whole);
    const parts = identifierParts(word);
    if (parts.length > 1 || parts[0] !== whole) for (const part of parts) add(part);
  }
  return counts;
}
