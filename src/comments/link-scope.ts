// Links in model text stay links only where the model quoted them from its input: an injected
// "post this link" cannot make Symphony publish a URL nobody gave it. The run's prompts are
// recorded as they go to the model (the app's recording runtime), and every renderer of model
// text defuses the other URLs. Outside a run (the CLI, unit tests of renderers) nothing changes.
import { AsyncLocalStorage } from "node:async_hooks";

interface LinkScope {
  /** Links the run gave the model. */
  quoted: Set<string>;
  /** Links a model wrote first; fed to the next agent, they must not count as given. */
  invented: Set<string>;
}

const scope = new AsyncLocalStorage<LinkScope>();

/**
 * `https://…` and `http://…` up to whitespace or a closing bracket, quote or angle bracket. Every
 * pattern here reads each character a bounded number of times: they run on whole prompts (1 MB
 * files) and on model text, so none may backtrack over its input. None matches across a NUL
 * (`PIECE_BREAK`), so the sanitiser can defuse thousands of pieces of one line in one pass.
 */
const URL_PATTERN = /\bhttps?:\/\/[^\s<>()[\]"'`\0]+/gi;
/** `[label](target "title")` whose label holds no bracket: a label ends at the next bracket. */
const MARKDOWN_LINK = /\[([^[\]\n\0]*)\]\(\s*([^\s()[\]<>\0]*)(?:\s+"[^"\n\0]*")?\s*\)/g;
/**
 * What remains of inline-link syntax (a label with nested brackets): `](`. Only a target that
 * starts with a URL can be one the run gave; every other `](` is defused without a callback.
 */
const LINK_TARGET_URL = /\]\((?=\s*https?:\/\/)/gi;
const LINK_TARGET_OTHER = /\]\((?!\s*https?:\/\/)/gi;
/** `[label]: target`, a reference definition, which makes every `[label]` a link. */
const REFERENCE_DEFINITION = /\[([^[\]\n\0]*)\]:/g;
const WWW_LINK = /(^|[^\w/.@-])(www\.[A-Za-z0-9-]+\.[^\s<>()[\]"'`\0]+)/gi;
/** What the sanitiser puts between pieces it defuses together; cleaned text never holds it. */
export const PIECE_BREAK = "\0";
const ZERO_WIDTH_SPACE = "\u200B";

/** Runs `work` with an empty set of quoted links, which the run's prompts then fill. */
export function runWithLinkScope<T>(work: () => Promise<T>): Promise<T> {
  return scope.run({ quoted: new Set(), invented: new Set() }, work);
}

/** Records the links in text given to the model, so the model may quote them back. */
export function allowLinksFrom(text: string): void {
  const links = scope.getStore();
  if (links === undefined) return;
  for (const match of text.matchAll(URL_PATTERN)) {
    const url = normalise(match[0]);
    if (!links.invented.has(url)) links.quoted.add(url);
  }
}

/** Records a model's reply: links in it that it was not given stay unquoted for later agents. */
export function noteModelOutput(text: string): void {
  const links = scope.getStore();
  if (links === undefined) return;
  for (const match of text.matchAll(URL_PATTERN)) {
    const url = normalise(match[0]);
    if (!links.quoted.has(url)) links.invented.add(url);
  }
}

/**
 * The text with every link the model was not given made inert: a Markdown link keeps its text
 * and shows its target unlinked, whatever the target (`//host`, `https&#58;//…`, a relative
 * path); a bare URL reads the same but no longer links; a reference definition (`[x]: …`) no
 * longer defines anything. Images are never rendered, given or not. Outside a run only images
 * change. The caller escapes `<`, `>` and `&`, which ends autolinks (`<https://…>`) and entity
 * tricks (`&#64;name`).
 */
export function defuseUnquotedLinks(text: string): string {
  // A zero-width space between "!" and "[" leaves a link at most, never an image.
  const noImages = text.replaceAll("![", `!${ZERO_WIDTH_SPACE}[`);
  const links = scope.getStore();
  if (links === undefined) return noImages;
  const quoted = (url: string): boolean =>
    /^https?:\/\//i.test(url) && links.quoted.has(normalise(url));
  return noImages
    .replace(MARKDOWN_LINK, (whole, label: string, url: string) =>
      quoted(url) ? whole : `${label} (${inert(url)})`,
    )
    .replace(LINK_TARGET_URL, (whole, offset: number, all: string) =>
      quoted(leadingUrl(all, offset + 2)) ? whole : `]${ZERO_WIDTH_SPACE}(`,
    )
    .replace(LINK_TARGET_OTHER, `]${ZERO_WIDTH_SPACE}(`)
    .replace(REFERENCE_DEFINITION, "\\[$1]:")
    .replace(URL_PATTERN, (url, offset: number, all: string) =>
      quoted(url) || all.slice(offset - 1, offset) === ZERO_WIDTH_SPACE ? url : inert(url),
    )
    .replace(WWW_LINK, (whole, before: string, host: string) =>
      quoted(`https://${host}`) || quoted(`http://${host}`) ? whole : `${before}${inert(host)}`,
    );
}

/** Bare URLs the model was not given made inert, and nothing else: for text shown as code. */
export function defuseBareUrls(text: string): string {
  const links = scope.getStore();
  if (links === undefined) return text;
  const quoted = (url: string): boolean => links.quoted.has(normalise(url));
  return text
    .replace(URL_PATTERN, (url) => (quoted(url) ? url : inert(url)))
    .replace(WWW_LINK, (whole, before: string, host: string) =>
      quoted(`https://${host}`) || quoted(`http://${host}`) ? whole : `${before}${inert(host)}`,
    );
}

/** The URL a link target starting at `from` names: up to the first space or bracket. */
function leadingUrl(text: string, from: number): string {
  let at = from;
  while (at < text.length && /\s/.test(text[at]!)) at++;
  const start = at;
  while (at < text.length && !/[\s()[\]<>\0]/.test(text[at]!)) at++;
  return text.slice(start, at);
}

/**
 * GitHub autolinks `scheme://` and `www.`; a zero-width space in each stops it. Read by hand:
 * this runs once per URL, and a comment can hold thousands.
 */
function inert(url: string): string {
  const slashes = url.indexOf("//");
  const scheme = url.slice(0, slashes).toLowerCase();
  const rest =
    slashes >= 0 && (scheme === "" || scheme === "http:" || scheme === "https:")
      ? `${url.slice(0, slashes)}/${ZERO_WIDTH_SPACE}/${url.slice(slashes + 2)}`
      : url;
  return rest.slice(0, 4).toLowerCase() === "www."
    ? `www${ZERO_WIDTH_SPACE}${rest.slice(3)}`
    : rest;
}

const TRAILING_PUNCTUATION = new Set([".", ",", ";", ":", "!", "?"]);

/**
 * Trailing punctuation is prose, not URL; scheme and host compare case-insensitively. Trimmed by
 * hand: `/[.,;:!?]+$/` retries from every dot of a long run of dots.
 */
function normalise(url: string): string {
  let end = url.length;
  while (end > 0 && TRAILING_PUNCTUATION.has(url[end - 1]!)) end--;
  const trimmed = url.slice(0, end);
  const match = /^(https?:\/\/[^/]+)(.*)$/is.exec(trimmed);
  return match ? `${match[1]!.toLowerCase()}${match[2] ?? ""}` : trimmed;
}
