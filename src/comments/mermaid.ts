// The model's Mermaid made fit for GitHub: fences stripped, labels quoted, directives that change
// rendering or add links removed, and anything implausible left out rather than shown broken.

const MAX_SOURCE_CHARS = 5_000;
const MAX_LINES = 120;
/**
 * Longer sources or lines are never a diagram worth showing; the bounds also keep every pattern
 * below cheap on a model's (or a prompt-injected) runaway reply.
 */
const MAX_INPUT_CHARS = 4 * MAX_SOURCE_CHARS;
const MAX_LINE_CHARS = 1_000;
const HEADER = /^(flowchart|graph)(\s+(TD|TB|BT|LR|RL))?\s*;?$/i;
const ARROW = /(<?[-=.]{2,}[->ox]|-\.-+>?|---|===|~~~)/;
const KEYWORD_STATEMENT =
  /^(subgraph(\s.*)?|end|direction\s+(TD|TB|BT|LR|RL)|classDef\s.+|class\s.+|style\s.+|linkStyle\s.+|%%.*)$/;
// After quoting, a node is an id with an optional quoted shape and class; a statement is nodes
// joined by arrows. Anything else (prose, half-written syntax) makes GitHub show an error box.
const OPENINGS = String.raw`(?:\(\(\(|\(\(|\(\[|\[\[|\[\(|\{\{|\[/|\[\\|\(|\[|\{|>)`;
const CLOSINGS = String.raw`(?:\)\)\)|\)\)|\]\)|\]\]|\)\]|\}\}|/\]|\\\]|\)|\]|\})`;
const NODE = String.raw`[A-Za-z_]\w*(?:${OPENINGS}"[^"]*"${CLOSINGS})?(?::::[\w-]+)?`;
const NODES = String.raw`${NODE}(?:\s*&\s*${NODE})*`;
// Each run of blanks has one owner: the edge text takes the blanks after it.
const LINK = String.raw`\s*(?:<?(?:-{2,}|={2,}|-\.+-)[->ox]?|~~~)\s*(?:\|"[^"]*"\|\s*)?`;
const NODE_STATEMENT = new RegExp(String.raw`^${NODES}(?:${LINK}${NODES})*\s*;?$`);

/** Flowchart source ready for a ```mermaid block, or undefined when it is not plausibly valid. */
export function sanitizeMermaid(source: string): string | undefined {
  if (source.length > MAX_INPUT_CHARS) return undefined;
  const lines = stripFences(source)
    .split("\n")
    .map((line) => line.trimEnd())
    .filter((line) => line.trim() !== "");
  if (lines.some((line) => line.length > MAX_LINE_CHARS)) return undefined;
  const first = lines[0]?.trim();
  if (first === undefined) return undefined;
  const header = HEADER.test(first) ? first.replace(/;$/, "") : undefined;
  const body = header ? lines.slice(1) : lines;
  // A model that forgot the header but wrote edges still meant a flowchart.
  if (!header && !body.some((line) => ARROW.test(line))) return undefined;
  const statements: string[] = [];
  for (const raw of body) {
    const line = raw.trim();
    if (/^(click|callback|%%\{)/i.test(line) || line.startsWith("%%{")) continue;
    const sanitized = KEYWORD_STATEMENT.test(line) ? line : quoteLabels(quoteEdgeText(line));
    if (sanitized === undefined) return undefined;
    if (!KEYWORD_STATEMENT.test(sanitized) && !NODE_STATEMENT.test(sanitized)) return undefined;
    statements.push(`  ${sanitized}`);
  }
  if (statements.length === 0 || statements.length > MAX_LINES) return undefined;
  const result = [header ?? "flowchart TD", ...statements].join("\n");
  return result.length <= MAX_SOURCE_CHARS ? result : undefined;
}

function stripFences(source: string): string {
  const text = source.replace(/\r\n?/g, "\n").replace(/^\s*(```|~~~)(?:\s*mermaid)?\s*\n/i, "");
  return withoutClosingFence(text).trim();
}

/**
 * The text without a fence on its last line, found from the end: `/\n\s*```\s*$/` reads every
 * run of blank lines again from each of its line breaks.
 */
function withoutClosingFence(text: string): string {
  const trimmed = text.trimEnd();
  if (!trimmed.endsWith("```") && !trimmed.endsWith("~~~")) return text;
  const before = trimmed.slice(0, -3);
  const content = before.trimEnd();
  return before.slice(content.length).includes("\n") ? content : text;
}

/** `A -- some text --> B` and `A -->|some text| B` with the text quoted and made safe. */
function quoteEdgeText(line: string): string {
  return line
    .replace(
      /(?<![-=.])--\s+([^|>-][^>|]*?)\s+-->/g,
      (_all, text: string) => `-->|${quoteText(text)}|`,
    )
    .replace(/\|([^|]*)\|/g, (_all, text: string) => `|${quoteText(text)}|`);
}

interface Shape {
  open: string;
  close: string;
}

// Longest openings first, so `((` is not read as `(` followed by a label starting with `(`.
const SHAPES: Shape[] = [
  { open: "(((", close: ")))" },
  { open: "((", close: "))" },
  { open: "([", close: "])" },
  { open: "[[", close: "]]" },
  { open: "[(", close: ")]" },
  { open: "{{", close: "}}" },
  { open: "[/", close: "/]" },
  { open: "[\\", close: "\\]" },
  { open: "[/", close: "\\]" },
  { open: "[\\", close: "/]" },
  { open: "(", close: ")" },
  { open: "[", close: "]" },
  { open: "{", close: "}" },
  { open: ">", close: "]" },
];

/** Every node label in quotes; undefined when a shape is never closed. */
function quoteLabels(line: string): string | undefined {
  if (/^(classDef|class|style|linkStyle|%%)\b/.test(line)) return line;
  let out = "";
  let at = 0;
  while (at < line.length) {
    const id = /^[A-Za-z_][\w]*/.exec(line.slice(at));
    if (!id || (at > 0 && /[\w"]/.test(line[at - 1] ?? ""))) {
      if (line[at] === "|") {
        // Edge text was quoted already; copy it whole.
        const end = line.indexOf("|", at + 1);
        if (end < 0) return undefined;
        out += line.slice(at, end + 1);
        at = end + 1;
        continue;
      }
      out += line[at];
      at += 1;
      continue;
    }
    out += id[0];
    at += id[0].length;
    const node = readShape(line, at);
    if (node === null) return undefined;
    if (node) {
      out += `${node.shape.open}${quoteText(node.label)}${node.shape.close}`;
      at = node.end;
    }
  }
  return out;
}

/** The shape right after a node id: undefined when there is none, null when it never closes. */
function readShape(
  line: string,
  at: number,
): { shape: Shape; label: string; end: number } | undefined | null {
  const shape = SHAPES.find((s) => line.startsWith(s.open, at));
  if (!shape) return undefined;
  // The first closing sequence followed by something that may follow a node ends the label,
  // so `A(call f(x))` keeps `call f(x)` whole.
  for (
    let end = line.indexOf(shape.close, at + shape.open.length);
    end >= 0;
    end = line.indexOf(shape.close, end + 1)
  ) {
    const after = line.slice(end + shape.close.length);
    if (after === "" || /^(\s|[-=.&;~<]|:::)/.test(after)) {
      return {
        shape,
        label: line.slice(at + shape.open.length, end),
        end: end + shape.close.length,
      };
    }
  }
  return null;
}

/** Label text in double quotes with the characters that break Mermaid or HTML as entity codes. */
function quoteText(text: string): string {
  const inner = text.trim().replace(/^"(.*)"$/s, "$1");
  const safe = inner
    .replace(/"/g, "#quot;")
    .replace(/</g, "#lt;")
    .replace(/>/g, "#gt;")
    .replace(/`/g, "'")
    .slice(0, 200);
  return `"${safe}"`;
}
