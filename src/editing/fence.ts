// Models often wrap code in a Markdown fence even when asked for bare text; the fence is not part of the edit.

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
