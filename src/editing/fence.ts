// Markdown fences: the one a model wraps around code (not part of the edit), and the ones Symphony writes around file content.

const OPENING = /^[ \t]*(`{3,}|~{3,})[\w.+#-]*[ \t]*\r?\n/;

export interface Unfenced {
  text: string;
  /** Whether a fence was removed. */
  unfenced: boolean;
}

/**
 * Removes one Markdown fence around the whole text (```lang … ```), keeping the inside byte for
 * byte. A text that merely contains a fence somewhere is left alone.
 */
export function stripMarkdownFence(text: string): Unfenced {
  const opening = OPENING.exec(text);
  if (!opening) return { text, unfenced: false };
  const marker = opening[1]!;
  const rest = text.slice(opening[0].length);
  const closing = new RegExp(`(^|\\r?\\n)[ \\t]*${marker[0]}{${marker.length},}[ \\t]*(\\r?\\n)?$`);
  const end = closing.exec(rest);
  if (!end) return { text, unfenced: false };
  const inner = rest.slice(0, end.index);
  // A fence that closes earlier and opens again is two fenced snippets, not one wrapped text.
  if (new RegExp(`(^|\\n)[ \\t]*${marker[0]}{${marker.length},}`).test(inner)) {
    return { text, unfenced: false };
  }
  const newline = end[1] ?? "";
  return { text: newline !== "" && inner.length > 0 ? inner + newline : inner, unfenced: true };
}

/** Whether the text opens with a Markdown fence line, i.e. the fence may belong to the file. */
export function opensWithFence(text: string): boolean {
  return OPENING.test(text);
}

/** A backtick fence longer than any backtick run in the text (at least three), so the text cannot close it early. */
export function fenceFor(text: string): string {
  let longest = 0;
  let run = 0;
  for (const char of text) {
    run = char === "`" ? run + 1 : 0;
    if (run > longest) longest = run;
  }
  return "`".repeat(Math.max(3, longest + 1));
}

/** The text inside a fence of its own, with an optional info string (a language, a path). */
export function fenced(text: string, info = ""): string {
  const fence = fenceFor(text);
  const body = text.replace(/\r?\n$/, "");
  return body === "" ? `${fence}${info}\n${fence}` : `${fence}${info}\n${body}\n${fence}`;
}
