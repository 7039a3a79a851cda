// The job summary: what Symphony did, with links, which models answered and the tokens they used.
import * as core from "@actions/core";
import type { ActionResult } from "./main.js";
import { firstLine, type Verdict } from "./verdict.js";

const ICONS = { done: "✅", "nothing-to-do": "➖", failed: "❌" } as const;

export async function writeJobSummary(result: ActionResult, verdict: Verdict): Promise<void> {
  if (!process.env["GITHUB_STEP_SUMMARY"]) return;
  const summary = core.summary
    .addHeading("Symphony", 2)
    .addRaw(`${ICONS[verdict.outcome]} ${verdict.message}`, true)
    .addBreak()
    .addRaw(
      `<b>Event:</b> ${escape(result.event)}<br><b>Models:</b> ${escape(result.models)}`,
      true,
    );
  const links = writtenLinks(result);
  if (links.length > 0) summary.addHeading("Written to GitHub", 3).addList(links);
  if (result.refresh !== undefined)
    summary.addRaw(`<p>${escape(result.refresh.summary)}</p>`, true);
  const usage = result.usage.list();
  if (usage.length > 0) {
    summary.addHeading("Tokens", 3).addTable([
      [
        { data: "model", header: true },
        { data: "calls", header: true },
        { data: "prompt tokens", header: true },
        { data: "output tokens", header: true },
      ],
      ...usage.map((row) => [
        `${escape(row.provider)} ${escape(row.model)}${row.fallback ? " (fallback)" : ""}`,
        String(row.calls),
        String(row.promptTokens),
        String(row.outputTokens),
      ]),
    ]);
  }
  await summary.write();
}

/** A summary for a run that stopped before it handled anything. */
export async function writeFailureSummary(message: string): Promise<void> {
  if (!process.env["GITHUB_STEP_SUMMARY"]) return;
  await core.summary
    .addHeading("Symphony", 2)
    .addRaw(`❌ ${escape(message)}`, true)
    .write();
}

function writtenLinks(result: ActionResult): string[] {
  const { writes } = result;
  return [
    ...writes.comments.map((comment) => link(comment.url, `Comment: ${firstLine(comment.body)}`)),
    ...writes.pullRequests.map((pull) => link(pull.url, `Pull request: ${pull.title}`)),
    ...writes.issues.map((issue) => link(issue.url, `Issue: ${issue.title}`)),
    ...writes.reviews.map((review) => link(review.url, "Review")),
  ];
}

function link(url: string, text: string): string {
  return `<a href="${escape(url)}">${escape(text)}</a>`;
}

function escape(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");
}
