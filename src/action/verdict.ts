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
  const line =
    body
      .replace(/<!--[\s\S]*?-->/g, "")
      .split("\n")
      .map((text) => text.replace(/\*\*/g, "").trim())
      .find((text) => text !== "") ?? "";
  return line.length > 120 ? `${line.slice(0, 119)}…` : line;
}
