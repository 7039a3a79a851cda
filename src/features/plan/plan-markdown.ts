// A PlanRecord as the GitHub comment users read: EPIC, design, diagram, tasks, next steps, and
// the record itself hidden at the end. The caller prepends the `<!-- symphony:plan:<n> -->` marker.
import type { Task } from "../../agents/coordinator/schema.js";
import type { PlanRecord } from "../../agents/conductor/plan-record.js";
import type { Epic } from "../../agents/feature/schema.js";
import type { Plan } from "../../agents/planner/schema.js";
import type { Visual } from "../../agents/visualizer/schema.js";
import { renderAnswer } from "./answer.js";
import {
  CALLER_RESERVE,
  GITHUB_COMMENT_LIMIT,
  fitSections,
  type CommentSection,
} from "../../comments/comment-size.js";
import { sanitizeMermaid } from "../../comments/mermaid.js";
import { planDataBlock } from "./plan-data.js";
import { runDetails } from "./run-details.js";
import {
  codeBlock,
  inlineCode,
  inlineProse,
  proseBlock,
  tableCell,
} from "../../comments/sanitise.js";

export { parsePlanRecord } from "./plan-data.js";

/** The hidden plan data may take this much of the comment; beyond it the stored copy is shortened. */
const DATA_LIMIT = 30_000;

export const REFINE_HINT =
  "To refine: edit the issue and comment `/symphony plan`, or comment `/symphony plan <what to change>`.";

export interface PlanCommentOptions {
  /** Sentences for the run details the reader must not miss, formatted for a comment. */
  warnings?: readonly string[];
}

/** The comment body for a finished run: the plan, or the answer when the issue is a question. */
export function renderPlanComment(record: PlanRecord, options: PlanCommentOptions = {}): string {
  return record.epic ? renderPlan(record, options) : renderAnswer(record, options.warnings);
}

export function renderPlan(record: PlanRecord, options: PlanCommentOptions = {}): string {
  const data = planDataBlock(record, DATA_LIMIT);
  const visible = fitSections(
    planSections(record, options.warnings ?? []),
    GITHUB_COMMENT_LIMIT - CALLER_RESERVE - data.length - 2,
  );
  return `${visible}\n\n${data}`;
}

function planSections(record: PlanRecord, warnings: readonly string[]): CommentSection[] {
  const sections: CommentSection[] = [headerSection(record)];
  if (record.epic) sections.push(...epicSections(record.epic));
  if (record.plan) sections.push(...designSections(record.plan, record.unverified_paths));
  if (record.visual) sections.push(...visualSections(record.visual));
  if (record.tasks) sections.push(taskSection(record.tasks));
  sections.push(validationSection(record), nextStepsSection(), {
    head: runDetails(record, REFINE_HINT, warnings),
    priority: 4,
  });
  return sections;
}

function headerSection(record: PlanRecord): CommentSection {
  const { intent, epic } = record;
  const facts = [`**Intent:** ${intent.kind}`];
  if (epic) {
    facts.push(
      `**EPIC:** ${inlineCode(epic.epic.id)}`,
      `**Priority:** ${epic.epic.priority}`,
      `**Complexity:** ${epic.epic.complexity.replace("_", " ")}`,
      `**Status:** ${epic.epic.status.replace("_", " ")}`,
    );
  }
  const lines = [`## Plan: ${inlineProse(epic?.epic.name ?? intent.title)}`, "", facts.join(" · ")];
  if (record.mode === "refine" && record.change_request) {
    lines.push("", `_Re-planned with your change:_ ${inlineProse(record.change_request)}`);
  }
  if (record.mode === "deeper") lines.push("", "_Features expanded into subtasks._");
  lines.push("", proseBlock(intent.problem_statement));
  return { head: lines.join("\n"), priority: 0 };
}

function epicSections(backlog: Epic): CommentSection[] {
  const { epic, features } = backlog;
  const about = [`### EPIC: ${inlineProse(epic.name)}`, "", `**Goal:** ${inlineProse(epic.goal)}`];
  if (epic.description.trim()) about.push("", proseBlock(epic.description));
  if (epic.dependencies.length > 0) {
    about.push("", `**Depends on:** ${epic.dependencies.map(inlineProse).join("; ")}`);
  }
  const sections: CommentSection[] = [
    {
      head: about.join("\n"),
      priority: 1,
      whenLeftOut: "_The EPIC's description was left out to fit GitHub's comment size._",
    },
    {
      head: "### Features\n\n| ID | Feature | Story points | Acceptance criteria | Notes |\n| --- | --- | --- | --- | --- |",
      items: features.map(
        (f) =>
          `| ${tableCell(f.id)} | **${tableCell(f.title)}**${f.user_story.trim() ? `<br>_${tableCell(f.user_story)}_` : ""} | ${f.story_points} | ${f.acceptance_criteria.map((c) => `• ${tableCell(c)}`).join("<br>")} | ${tableCell(f.notes)} |`,
      ),
      tail: `**Story points in all:** ${features.reduce((sum, f) => sum + f.story_points, 0)}`,
      priority: 1,
    },
  ];
  const subtasks = features.flatMap((f) =>
    (f.subtasks ?? []).map((s) => ({ feature: f.id, ...s })),
  );
  if (subtasks.length > 0) {
    sections.push({
      head: "#### Subtasks\n\n| Feature | Subtask | Hours | Technical requirements | Who |\n| --- | --- | --- | --- | --- |",
      items: subtasks.map(
        (s) =>
          `| ${tableCell(s.feature)} | ${tableCell(s.id)} ${tableCell(s.title)} | ${s.estimated_hours} | ${s.technical_requirements.map(tableCell).join("<br>")} | ${s.assignee_type} |`,
      ),
      priority: 3,
      whenLeftOut:
        "_Subtasks were left out to fit GitHub's comment size; `/symphony backlog` files them._",
    });
  }
  if (epic.out_of_scope.length > 0) {
    sections.push({
      head: "**Out of scope**",
      items: epic.out_of_scope.map((item) => `- ${inlineProse(item)}`),
      priority: 2,
    });
  }
  return sections;
}

function designSections(plan: Plan, unverified: readonly string[]): CommentSection[] {
  const head = ["### Design"];
  if (plan.technology_stack.length > 0) {
    head.push("", `**Technology stack:** ${plan.technology_stack.map(inlineProse).join(", ")}`);
  }
  const sections: CommentSection[] = [
    {
      head: [...head, "", "**Components**"].join("\n"),
      items: plan.components.map(
        (c) => `- **${inlineProse(c.name)}**: ${inlineProse(c.responsibility)}`,
      ),
      priority: 2,
    },
    {
      head: "#### Files to change\n\n| File | Change | Why |\n| --- | --- | --- |",
      items: plan.files_to_change.map((f) => {
        const change = f.action === "create" ? "**new**" : "modify";
        const flag = unverified.includes(f.path) ? " (not checked: tree truncated)" : "";
        return `| ${inlineCode(f.path).replace(/\|/g, "\\|")} | ${change}${flag} | ${tableCell(f.why)} |`;
      }),
      priority: 0,
    },
  ];
  if (plan.approach.trim()) {
    sections.push({
      head: `#### Approach\n\n${proseBlock(plan.approach)}`,
      priority: 2,
      whenLeftOut: "",
    });
  }
  const lists: [string, string[], number][] = [
    ["#### Design decisions", plan.design_decisions, 3],
    ["#### Risks", plan.risks, 2],
    ["#### Test plan", plan.test_plan, 2],
  ];
  for (const [title, list, priority] of lists) {
    if (list.length === 0) continue;
    sections.push({ head: title, items: list.map((i) => `- ${inlineProse(i)}`), priority });
  }
  return sections;
}

function visualSections(visual: Visual): CommentSection[] {
  const sections: CommentSection[] = [];
  if (visual.pseudocode.trim()) {
    sections.push({
      head: `<details>\n<summary>Pseudocode</summary>\n\n${codeBlock(visual.pseudocode, "text")}\n\n</details>`,
      priority: 5,
      whenLeftOut:
        "_The pseudocode was left out to fit GitHub's comment size; it is kept in the plan data._",
    });
  }
  const diagram = sanitizeMermaid(visual.mermaid);
  if (diagram) {
    sections.push({
      head: `### Diagram\n\n\`\`\`mermaid\n${diagram}\n\`\`\``,
      priority: 4,
      whenLeftOut: "",
    });
  } else if (visual.mermaid.trim()) {
    sections.push({
      head: "_The Code-Visualizer's diagram was left out because it was not valid Mermaid._",
      priority: 6,
    });
  }
  return sections;
}

function taskSection(tasks: readonly Task[]): CommentSection {
  return {
    head: "### Tasks\n",
    items: tasks.map(taskItem),
    priority: 0,
  };
}

function taskItem(task: Task): string {
  const facts = [
    task.assigned_agent === "editor" ? "Editor agent" : "a person",
    task.priority,
    `~${task.estimated_hours} h`,
    task.dependencies.length > 0 ? `after ${task.dependencies.map(inlineProse).join(", ")}` : "",
  ].filter(Boolean);
  const lines = [
    `- [ ] **${inlineProse(task.task_id)}** ${inlineProse(task.title)} _(${facts.join(" · ")})_`,
  ];
  if (task.description.trim()) lines.push(`  ${inlineProse(task.description)}`);
  const req = task.technical_requirements;
  const files = [
    ...req.files_to_create.map((p) => `${inlineCode(p)} (new)`),
    ...req.files_to_modify.map((p) => inlineCode(p)),
  ];
  if (files.length > 0) lines.push(`  - Files: ${files.join(", ")}`);
  if (req.libraries.length > 0)
    lines.push(`  - Libraries: ${req.libraries.map(inlineCode).join(", ")}`);
  if (req.environment_variables.length > 0) {
    lines.push(`  - Environment: ${req.environment_variables.map(inlineCode).join(", ")}`);
  }
  lines.push(`  - Done when: ${task.success_criteria.map(inlineProse).join("; ")}`);
  return lines.join("\n");
}

function validationSection(record: PlanRecord): CommentSection {
  const items = [
    ...(record.visual?.undefined_points ?? []).map((p) => `- **Undefined:** ${inlineProse(p)}`),
    ...(record.visual?.contradictions ?? []).map((p) => `- **Contradiction:** ${inlineProse(p)}`),
    ...record.validation_notes.map(
      (n) => `- **Checked against the repository:** ${inlineProse(n)}`,
    ),
  ];
  return {
    head:
      items.length > 0
        ? "### Logic validation\n"
        : "### Logic validation\n\nNothing left undefined or contradictory was found.",
    items,
    priority: 2,
  };
}

function nextStepsSection(): CommentSection {
  return {
    head: [
      "### Next steps",
      "",
      "- `/symphony deeper`: expand each feature into subtasks with estimated hours and technical requirements.",
      "- `/symphony plan <what to change>`: re-plan with your changes.",
      "- `/symphony implement`: go ahead; Symphony opens a draft pull request that carries out the tasks.",
      "- `/symphony backlog`: file the features as sub-issues of this issue.",
    ].join("\n"),
    priority: 0,
  };
}
