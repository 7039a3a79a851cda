// How a diff line's text is shown to the model and compared with the snippet the model cites.

// C0 controls other than tab, and DEL: they garble prompts and Markdown alike.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARS = /[\u0000-\u0008\u000B-\u001F\u007F]/g;

/** Longest part of one line the model is shown; minified or generated lines say nothing more. */
export const MAX_SHOWN_LINE_CHARS = 400;

/** The text as the model sees it: control characters replaced, very long lines cut. */
export function shownLineText(text: string): string {
  const clean = text.replace(CONTROL_CHARS, "\uFFFD");
  return clean.length > MAX_SHOWN_LINE_CHARS
    ? `${clean.slice(0, MAX_SHOWN_LINE_CHARS)} …[line cut]`
    : clean;
}

/** Text compared for equality: same characters as shown, whitespace runs collapsed, trimmed. */
export function normalisedText(text: string): string {
  return text.replace(CONTROL_CHARS, "\uFFFD").replace(/\s+/g, " ").trim();
}

// Models sometimes copy the line number and diff marker along with the text: "  42 + foo()".
// The blanks after the number belong to the number, so a line of spaces is read once.
const SHOWN_PREFIX = /^\s*(?:\d+\s*)?[+·]\s/;

/** The forms of a cited snippet worth looking for in a line, most literal first. */
export function snippetForms(snippet: string): string[] {
  const firstLine = snippet.split(/\r?\n/).find((line) => line.trim() !== "") ?? "";
  const forms = [normalisedText(firstLine)];
  const unprefixed = normalisedText(firstLine.replace(SHOWN_PREFIX, ""));
  if (unprefixed !== forms[0]) forms.push(unprefixed);
  return forms.filter((form) => form !== "");
}

/** Whether the line shows the snippet the model cited. */
export function lineShowsSnippet(lineText: string, snippet: string): boolean {
  const line = normalisedText(lineText);
  return snippetForms(snippet).some((form) => line.includes(form));
}
