// Reads a `/symphony <command> <args>` request out of a comment, the way a person means it.

export const COMMAND_NAMES = [
  "plan",
  "deeper",
  "backlog",
  "implement",
  "review",
  "ask",
  "refactor",
  "stats",
  "learnings",
  "help",
] as const;
export type CommandName = (typeof COMMAND_NAMES)[number];

export interface ParsedCommand {
  kind: "command";
  name: CommandName;
  /** The rest of the command's line: `/symphony ask <args>`. */
  args: string;
  /** The lines after the command's line, for longer requests (`/symphony plan` with edits). */
  details: string;
}

/** `/symphony <word>` where the word is no command: worth a pointer to `/symphony help`. */
export interface UnknownCommand {
  kind: "unknown";
  word: string;
}

/**
 * Longer lines are never read as commands: nobody types a 2,000-character command, and a bound
 * keeps every check of a line cheap whatever a comment holds.
 */
export const MAX_COMMAND_LINE_CHARS = 2000;
const PREFIX = "/symphony";
const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const QUOTE = /^ {0,3}>/;

/**
 * The first command in the comment. Quoted lines (`>`, as in a reply quoting an earlier
 * comment) and code blocks are ignored, so quoting or documenting a command never runs it.
 * A bare `/symphony` asks for help.
 */
export function parseCommand(
  body: string | null | undefined,
): ParsedCommand | UnknownCommand | undefined {
  // Most comments hold no command at all: those are not read line by line.
  if (!/\/symphony/i.test(body ?? "")) return undefined;
  const lines = (body ?? "").split(/\r?\n/);
  let fence: string | undefined;
  for (const [index, line] of lines.entries()) {
    const fenceMark = FENCE.exec(line)?.[1];
    if (fence !== undefined) {
      if (fenceMark?.startsWith(fence)) fence = undefined;
      continue;
    }
    if (fenceMark !== undefined) {
      fence = fenceMark;
      continue;
    }
    if (QUOTE.test(line)) continue;
    const match = commandLine(line);
    if (match === undefined) continue;
    const word = (match.word ?? "help").toLowerCase();
    const name = COMMAND_NAMES.find((command) => command === word);
    if (name === undefined) return { kind: "unknown", word: match.word ?? "" };
    return {
      kind: "command",
      name,
      args: match.args.trim(),
      details: lines
        .slice(index + 1)
        .join("\n")
        .trim(),
    };
  }
  return undefined;
}

const isBlank = (char: string | undefined): boolean => char === " " || char === "\t";
/** Characters that end a line for JavaScript's `.`: a command's arguments never hold them. */
const LINE_BREAK = /[\r\u2028\u2029]/;

/**
 * `/symphony [word [args]]` on one line, read in one pass without a backtracking pattern (a
 * comment of thousands of spaces once took minutes): up to three spaces of indent, since four or
 * more make a Markdown code block, not a request.
 */
function commandLine(line: string): { word: string | undefined; args: string } | undefined {
  if (line.length > MAX_COMMAND_LINE_CHARS) return undefined;
  let at = 0;
  while (at < 3 && line[at] === " ") at++;
  if (line.slice(at, at + PREFIX.length).toLowerCase() !== PREFIX) return undefined;
  at += PREFIX.length;
  if (at < line.length && !isBlank(line[at])) return undefined;
  if (LINE_BREAK.test(line)) return undefined;
  while (isBlank(line[at])) at++;
  if (at === line.length) return { word: undefined, args: "" };
  const start = at;
  while (at < line.length && !/\s/.test(line[at]!)) at++;
  const word = line.slice(start, at);
  // The word ends at a space or tab, or at the end of the line; any other space is no separator.
  if (at < line.length && !isBlank(line[at])) return undefined;
  return { word, args: line.slice(at) };
}
