// Model text made safe to post: no @-mentions that ping people, no HTML, no Markdown that escapes
// its place (an unclosed fence swallowing the comment), no fake hidden markers, no secrets, and
// no links the model was not given.
import { redactSecrets } from "./secrets.js";
import { defuseUnquotedLinks } from "./link-scope.js";

const ZERO_WIDTH_JOINER = "\u200D";
const ZERO_WIDTH_SPACE = "\u200B";
const FENCE = /^( {0,3})(`{3,}|~{3,})(.*)$/;

/** `@name` no longer notifies anyone, yet reads the same. */
export function neutraliseMentions(text: string): string {
  return text.replace(/(^|[^\w])@(?=[A-Za-z0-9])/g, `$1@${ZERO_WIDTH_JOINER}`);
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Breaks `<!--` so text shown raw (code) cannot open a hidden block that parsers would find. */
function breakCommentOpeners(text: string): string {
  return redactSecrets(text).replace(/<!--/g, `<${ZERO_WIDTH_SPACE}!--`);
}

/**
 * One line of prose: HTML escaped and mentions neutralised outside code spans; code spans kept
 * as written, since GitHub shows them literally and never links mentions inside them.
 */
function proseLine(line: string): string {
  let out = "";
  let at = 0;
  const runs = /`+/g;
  for (let match = runs.exec(line); match; match = runs.exec(line)) {
    const open = match[0];
    const close = findClosingRun(line, match.index + open.length, open.length);
    if (close < 0) continue;
    out += escapeText(line.slice(at, match.index));
    out += breakCommentOpeners(line.slice(match.index, close + open.length));
    at = close + open.length;
    runs.lastIndex = at;
  }
  return out + escapeText(line.slice(at));
}

function escapeText(text: string): string {
  return neutraliseMentions(escapeHtml(redactSecrets(defuseUnquotedLinks(text))));
}

function findClosingRun(line: string, from: number, length: number): number {
  const runs = /`+/g;
  runs.lastIndex = from;
  for (let match = runs.exec(line); match; match = runs.exec(line)) {
    if (match[0].length === length) return match.index;
  }
  return -1;
}

/** Prose on one line (list items, table cells): line breaks become spaces. */
export function inlineProse(text: string): string {
  return proseLine(text.replace(/\s*[\r\n]+\s*/g, " ").trim());
}

/** Text for a table cell: inline prose with pipes escaped, which GitHub needs even in code spans. */
export function tableCell(text: string): string {
  return inlineProse(text).replace(/\|/g, "\\|");
}

/**
 * A block of prose: paragraphs kept, fenced code kept as code and closed when the model left it
 * open, headings defused so the model cannot restructure the comment.
 */
export function proseBlock(text: string): string {
  const lines = text.replace(/\r\n?/g, "\n").trim().split("\n");
  const out: string[] = [];
  let fence: { char: string; length: number } | undefined;
  for (const line of lines) {
    const match = FENCE.exec(line);
    if (fence) {
      const closes =
        match?.[2] !== undefined &&
        match[2][0] === fence.char &&
        match[2].length >= fence.length &&
        (match[3] ?? "").trim() === "";
      out.push(breakCommentOpeners(line));
      if (closes) fence = undefined;
    } else if (
      match?.[2] !== undefined &&
      !(match[2][0] === "`" && (match[3] ?? "").includes("`"))
    ) {
      fence = { char: match[2][0] ?? "`", length: match[2].length };
      out.push(`${match[1] ?? ""}${match[2]}${escapeText((match[3] ?? "").trim())}`);
    } else {
      out.push(proseLine(line).replace(/^(\s{0,3})(#{1,6})(\s|$)/, "$1\\$2$3"));
    }
  }
  if (fence) out.push(fence.char.repeat(fence.length));
  return out.join("\n");
}

/** Inline code that no backtick in the text can end early. */
export function inlineCode(text: string): string {
  const flat = text.replace(/[\r\n]+/g, " ");
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const ticks = "`".repeat(longest + 1);
  const pad = flat.startsWith("`") || flat.endsWith("`") ? " " : "";
  return `${ticks}${pad}${breakCommentOpeners(flat)}${pad}${ticks}`;
}

/** A fenced code block whose fence no line of the text can close. */
export function codeBlock(text: string, language = ""): string {
  const longest = Math.max(0, ...(text.match(/`{3,}/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(Math.max(3, longest + 1));
  return `${fence}${language}\n${breakCommentOpeners(text.replace(/\r\n?/g, "\n").trimEnd())}\n${fence}`;
}
