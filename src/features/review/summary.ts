// The review's summary comment: updated in place, always under GitHub's size limit, state hidden at the end.
import { PULL_FILES_API_CAP } from "../../github/pull-request-files.js";
import type { ReviewRemarks } from "../../agents/planner/review-remarks.js";
import type { ChangeDiagram } from "../../agents/visualizer/review-diagram.js";
import type { NotReviewed } from "./chunks.js";
import type { FileDiff } from "../../github/pull-request-patch.js";
import type { UnplacedFinding } from "./placement.js";
import { SEVERITY_LABELS } from "./review-request.js";
import { renderRunDetails, type RunDetails } from "./run-details.js";
import type { SkippedFile } from "./skip.js";
import { renderReviewState, reviewMarker, type ReviewState } from "./state.js";
import { clip, codeBlock, inlineCode, untrustedLine, proseBlock } from "../../comments/sanitise.js";

/** GitHub refuses comment bodies longer than 65,536 characters; stay clear of it. */
export const MAX_SUMMARY_CHARS = 65_000;

export interface ReviewSummaryInput {
  pullNumber: number;
  headSha: string;
  /** For a review of new commits only: the head reviewed last time. */
  since?: string;
  /** Every changed file of this review, for the walkthrough. */
  files: readonly FileDiff[];
  remarks?: ReviewRemarks;
  /** Why there are no remarks, when the Planner's answer could not be used. */
  remarksProblem?: string;
  diagram?: ChangeDiagram;
  chunkCount: number;
  inlineCount: number;
  unplaced: readonly UnplacedFinding[];
  /** Findings left out because they were posted before or dismissed. */
  repeatedCount: number;
  skipped: readonly SkippedFile[];
  notReviewed: readonly NotReviewed[];
  /** The pulls API stopped at its 3,000-file cap. */
  fileListTruncated: boolean;
  runDetails: RunDetails;
  state: ReviewState;
}

interface Section {
  /** Full text. */
  text: string;
  /** What stands in its place when the comment would be too long. */
  folded: string;
}

const short = (sha: string): string => sha.slice(0, 7);
const plural = (count: number, one: string, many = `${one}s`): string =>
  `${count} ${count === 1 ? one : many}`;
const pathCell = (path: string): string => inlineCode(path).replaceAll("|", "\\|");
const folder = (title: string, body: string): string =>
  `<details><summary>${title}</summary>\n\n${body}\n\n</details>`;

function headline(input: ReviewSummaryInput): string {
  const scope = input.since
    ? `the changes from ${inlineCode(short(input.since))} to ${inlineCode(short(input.headSha))}`
    : `${inlineCode(short(input.headSha))}`;
  const findings =
    input.inlineCount + input.unplaced.length === 0
      ? "no findings."
      : `${plural(input.inlineCount, "comment")} on the changed lines` +
        (input.unplaced.length > 0
          ? `, ${plural(input.unplaced.length, "finding")} listed below.`
          : ".");
  const repeated =
    input.repeatedCount > 0
      ? ` ${plural(input.repeatedCount, "finding")} raised before or dismissed ${input.repeatedCount === 1 ? "was" : "were"} not repeated.`
      : "";
  if (input.chunkCount === 0) {
    return `Nothing to review at ${scope}: every changed file was skipped (see below).`;
  }
  return `Reviewed ${scope} in ${plural(input.chunkCount, "model call")}: ${findings}${repeated}`;
}

function whatChanged(input: ReviewSummaryInput): Section | undefined {
  if (input.remarks) {
    return {
      text: `### What changed\n\n${proseBlock(input.remarks.summary)}`,
      folded: "### What changed\n\n_Left out: the comment would be too long._",
    };
  }
  if (!input.remarksProblem) return undefined;
  return {
    text: `### What changed\n\n_No overview: ${untrustedLine(input.remarksProblem, 300)}_`,
    folded: "",
  };
}

function walkthrough(input: ReviewSummaryInput): Section | undefined {
  if (input.files.length === 0) return undefined;
  const changes = new Map((input.remarks?.walkthrough ?? []).map((row) => [row.path, row.change]));
  const table = [
    "| file | change | lines |",
    "| --- | --- | ---: |",
    ...input.files.map((file) => {
      const renamed = file.previousPath ? ` (from ${pathCell(file.previousPath)})` : "";
      const change = changes.get(file.path);
      const text = change ? untrustedLine(change, 300) : file.status;
      return `| ${pathCell(file.path)}${renamed} | ${text} | +${file.additions} −${file.deletions} |`;
    }),
  ].join("\n");
  const title = `Walkthrough (${plural(input.files.length, "file")})`;
  return {
    text:
      input.files.length > 8
        ? `### Walkthrough\n\n${folder(title, table)}`
        : `### Walkthrough\n\n${table}`,
    folded: `### Walkthrough\n\n_${plural(input.files.length, "file")} changed; the table is left out: the comment would be too long._`,
  };
}

function designRemarks(input: ReviewSummaryInput): Section | undefined {
  const remarks = input.remarks?.design_remarks ?? [];
  if (remarks.length === 0) return undefined;
  const items = remarks.map(
    (remark) => `**${untrustedLine(remark.title, 160)}**\n\n${proseBlock(remark.body)}`,
  );
  return {
    text: `### Design remarks\n\n${items.join("\n\n")}`,
    folded: `### Design remarks\n\n_${plural(remarks.length, "remark")} left out: the comment would be too long._`,
  };
}

function diagram(input: ReviewSummaryInput): Section | undefined {
  if (!input.diagram) return undefined;
  const caption = input.diagram.caption ? `${untrustedLine(input.diagram.caption, 200)}\n\n` : "";
  return {
    text: `### Diagram\n\n${caption}${codeBlock(input.diagram.mermaid, "mermaid")}`,
    folded: "",
  };
}

function unplacedFinding({ finding, reason }: UnplacedFinding): string {
  const where = `${inlineCode(`${finding.path}:${finding.line}`)}`;
  const parts = [
    `**${SEVERITY_LABELS[finding.severity]}** · \`${finding.rule}\` · ${where} · **${untrustedLine(finding.title, 200)}**`,
    `_Not inline: ${untrustedLine(reason, 300)}._`,
  ];
  const body = proseBlock(clip(finding.body.trim(), 1500));
  if (body !== "") parts.push(body);
  if (finding.suggestion !== undefined)
    parts.push(`Suggested:\n\n${codeBlock(clip(finding.suggestion, 1500))}`);
  return parts.join("\n\n");
}

function unplaced(input: ReviewSummaryInput): Section | undefined {
  if (input.unplaced.length === 0) return undefined;
  const body = input.unplaced.map(unplacedFinding).join("\n\n---\n\n");
  const title = `Findings not placed inline (${input.unplaced.length})`;
  return {
    text:
      input.unplaced.length > 5
        ? `### ${title}\n\n${folder("Show them", body)}`
        : `### ${title}\n\n${body}`,
    folded: `### ${title}\n\n_Left out: the comment would be too long. The most severe findings are inline._`,
  };
}

function skippedLines(skipped: readonly SkippedFile[]): string[] {
  const byReason = new Map<string, string[]>();
  for (const file of skipped)
    byReason.set(file.reason, [...(byReason.get(file.reason) ?? []), file.path]);
  return [...byReason].map(([reason, paths]) => {
    const shown = paths.slice(0, 20).map(inlineCode).join(", ");
    const more = paths.length > 20 ? ` and ${paths.length - 20} more` : "";
    return `- ${shown}${more}: ${untrustedLine(reason, 300)}`;
  });
}

function notReviewedLines(input: ReviewSummaryInput): string[] {
  const lines = input.notReviewed.map((item) => {
    const hunks = item.hunks
      ? ` (${plural(item.hunks.length, "hunk")}: ${item.hunks.map((h) => h + 1).join(", ")})`
      : "";
    return `- ${inlineCode(item.path)}${hunks}: ${untrustedLine(item.reason, 300)}`;
  });
  if (input.fileListTruncated) {
    lines.unshift(
      `- GitHub's pull request files API lists at most ${PULL_FILES_API_CAP.toLocaleString("en-US")} files; the files past them were not reviewed.`,
    );
  }
  return lines;
}

function leftOut(input: ReviewSummaryInput): Section | undefined {
  const notReviewed = notReviewedLines(input);
  const skipped = skippedLines(input.skipped);
  if (notReviewed.length + skipped.length === 0) return undefined;
  const parts: string[] = [];
  if (notReviewed.length > 0) parts.push(`**Not reviewed**\n\n${notReviewed.join("\n")}`);
  if (skipped.length > 0) parts.push(`**Skipped**\n\n${skipped.join("\n")}`);
  const body = parts.join("\n\n");
  const title = `Not reviewed or skipped (${input.notReviewed.length + input.skipped.length} files)`;
  return {
    text:
      notReviewed.length + skipped.length > 10
        ? `### ${title}\n\n${folder("Show them", body)}`
        : `### ${title}\n\n${body}`,
    folded: `### ${title}\n\n_The list is left out: the comment would be too long._`,
  };
}

/** Least needed first: these give way when the comment would pass GitHub's limit. */
const FOLD_ORDER = [
  "walkthrough",
  "diagram",
  "leftOut",
  "unplaced",
  "designRemarks",
  "whatChanged",
] as const;
type SectionName = (typeof FOLD_ORDER)[number];

/** The summary comment's Markdown, with the marker and the hidden state; never over the limit. */
export function renderReviewSummary(input: ReviewSummaryInput): string {
  const sections: Partial<Record<SectionName, Section>> = {
    whatChanged: whatChanged(input),
    walkthrough: walkthrough(input),
    designRemarks: designRemarks(input),
    diagram: diagram(input),
    unplaced: unplaced(input),
    leftOut: leftOut(input),
  };
  const order: SectionName[] = [
    "whatChanged",
    "walkthrough",
    "designRemarks",
    "diagram",
    "unplaced",
    "leftOut",
  ];
  const compose = (): string =>
    [
      reviewMarker(input.pullNumber),
      `## Symphony review\n\n${headline(input)}`,
      ...order.map((name) => sections[name]?.text ?? ""),
      renderRunDetails(input.runDetails),
      renderReviewState(input.state),
    ]
      .filter((part) => part !== "")
      .join("\n\n");
  let body = compose();
  for (const name of FOLD_ORDER) {
    if (body.length <= MAX_SUMMARY_CHARS) break;
    const section = sections[name];
    if (section) sections[name] = { text: section.folded, folded: section.folded };
    body = compose();
  }
  return body;
}
