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

// Up to three spaces of indent: four or more make a Markdown code block, not a request.
const COMMAND_LINE = /^ {0,3}\/symphony(?:[ \t]+(\S+))?(?:[ \t]+(.*))?[ \t]*$/i;
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
    const match = COMMAND_LINE.exec(line);
    if (match === null) continue;
    const word = (match[1] ?? "help").toLowerCase();
    const name = COMMAND_NAMES.find((command) => command === word);
    if (name === undefined) return { kind: "unknown", word: match[1] ?? "" };
    return {
      kind: "command",
      name,
      args: (match[2] ?? "").trim(),
      details: lines
        .slice(index + 1)
        .join("\n")
        .trim(),
    };
  }
  return undefined;
}
