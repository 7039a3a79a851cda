// Fenced blocks in a model's plain-text reply, found line by line: a whole file is one of them.

const OPENING = /^([ \t]*)(`{3,}|~{3,})(.*)$/;

export interface FoundFence {
  /** 0-based lines of the opening and the closing fence; `end` is undefined when it never closes. */
  start: number;
  end: number | undefined;
  /** What follows the opening fence: a language, a path, or both. */
  info: string;
  body: string[];
}

/**
 * The top-level fences of a reply. A fence closes at a bare fence line of its own character at
 * least as long; a model that used a fence no longer than the file's own (a Markdown file with
 * ```lang blocks) is forgiven by counting those as nested: an opening with an info string
 * inside goes one level down, a bare line comes back up.
 */
export function scanFences(lines: readonly string[]): FoundFence[] {
  const fences: FoundFence[] = [];
  for (let index = 0; index < lines.length; index += 1) {
    const opening = OPENING.exec(lines[index]!);
    if (!opening) continue;
    const indent = opening[1]!;
    const marker = opening[2]!;
    const info = opening[3]!.trim();
    // A backtick fence's info string holds no backtick: "```x```" is inline code, not a fence.
    if (marker[0] === "`" && info.includes("`")) continue;
    const end = closingLine(lines, index + 1, marker);
    const body = lines.slice(index + 1, end ?? lines.length);
    fences.push({ start: index, end, info, body: dedented(body, indent) });
    if (end === undefined) break;
    index = end;
  }
  return fences;
}

function closingLine(lines: readonly string[], from: number, marker: string): number | undefined {
  const char = marker[0]!;
  const same = new RegExp(`^[ \\t]*(\\${char}{${marker.length},})(.*)$`);
  let depth = 0;
  for (let index = from; index < lines.length; index += 1) {
    const match = same.exec(lines[index]!);
    if (!match) continue;
    const rest = match[2]!.trim();
    if (rest === "") {
      if (depth === 0) return index;
      depth -= 1;
    } else if (match[1]!.length === marker.length && !(char === "`" && rest.includes("`"))) {
      depth += 1;
    }
  }
  return undefined;
}

/** A fence indented (inside a list item, say) indents its content as well; that is not the file's. */
function dedented(body: string[], indent: string): string[] {
  if (indent === "") return body;
  const all = body.every((line) => line.trim() === "" || line.startsWith(indent));
  return all
    ? body.map((line) => (line.startsWith(indent) ? line.slice(indent.length) : line))
    : body;
}
