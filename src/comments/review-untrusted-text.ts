// Model text (and pull request text) made safe for a GitHub comment: no mentions, no HTML, no open
// fences, no secrets, no links the model was not given.
import { redactSecrets } from "./secrets.js";
import { defuseUnquotedLinks } from "./link-scope.js";

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;
const MENTION = /@(?=[A-Za-z0-9_-])/g;
const FENCE = /^ {0,3}(`{3,}|~{3,})(.*)$/;
const CODE_SPAN = /(`+)([^`]|[^`][\s\S]*?[^`])\1(?!`)/g;

/** Cut to at most `max` characters, marking the cut. */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}

/**
 * Prose outside code: "@name" would notify that person and "<" would open raw HTML (or a hidden
 * comment that forges Symphony's state), so both are neutralised.
 */
function prose(text: string): string {
  return defuseUnquotedLinks(text).replaceAll("<", "&lt;").replace(MENTION, "@\u200B");
}

/** Code spans are shown literally by GitHub, so only the text between them is neutralised. */
function inlineText(line: string): string {
  let out = "";
  let last = 0;
  for (const match of line.matchAll(CODE_SPAN)) {
    out += prose(line.slice(last, match.index)) + match[0];
    last = match.index + match[0].length;
  }
  return out + prose(line.slice(last));
}

/** Multi-line Markdown from a model: code blocks kept verbatim and always closed. */
export function untrustedMarkdown(text: string): string {
  const out: string[] = [];
  let open: { char: string; length: number } | undefined;
  const lines = redactSecrets(text.replace(CONTROL_CHARS, "").replace(/\r\n?/g, "\n")).split("\n");
  for (const line of lines) {
    const fence = FENCE.exec(line);
    const marker = fence?.[1] ?? "";
    if (open) {
      const closes =
        marker[0] === open.char && marker.length >= open.length && fence?.[2]?.trim() === "";
      if (closes) open = undefined;
      out.push(line);
    } else if (fence) {
      open = { char: marker[0] ?? "`", length: marker.length };
      // The info string names a language; anything else in it is dropped.
      out.push(`${marker}${(fence[2] ?? "").replace(/[^\w+#.-]/g, "")}`);
    } else {
      out.push(inlineText(line));
    }
  }
  if (open) out.push(open.char.repeat(open.length));
  return out.join("\n");
}

/** One line of model text (a title, a table cell): whitespace collapsed, pipes escaped. */
export function untrustedLine(text: string, max: number): string {
  const line = clip(
    redactSecrets(text.replace(CONTROL_CHARS, "")).replace(/\s+/g, " ").trim(),
    max,
  );
  return inlineText(line).replaceAll("|", "\\|");
}

/** A fenced block whose fence no line of the content can close. */
export function codeBlock(raw: string, info = ""): string {
  const content = redactSecrets(raw);
  const longestRun = Math.max(0, ...(content.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(Math.max(3, longestRun + 1));
  return `${fence}${info}\n${content}\n${fence}`;
}

/** Inline code that shows the text literally, whatever backticks it holds. */
export function codeSpan(text: string): string {
  const line = redactSecrets(text).replace(/\s+/g, " ");
  const longestRun = Math.max(0, ...(line.match(/`+/g) ?? []).map((run) => run.length));
  const ticks = "`".repeat(longestRun + 1);
  const pad = line.startsWith("`") || line.endsWith("`") ? " " : "";
  return `${ticks}${pad}${line}${pad}${ticks}`;
}
