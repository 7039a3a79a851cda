// The parts of a file too long to show whole that a task is about: its head, its tail, and the
// lines around the words the task uses, merged into windows and bounded in tokens.

/** Lines of context kept around a line the task's words point at. */
const CONTEXT_LINES = 12;
/** Lines of the file's start (imports) and end (where additions go) always shown when they fit. */
const EDGE_LINES = 15;
/** Words too common in task descriptions to point anywhere. */
const STOP_WORDS = new Set(
  `about above after again also another because before being below between both call calls change changes
  code could does each file files from function functions have into just keep like line lines make more
  most much must need needs only other same should since some such than that their them then there these
  they this those through under until using when where which while will with within without would your
  value values return returns test tests task true false null none add adds added new existing`.split(
    /\s+/,
  ),
);

export interface FileWindow {
  /** 1-based, inclusive. */
  startLine: number;
  endLine: number;
  text: string;
}

export interface ExcerptOptions {
  /** The task's own words: title, description, criteria, pseudocode. */
  taskText: string;
  maxTokens: number;
  estimateTokens: (text: string) => number;
}

export interface FileExcerpt {
  windows: FileWindow[];
  totalLines: number;
}

/**
 * Windows of the file in file order. Lines are ranked by how many of the task's words they hold
 * (identifiers the task names weigh most); the head and the tail come first, then each ranked
 * line's surroundings, for as long as the budget lasts.
 */
export function fileExcerpt(content: string, options: ExcerptOptions): FileExcerpt {
  const lines = content.replace(/\r\n/g, "\n").replace(/\n$/, "").split("\n");
  const cost = lines.map((line) => options.estimateTokens(line) + 1);
  const chosen = new Uint8Array(lines.length);
  let used = 0;
  const take = (from: number, to: number): void => {
    for (let index = Math.max(0, from); index <= Math.min(lines.length - 1, to); index += 1) {
      if (chosen[index]) continue;
      // A window stops where the budget does, rather than skipping a long line and leaving a hole.
      if (used + cost[index]! > options.maxTokens) return;
      chosen[index] = 1;
      used += cost[index]!;
    }
  };
  take(0, EDGE_LINES - 1);
  take(lines.length - EDGE_LINES, lines.length - 1);
  for (const index of rankedLines(lines, options.taskText)) {
    if (used >= options.maxTokens) break;
    take(index - CONTEXT_LINES, index + CONTEXT_LINES);
  }
  return { windows: windowsOf(lines, chosen), totalLines: lines.length };
}

/**
 * Lines holding the task's words, best first; lines holding none are not ranked. A word found on
 * more than a tenth of the lines ("step" in a file of steps) points nowhere and is not counted.
 */
function rankedLines(lines: readonly string[], taskText: string): number[] {
  const lower = lines.map((line) => line.toLowerCase());
  const common = Math.max(3, Math.ceil(lines.length / 10));
  const terms = taskTerms(taskText).filter(
    (term) => lower.filter((line) => line.includes(term.lower)).length <= common,
  );
  if (terms.length === 0) return [];
  const scored: { index: number; score: number }[] = [];
  for (const [index, line] of lower.entries()) {
    let score = 0;
    for (const term of terms) if (line.includes(term.lower)) score += term.weight;
    if (score > 0) scored.push({ index, score });
  }
  return scored.sort((a, b) => b.score - a.score || a.index - b.index).map((entry) => entry.index);
}

interface Term {
  lower: string;
  weight: number;
}

/** Identifiers weigh three (camelCase, snake_case, digits, dotted), plain words one. */
function taskTerms(text: string): Term[] {
  const terms = new Map<string, Term>();
  for (const [word] of text.matchAll(/[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*/g)) {
    const lower = word.toLowerCase();
    if (lower.length < 4 || STOP_WORDS.has(lower)) continue;
    const identifier = /[a-z][A-Z]|_|\d|\./.test(word) || /^[A-Z][a-z]+[A-Z]/.test(word);
    const weight = identifier ? 3 : 1;
    const known = terms.get(lower);
    if (!known || known.weight < weight) terms.set(lower, { lower, weight });
  }
  return [...terms.values()];
}

function windowsOf(lines: readonly string[], chosen: Uint8Array): FileWindow[] {
  const windows: FileWindow[] = [];
  for (let index = 0; index < lines.length; index += 1) {
    if (!chosen[index]) continue;
    let end = index;
    while (end + 1 < lines.length && chosen[end + 1]) end += 1;
    windows.push({
      startLine: index + 1,
      endLine: end + 1,
      text: `${lines.slice(index, end + 1).join("\n")}\n`,
    });
    index = end;
  }
  return windows;
}
