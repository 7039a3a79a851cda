// PlanRecords for rendering tests: an ordinary one, and one with every field at its bound.
import type { PlanRecord } from "../../../src/agents/conductor/plan-record.js";
import {
  epicReply,
  intentReply,
  planReply,
  taskListReply,
  visualReply,
} from "../../agents/fixtures.js";

export function sampleRecord(overrides: Partial<PlanRecord> = {}): PlanRecord {
  return {
    format: 1,
    issue_number: 42,
    mode: "plan",
    intent: intentReply(),
    epic: epicReply(),
    plan: planReply(),
    tasks: taskListReply().tasks,
    git_strategy: {
      branch: "symphony/issue-42",
      commit_pattern: "<task_id>: <task title>",
      merge_target: "main",
      review_required: true,
    },
    visual: visualReply(),
    validation_notes: [
      "`src/Github/Comments.ts` does not exist; used `src/github/comments.ts` (same path in the repository's letter case).",
    ],
    unverified_paths: [],
    context_notes: [],
    usage: ["enhancer", "feature", "planner", "coordinator", "visualizer"].map((agent, i) => ({
      agent,
      promptVersion: `${agent}@1`,
      provider: "ollama" as const,
      model: "qwen2.5-coder:14b",
      promptTokens: 1_000 * (i + 1),
      outputTokens: 200,
      estimatedPromptTokens: 1_000 * (i + 1),
      numCtx: 16_384,
      wallMs: 12_300,
      retries: 0,
      repairRounds: i === 2 ? 1 : 0,
      fallbackUsed: false,
      doneReason: "stop",
    })),
    prompt_versions: {
      enhancer: "enhancer@1",
      feature: "feature@1",
      planner: "planner@1",
      coordinator: "coordinator@1",
      visualizer: "visualizer@1",
    },
    started_at: "2024-05-01T12:00:00.000Z",
    finished_at: "2024-05-01T12:01:02.000Z",
    ...overrides,
  };
}

const HOSTILE = "@octocat <img src=x onerror=alert(1)> --> ``` `tick` | #1 ";

/** Hostile text of exactly `length` characters. */
export function hostile(length: number): string {
  return HOSTILE.repeat(Math.ceil(length / HOSTILE.length)).slice(0, length);
}

/** Every list at its maximum count and every string at its maximum length, all of it hostile. */
export function maximalRecord(): PlanRecord {
  const list = (count: number, length: number): string[] =>
    Array.from({ length: count }, () => hostile(length));
  const base = sampleRecord();
  return {
    ...base,
    intent: {
      ...base.intent,
      title: hostile(200),
      problem_statement: hostile(3000),
      enhanced_prompt: hostile(4000),
      requirements: list(12, 300),
      constraints: list(12, 300),
      open_questions: list(8, 300),
    },
    epic: {
      epic: {
        ...base.epic!.epic,
        name: hostile(200),
        goal: hostile(1000),
        description: hostile(3000),
        dependencies: list(10, 300),
        out_of_scope: list(10, 300),
      },
      features: Array.from({ length: 10 }, (_, i) => ({
        id: `F${i + 1}`,
        title: hostile(200),
        user_story: hostile(500),
        story_points: 8,
        acceptance_criteria: list(6, 300),
        notes: hostile(1000),
        subtasks: Array.from({ length: 6 }, (_, j) => ({
          id: `F${i + 1}.${j + 1}`,
          title: hostile(200),
          estimated_hours: 4,
          technical_requirements: list(5, 300),
          assignee_type: "agent" as const,
        })),
      })),
    },
    plan: {
      technology_stack: list(15, 120),
      components: Array.from({ length: 12 }, () => ({
        name: hostile(120),
        responsibility: hostile(500),
      })),
      files_to_change: Array.from({ length: 25 }, (_, i) => ({
        path: `src/deep/path/file${i}.ts`,
        action: "modify" as const,
        why: hostile(500),
      })),
      approach: hostile(4000),
      design_decisions: list(10, 500),
      risks: list(10, 500),
      test_plan: list(12, 500),
      files_to_read: [],
    },
    tasks: Array.from({ length: 20 }, (_, i) => ({
      ...base.tasks![0]!,
      task_id: `T${i + 1}`,
      title: hostile(200),
      description: hostile(1500),
      dependencies: i > 0 ? [`T${i}`] : [],
      success_criteria: list(5, 300),
      technical_requirements: {
        files_to_create: Array.from({ length: 10 }, (_, j) => `src/new/file${i}-${j}.ts`),
        files_to_modify: Array.from({ length: 10 }, (_, j) => `src/deep/path/file${j}.ts`),
        libraries: list(6, 120),
        environment_variables: list(6, 120),
      },
    })),
    visual: {
      pseudocode: hostile(6000),
      mermaid:
        `flowchart TD\n${Array.from({ length: 100 }, (_, i) => `  N${i}["${"step ".repeat(6)}"] --> N${i + 1}`).join("\n")}`.slice(
          0,
          4000,
        ),
      undefined_points: list(10, 400),
      contradictions: list(10, 400),
    },
    validation_notes: list(80, 600),
    context_notes: list(40, 600),
  };
}
