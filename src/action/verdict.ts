// Whether the run succeeded, in a sentence: never a green job that hid a failure or did nothing
// it was asked to do.
import type { ActionResult } from "./main.js";

export type Outcome = "done" | "nothing-to-do" | "failed";

export interface Verdict {
  outcome: Outcome;
  /** The sentence for `core.setFailed` or the notice. */
  message: string;
}

export function judge(result: ActionResult): Verdict {
  const reported = result.writes
    .failures()
    .map((comment) => `${firstLine(comment.body)} (${comment.url})`);
  const problems = [...result.failures, ...reported];
  if (problems.length > 0) {
    return {
      outcome: "failed",
      message: `Symphony failed on ${result.event}: ${problems.join("; ")}`,
    };
  }
  if (result.writes.nothingWritten && result.refresh === undefined) {
    if (result.expected) {
      return {
        outcome: "failed",
        message: `Symphony was asked to work on ${result.event} but wrote nothing to GitHub; the log above says why (often: the sender lacks permission, or the label or command is not Symphony's).`,
      };
    }
    return {
      outcome: "nothing-to-do",
      message: `Nothing to do: ${result.event} did not ask Symphony for anything (no Symphony label or command, or a sender without permission).`,
    };
  }
  return { outcome: "done", message: `Symphony handled ${result.event}.` };
}

/** The first line of a comment a person would read, without Symphony's hidden markers. */
export function firstLine(body: string): string {
  const line = firstNonBlankLine(withoutHtmlComments(body).replace(/\*\*/g, ""));
  return line.length > 120 ? `${line.slice(0, 119)}…` : line;
}

/**
 * Every `<!-- … -->` removed, an unclosed one kept, in one pass: `/<!--[\s\S]*?-->/g` reads to
 * the end of the text again for every `<!--` when none is closed.
 */
function withoutHtmlComments(text: string): string {
  let out = "";
  let at = 0;
  for (;;) {
    const open = text.indexOf("<!--", at);
    const close = open < 0 ? -1 : text.indexOf("-->", open + 4);
    if (close < 0) return out + text.slice(at);
    out += text.slice(at, open);
    at = close + 3;
  }
}

/** Read up to the first line that holds something, not split into every line of the text. */
function firstNonBlankLine(text: string): string {
  for (let at = 0; at <= text.length;) {
    const end = text.indexOf("\n", at);
    const line = text.slice(at, end < 0 ? text.length : end).trim();
    if (line !== "" || end < 0) return line;
    at = end + 1;
  }
  return "";
}
