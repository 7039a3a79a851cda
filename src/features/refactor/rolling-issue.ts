// The Markdown of the one rolling issue of refactor suggestions, and what people did to it: which
// boxes they ticked, which suggestions they removed or marked won't-fix.
import { sanitizeMermaid } from "../../comments/mermaid.js";
import { longestRun } from "../../lib/longest-run.js";
import type { HotspotRow, HotspotSkipReason } from "./hotspots.js";
import {
  MAX_PULLS,
  parseRefactorState,
  renderRefactorState,
  replaceRefactorState,
  type RefactorState,
} from "./refactor-state.js";
import type { Suggestion } from "./suggestions.js";

export const ROLLING_ISSUE_MARKER = "<!-- symphony:refactor -->";
export const ROLLING_ISSUE_LABEL = "symphony:refactor";
export const ROLLING_ISSUE_TITLE = "Refactor suggestions";
/** GitHub refuses issue bodies over 65,536 characters; keep a margin. */
export const MAX_BODY_CHARS = 65_000;

export interface RollingIssueContent {
  runAt: Date;
  windowDays: number;
  commitsScanned: number;
  /** The window held more commits than the bound let the run read. */
  historyTruncated: boolean;
  changedFiles: number;
  measured: number;
  /** Changed files left out of the ranking, by why; shown so an empty table explains itself. */
  skipped?: Partial<Record<HotspotSkipReason, number>>;
  rows: readonly HotspotRow[];
  suggestions: readonly Suggestion[];
  /** Ids whose box was ticked before this run: their box stays ticked. */
  ticked: ReadonlySet<string>;
  state: RefactorState;
}

export function isRollingIssue(body: string | null | undefined): boolean {
  return body?.includes(ROLLING_ISSUE_MARKER) ?? false;
}

/** The whole issue body. Sketches are left out from the last suggestion up when it is too long. */
export function renderRollingIssue(content: RollingIssueContent): string {
  const items = content.suggestions.map((suggestion) => {
    const pull = content.state.pulls?.find(
      (opened) => opened.id === suggestion.id && opened.fingerprint === suggestion.fingerprint,
    );
    const box =
      checkboxLine(suggestion, content.ticked.has(suggestion.id)) + pullLink(pull?.number);
    return { box, full: `${box}\n\n${details(suggestion)}` };
  });
  const shown = items.map((item) => item.full);
  const render = () =>
    [
      ROLLING_ISSUE_MARKER,
      `## ${ROLLING_ISSUE_TITLE}`,
      runLine(content),
      rankingTable(content.rows),
      "### Suggestions",
      suggestionsSection(shown),
      renderRefactorState(content.state),
    ].join("\n\n") + "\n";
  let length = render().length;
  for (let last = items.length - 1; last >= 0 && length > MAX_BODY_CHARS; last -= 1) {
    const item = items[last]!;
    length -= item.full.length - item.box.length;
    shown[last] = item.box;
  }
  return render();
}

function runLine(content: RollingIssueContent): string {
  const date = content.runAt.toISOString().slice(0, 10);
  const commits = content.historyTruncated
    ? `the newest ${content.commitsScanned} commits of the last ${content.windowDays} days (more were left unread)`
    : `${content.commitsScanned} commits of the last ${content.windowDays} days`;
  const leftOut = describeSkipped(content.skipped ?? {});
  return (
    `Ranked on ${date} from ${commits}: ${content.changedFiles} files changed, ` +
    `${content.measured} measured${leftOut ? ` (left out: ${leftOut})` : ""}. ` +
    "Score = normalised changes × normalised complexity."
  );
}

const SKIP_WORDS: Record<HotspotSkipReason, string> = {
  test: "test",
  vendored: "vendored",
  generated: "generated",
  lock: "lock",
  binary: "binary",
  ignored: "ignored by config",
  "not-code": "not code",
  "too-large": "too large",
  minified: "minified",
  missing: "deleted since",
  "beyond-max-files": "changed too rarely to be read",
};

/** "8 test, 2 lock": the changed files left out, largest group first; empty when none were. */
export function describeSkipped(skipped: Partial<Record<HotspotSkipReason, number>>): string {
  return (Object.entries(skipped) as [HotspotSkipReason, number][])
    .filter(([, count]) => count > 0)
    .sort(([a, countA], [b, countB]) => countB - countA || (a < b ? -1 : 1))
    .map(([reason, count]) => `${count} ${SKIP_WORDS[reason] ?? reason}`)
    .join(", ");
}

function pullLink(number: number | undefined): string {
  return number === undefined ? "" : ` — draft pull request #${number}`;
}

/**
 * The body with the suggestion's line linking its draft pull request and the state remembering
 * it, so the next refresh links it too; undefined when the body has no such suggestion line.
 */
export function linkPullRequest(body: string, id: string, number: number): string | undefined {
  const state = parseRefactorState(body);
  const made = state?.made.find((suggestion) => suggestion.id === id);
  if (!state || !made) return undefined;
  let found = false;
  const lines = body.split("\n").map((line) => {
    const box = BOX.exec(line.replace(/\r$/, ""));
    if (!box || LEADING_ID.exec(box[2]!)?.[2] !== id) return line;
    found = true;
    const link = pullLink(number);
    return line.includes(link) ? line : line.replace(/\r?$/, (end) => `${link}${end}`);
  });
  if (!found) return undefined;
  const pulls = [
    ...(state.pulls ?? []).filter((pull) => pull.id !== id),
    { id, fingerprint: made.fingerprint, number },
  ].slice(-MAX_PULLS);
  return replaceRefactorState(lines.join("\n"), { ...state, pulls });
}

function rankingTable(rows: readonly HotspotRow[]): string {
  if (rows.length === 0) {
    return "No hotspots: no measurable file changed in the window (tests, generated, vendored, lock and ignored files do not count).";
  }
  const lines = [
    "| # | File | Changes | Complexity | Score | Worst functions |",
    "| ---: | --- | ---: | ---: | ---: | --- |",
  ];
  rows.forEach((row, index) => {
    const worst = row.worstFunctions
      .map((fn) => `${inlineCode(fn.name)} L${fn.line} (${fn.cognitive})`)
      .join(", ");
    lines.push(
      `| ${index + 1} | ${inlineCode(row.file)} | ${row.changes} | ${row.complexity} | ${row.score.toFixed(2)} | ${escapeCell(worst)} |`,
    );
  });
  return `${lines.join("\n")}\n\nComplexity is the file's total cognitive complexity; the figure after a function is its own.`;
}

function suggestionsSection(items: readonly string[]): string {
  if (items.length === 0) return "No new suggestions in this run.";
  const help =
    "Tick a box, or comment `/symphony implement <id>`, and Symphony opens a draft pull request for it. " +
    "To dismiss a suggestion, delete its line or write “won't fix” on it: it will not come back while the code it points at is unchanged. " +
    "Closing this issue pauses suggestions until `/symphony refactor`.";
  return [help, ...items].join("\n\n");
}

function checkboxLine(suggestion: Suggestion, ticked: boolean): string {
  const where = suggestion.function
    ? `${inlineCode(suggestion.function)} (${inlineCode(suggestion.file)} line ${suggestion.line})`
    : inlineCode(suggestion.file);
  const smell = suggestion.smell.replaceAll("-", " ");
  return `- [${ticked ? "x" : " "}] \`${suggestion.id}\` **${smell[0]!.toUpperCase()}${smell.slice(1)}** in ${where}: ${inlineText(suggestion.title)}`;
}

function details(suggestion: Suggestion): string {
  const language = /\.([A-Za-z0-9+]+)$/.exec(suggestion.file)?.[1] ?? "";
  const parts = [
    `<details><summary>${suggestion.id}: why, and a sketch</summary>`,
    `**Why it matters here:** ${inlineText(suggestion.why)}`,
    `**Refactor:** ${inlineText(suggestion.refactor)}`,
  ];
  if (suggestion.before.trim()) parts.push(`Before:\n\n${fenced(suggestion.before, language)}`);
  if (suggestion.after.trim()) parts.push(`After:\n\n${fenced(suggestion.after, language)}`);
  // The Planner's optional diagram, shown only when it is plausibly valid and safe Mermaid.
  const diagram = suggestion.diagram ? sanitizeMermaid(suggestion.diagram) : undefined;
  if (diagram) parts.push(`Diagram:\n\n${fenced(diagram, "mermaid")}`);
  parts.push("</details>");
  return parts.join("\n\n");
}

/**
 * Model text on one line, unable to open HTML, a comment, a checkbox or a new paragraph, and
 * unable to mention people or link issues (which would notify them).
 */
function inlineText(text: string): string {
  return text
    .replace(/\s+/g, " ")
    .trim()
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replace(/([@#])(?=[\w-])/g, "$1\u200b");
}

function escapeCell(text: string): string {
  return text.replaceAll("|", "\\|");
}

function inlineCode(text: string): string {
  const flat = text.replace(/\s+/g, " ");
  const longest = longestRun(flat, "`");
  const fence = "`".repeat(longest + 1);
  return longest > 0 ? `${fence} ${flat} ${fence}` : `${fence}${flat}${fence}`;
}

/** A code block whose fence no line of the code can close; `<!--` is broken up, harmlessly. */
function fenced(code: string, language: string): string {
  const fence = "`".repeat(Math.max(3, longestRun(code, "`") + 1));
  const safe = code.trimEnd().replaceAll("<!--", "<!-\u200b-");
  return `${fence}${language}\n${safe}\n${fence}`;
}

export interface SuggestionBox {
  id: string;
  ticked: boolean;
  /** Struck through, or “won't fix” written on its line. */
  wontFix: boolean;
}

/** The text starts at a non-blank, so the blanks before it are read once, not once per split. */
const BOX = /^ {0,3}[-*+] \[([ xX])\] +((?:[^ ].*)?)$/;
/** The id opens the line's text, possibly struck through (`~~`). */
const LEADING_ID = /^(~~)?\s*`?(rf-[0-9a-f]{8})\b/;
const WONT_FIX = /\bwon['’]?t[ -]?fix\b|\bwontfix\b/i;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;

/** The suggestion checkboxes in a body, outside code blocks, in order. */
export function parseSuggestionBoxes(body: string | null | undefined): SuggestionBox[] {
  const boxes: SuggestionBox[] = [];
  let openFence: string | undefined;
  for (const line of (body ?? "").split(/\r?\n/)) {
    const fence = FENCE.exec(line)?.[1];
    if (openFence !== undefined) {
      const closes =
        fence !== undefined &&
        fence[0] === openFence[0] &&
        fence.length >= openFence.length &&
        line.trim() === fence;
      if (closes) openFence = undefined;
      continue;
    }
    if (fence !== undefined) {
      openFence = fence;
      continue;
    }
    const box = BOX.exec(line);
    const lead = box ? LEADING_ID.exec(box[2]!) : null;
    if (!box || !lead) continue;
    boxes.push({
      id: lead[2]!,
      ticked: box[1] !== " ",
      wontFix: lead[1] !== undefined || WONT_FIX.test(box[2]!),
    });
  }
  return boxes;
}

/** Ids ticked in `after` that were not ticked in `before` (an `issues.edited` event's two bodies). */
export function newlyTicked(
  before: string | null | undefined,
  after: string | null | undefined,
): string[] {
  const tickedBefore = new Set(
    parseSuggestionBoxes(before)
      .filter((box) => box.ticked)
      .map((box) => box.id),
  );
  return parseSuggestionBoxes(after)
    .filter((box) => box.ticked && !box.wontFix && !tickedBefore.has(box.id))
    .map((box) => box.id);
}
