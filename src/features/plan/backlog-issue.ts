// What `/symphony backlog` writes: one sub-issue per feature of the plan, found again by a hidden
// marker in its body, and the report on the parent issue.
import type { Epic, Feature } from "../../agents/feature/schema.js";
import { withMarker, type Marker } from "../../github/markers.js";
import { inlineCode, inlineProse, proseBlock, tableCell } from "../../comments/sanitise.js";

/** GitHub's limit on an issue title. */
const MAX_TITLE_CHARS = 256;

/** The marker of the sub-issue filed for a feature: its parent and the feature's id. */
export function featureMarker(parentNumber: number, featureId: string): Marker {
  // Model-written ids may hold anything; a marker key allows few characters and never "--".
  const key = featureId.replace(/[^A-Za-z0-9._]/g, "_").slice(0, 40) || "feature";
  return { kind: "backlog-item", key: `${parentNumber}:${key}` };
}

export interface FeatureIssue {
  feature: Feature;
  marker: Marker;
  title: string;
  body: string;
}

/** One sub-issue per feature; a feature id the model repeated is filed once. */
export function featureIssues(parentNumber: number, backlog: Epic): FeatureIssue[] {
  const seen = new Set<string>();
  const issues: FeatureIssue[] = [];
  for (const feature of backlog.features) {
    const marker = featureMarker(parentNumber, feature.id);
    if (seen.has(marker.key)) continue;
    seen.add(marker.key);
    issues.push({
      feature,
      marker,
      title: `${feature.id}: ${feature.title}`.replace(/\s+/g, " ").slice(0, MAX_TITLE_CHARS),
      body: withMarker(renderFeatureBody(parentNumber, backlog, feature), marker),
    });
  }
  return issues;
}

function renderFeatureBody(parentNumber: number, backlog: Epic, feature: Feature): string {
  const lines = [
    `Part of #${parentNumber} (${inlineCode(backlog.epic.id)} ${inlineProse(backlog.epic.name)}), filed by Symphony from the plan.`,
    "",
  ];
  if (feature.user_story.trim())
    lines.push(`**User story:** ${inlineProse(feature.user_story)}`, "");
  lines.push(
    `**Story points:** ${feature.story_points}`,
    "",
    "### Acceptance criteria",
    "",
    ...feature.acceptance_criteria.map((criterion) => `- [ ] ${inlineProse(criterion)}`),
  );
  const subtasks = feature.subtasks ?? [];
  if (subtasks.length > 0) {
    lines.push(
      "",
      "### Subtasks",
      "",
      "| Subtask | Hours | Technical requirements | Who |",
      "| --- | --- | --- | --- |",
      ...subtasks.map(
        (s) =>
          `| ${tableCell(s.id)} ${tableCell(s.title)} | ${s.estimated_hours} | ${s.technical_requirements.map(tableCell).join("<br>")} | ${s.assignee_type} |`,
      ),
    );
  }
  if (feature.notes.trim()) lines.push("", "### Notes", "", proseBlock(feature.notes));
  lines.push(
    "",
    `_Running \`/symphony backlog\` on #${parentNumber} again updates this issue from the plan._`,
  );
  return lines.join("\n");
}

export interface BacklogOutcome {
  filed: { feature: Feature; number: number }[];
  updated: { feature: Feature; number: number }[];
  unchanged: { feature: Feature; number: number }[];
  /** Sub-issues filed for features the current plan no longer has; left as they are. */
  stale: { number: number; title: string }[];
}

export function renderBacklogReport(outcome: BacklogOutcome): string {
  const rows = [
    ...outcome.filed.map((r) => row(r, "filed")),
    ...outcome.updated.map((r) => row(r, "updated")),
    ...outcome.unchanged.map((r) => row(r, "unchanged")),
  ];
  const points = [...outcome.filed, ...outcome.updated, ...outcome.unchanged].reduce(
    (sum, r) => sum + r.feature.story_points,
    0,
  );
  const lines = [
    `**Backlog:** ${count(outcome.filed.length, "sub-issue")} filed, ${outcome.updated.length} updated, ${outcome.unchanged.length} unchanged.`,
    "",
    "| Feature | Sub-issue | Story points | |",
    "| --- | --- | --- | --- |",
    ...rows,
    "",
    `**Story points in all:** ${points}`,
  ];
  if (outcome.stale.length > 0) {
    lines.push(
      "",
      `No longer in the plan (left open as they are; close them if they are not needed): ${outcome.stale.map((s) => `#${s.number}`).join(", ")}`,
    );
  }
  lines.push("", "_Run `/symphony backlog` again after changing the plan to update these issues._");
  return lines.join("\n");
}

function row(r: { feature: Feature; number: number }, what: string): string {
  return `| ${tableCell(r.feature.id)} ${tableCell(r.feature.title)} | #${r.number} | ${r.feature.story_points} | ${what} |`;
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}
