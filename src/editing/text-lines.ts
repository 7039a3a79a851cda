// A text as lines that remember their own line ending, so edits keep CRLF and the final newline as found.

export type LineEnding = "" | "\n" | "\r\n";

export interface TextLine {
  text: string;
  eol: LineEnding;
}

export function splitLines(content: string): TextLine[] {
  const lines: TextLine[] = [];
  let start = 0;
  while (start < content.length) {
    const newline = content.indexOf("\n", start);
    if (newline === -1) {
      lines.push({ text: content.slice(start), eol: "" });
      break;
    }
    const crlf = newline > start && content[newline - 1] === "\r";
    lines.push({
      text: content.slice(start, crlf ? newline - 1 : newline),
      eol: crlf ? "\r\n" : "\n",
    });
    start = newline + 1;
  }
  return lines;
}

export function joinLines(lines: readonly TextLine[]): string {
  return lines.map((line) => line.text + line.eol).join("");
}

/** The text of each line without its ending; a final newline adds no empty line. */
export function lineTexts(content: string): string[] {
  return splitLines(content).map((line) => line.text);
}

/** CRLF when most lines end that way, else LF: what new lines in this file should end with. */
export function dominantLineEnding(content: string): "\n" | "\r\n" {
  const newlines = content.split("\n").length - 1;
  const crlf = content.split("\r\n").length - 1;
  return newlines > 0 && crlf * 2 > newlines ? "\r\n" : "\n";
}

/** Rewrites every line ending of `text` to `eol`. */
export function withLineEndings(text: string, eol: "\n" | "\r\n"): string {
  return text.replace(/\r?\n/g, eol);
}

/** 1-based line number of a character offset. */
export function lineNumberAt(content: string, offset: number): number {
  let line = 1;
  for (let i = content.indexOf("\n"); i !== -1 && i < offset; i = content.indexOf("\n", i + 1)) {
    line += 1;
  }
  return line;
}
