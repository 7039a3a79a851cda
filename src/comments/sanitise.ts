// The one sanitiser of text Symphony does not control (model output, pull request and issue text)
// for everything it posts: plans, reviews, replies, answers, the refactor issue. What comes out
// holds no @-mention that pings anyone, no raw HTML and no `<`, `>` or `&` from the input at all
// (so no hidden `<!-- … -->` block, in prose or in code), no Markdown that escapes its place (an
// unclosed fence swallowing the comment, a heading restructuring it), no image, no secret, and
// no link the run did not give the model. Every pattern reads its input in linear time.
import { longestRun } from "../lib/longest-run.js";
import { GITHUB_COMMENT_LIMIT } from "./comment-size.js";
import { redactSecrets } from "./secrets.js";
import { PIECE_BREAK, defuseBareUrls, defuseUnquotedLinks } from "./link-scope.js";

const ZERO_WIDTH_JOINER = "\u200D";
const ZERO_WIDTH_SPACE = "\u200B";
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;
const FENCE = /^( {0,3})(`{3,}|~{3,})(.*)$/;
const HEADING = /^(\s{0,3})(#{1,6})(\s|$)/;

/** Cut to at most `max` characters, marking the cut. */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}

/** `@name` no longer notifies anyone, yet reads the same. */
export function neutraliseMentions(text: string): string {
  return text.replace(/(^|[^\w])@(?=[A-Za-z0-9])/g, `$1@${ZERO_WIDTH_JOINER}`);
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/**
 * Code shown inside HTML `<code>`/`<pre>`: the browser decodes the entities, so readers see the
 * code as written while the comment's source holds no `<`, `>` or `&` of the model's; Markdown
 * characters are entities too, so nothing inside becomes emphasis, a link or a table column.
 */
function escapeCode(text: string): string {
  return escapeHtml(defuseBareUrls(text)).replace(
    /[`*_~[\]\\|!@]/g,
    (char) => `&#${char.charCodeAt(0)};`,
  );
}

/** Breaks `<!--` in code that must stay Markdown code (suggestions, diagrams, paths). */
function breakCommentOpeners(text: string): string {
  return text.replace(/<!--/g, `<${ZERO_WIDTH_SPACE}!--`);
}

function clean(text: string): string {
  return redactSecrets(text.replace(CONTROL_CHARS, ""));
}

/**
 * Prose longer than a comment can never be posted whole, so no more of it is escaped: a 1 MB
 * issue body or reply costs what a comment costs. Cut after secrets are redacted, so no cut
 * leaves half a token showing.
 */
function cleanProse(text: string): string {
  return clip(clean(text), GITHUB_COMMENT_LIMIT);
}

/** Prose outside code: links defused, then HTML escaped, then mentions neutralised. */
function escapeText(text: string): string {
  return neutraliseMentions(escapeHtml(defuseUnquotedLinks(text)));
}

/**
 * Where each run of backticks starts and how long it is, so the closing run of a code span is
 * found by one lookup instead of a scan of the rest of the line for every opening run.
 */
function backtickRuns(line: string): { starts: number[]; lengths: number[] } {
  const starts: number[] = [];
  const lengths: number[] = [];
  for (let at = line.indexOf("`"); at >= 0; at = line.indexOf("`", at)) {
    const start = at;
    while (line[at] === "`") at++;
    starts.push(start);
    lengths.push(at - start);
  }
  return { starts, lengths };
}

/** A code span's content as CommonMark reads it: one space stripped from each side. */
function spanContent(raw: string): string {
  return raw.length > 2 && raw.startsWith(" ") && raw.endsWith(" ") && raw.trim() !== ""
    ? raw.slice(1, -1)
    : raw;
}

/**
 * Prose and code pieces collected in order and escaped kind by kind in one pass each at the end,
 * joined by a NUL that no pattern matches across (and that cleaned text never holds): a line of
 * thousands of code spans, or a block of thousands of lines, costs a few pattern runs, not a few
 * per piece.
 */
class Pieces {
  /** One letter per piece, in order: "p" prose, "c" code, "l" literal. */
  private kinds = "";
  private prose = "";
  private proseCount = 0;
  private code = "";
  private codeCount = 0;
  private readonly literals: string[] = [];
  /** What goes around each code piece: `<code>` for a span, `<pre><code>` for a block. */
  private readonly wrappers: string[] = [];

  literal(text: string): void {
    this.kinds += "l";
    this.literals.push(text);
  }

  addProse(text: string): void {
    if (text === "") return;
    this.kinds += "p";
    this.prose += this.proseCount++ === 0 ? text : PIECE_BREAK + text;
  }

  addCode(text: string, open: string, close: string): void {
    this.kinds += "c";
    this.code += this.codeCount++ === 0 ? text : PIECE_BREAK + text;
    this.wrappers.push(open, close);
  }

  join(): string {
    const prose = escapedPieces(this.prose, this.proseCount, escapeText);
    const code = escapedPieces(this.code, this.codeCount, escapeCode);
    let out = "";
    let [p, c, l] = [0, 0, 0];
    for (const kind of this.kinds) {
      if (kind === "p") out += prose[p++]!;
      else if (kind === "l") out += this.literals[l++]!;
      else {
        out += this.wrappers[2 * c]! + code[c]! + this.wrappers[2 * c + 1]!;
        c++;
      }
    }
    return out;
  }
}

function escapedPieces(joined: string, count: number, escape: (text: string) => string): string[] {
  if (count === 0) return [];
  const pieces = escape(joined).split(PIECE_BREAK);
  if (pieces.length !== count) throw new Error("a NUL reached the sanitiser past clean()");
  return pieces;
}

/** One line of prose: code spans become `<code>`, everything else is escaped prose. */
function proseLine(line: string, pieces: Pieces): void {
  const { starts, lengths } = backtickRuns(line);
  // For each run, the index of the next run of the same length, found in one pass from the end.
  const next = new Array<number>(starts.length).fill(-1);
  const lastOfLength = new Map<number, number>();
  for (let index = starts.length - 1; index >= 0; index--) {
    const length = lengths[index]!;
    next[index] = lastOfLength.get(length) ?? -1;
    lastOfLength.set(length, index);
  }
  let at = 0;
  for (let index = 0; index < starts.length; index++) {
    if (starts[index]! < at) continue;
    const closeIndex = next[index]!;
    if (closeIndex < 0) continue;
    pieces.addProse(line.slice(at, starts[index]));
    const content = line.slice(starts[index]! + lengths[index]!, starts[closeIndex]);
    pieces.addCode(spanContent(content), "<code>", "</code>");
    at = starts[closeIndex]! + lengths[closeIndex]!;
    index = closeIndex;
  }
  pieces.addProse(line.slice(at));
}

/** Line breaks and the blanks around them become one space, without a backtracking pattern. */
function oneLine(text: string): string {
  return text
    .split(/[\r\n]+/)
    .map((part) => part.trim())
    .filter((part) => part !== "")
    .join(" ");
}

/** Prose on one line (list items, headings, sentences): line breaks become spaces. */
export function inlineProse(text: string): string {
  const pieces = new Pieces();
  proseLine(oneLine(cleanProse(text)), pieces);
  return pieces.join();
}

/** Text for a table cell: inline prose with pipes escaped, which GitHub needs even in code spans. */
export function tableCell(text: string): string {
  return inlineProse(text).replace(/\|/g, "\\|");
}

/** One line of model text cut to `max` characters (a title, a table cell): whitespace collapsed. */
export function untrustedLine(text: string, max: number): string {
  return tableCell(clip(clean(text).replace(/\s+/g, " ").trim(), max));
}

/**
 * A block of prose: paragraphs kept, fenced code shown as code (an HTML `<pre>` block, closed
 * when the model left it open), headings defused so the model cannot restructure the comment.
 */
export function proseBlock(text: string): string {
  const lines = cleanProse(text).replace(/\r\n?/g, "\n").trim().split("\n");
  const pieces = new Pieces();
  let first = true;
  const newLine = (): void => {
    if (!first) pieces.literal("\n");
    first = false;
  };
  let fence: { char: string; length: number; lines: string[]; indent: string } | undefined;
  const closeFence = (): void => {
    if (!fence) return;
    newLine();
    pieces.addCode(fence.lines.join("\n"), `${fence.indent}<pre><code>`, "</code></pre>");
    fence = undefined;
  };
  for (const line of lines) {
    const match = FENCE.exec(line);
    if (fence) {
      const closes =
        match?.[2] !== undefined &&
        match[2][0] === fence.char &&
        match[2].length >= fence.length &&
        (match[3] ?? "").trim() === "";
      if (closes) closeFence();
      else fence.lines.push(line);
    } else if (
      match?.[2] !== undefined &&
      !(match[2][0] === "`" && (match[3] ?? "").includes("`"))
    ) {
      fence = { char: match[2][0] ?? "`", length: match[2].length, lines: [], indent: match[1]! };
    } else {
      newLine();
      // Escaping changes neither blanks nor `#`, so the raw line shows whether it is a heading.
      proseLine(line.replace(HEADING, "$1\\$2$3"), pieces);
    }
  }
  closeFence();
  return pieces.join();
}

/**
 * Inline code that no backtick in the text can end early, for text Symphony shows as code (a
 * path, a rule name): Markdown code, so `<!--` is broken instead of escaped.
 */
export function inlineCode(text: string): string {
  const flat = clean(text).replace(/\s+/g, " ");
  const ticks = "`".repeat(longestRun(flat, "`") + 1);
  const pad = flat.startsWith("`") || flat.endsWith("`") ? " " : "";
  return `${ticks}${pad}${breakCommentOpeners(flat)}${pad}${ticks}`;
}

/**
 * A fenced code block whose fence no line of the text can close, for code GitHub must read as
 * Markdown (a ```suggestion, a ```mermaid diagram): `<!--` is broken instead of escaped.
 */
export function codeBlock(text: string, language = ""): string {
  const content = breakCommentOpeners(withoutTrailingNewlines(clean(text).replace(/\r\n?/g, "\n")));
  const fence = "`".repeat(Math.max(3, longestRun(content, "`") + 1));
  return `${fence}${language}\n${content}\n${fence}`;
}

function withoutTrailingNewlines(text: string): string {
  let end = text.length;
  while (end > 0 && text[end - 1] === "\n") end--;
  return text.slice(0, end);
}
