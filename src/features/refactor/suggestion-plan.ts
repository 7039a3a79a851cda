// A refactor suggestion as a one-task plan, the shape the Editor's implementation takes in.
import type { PlanRecord } from "../../agents/conductor/plan-record.js";
import type { SuggestionRecord } from "./refactor-state.js";

/** The branch a suggestion is implemented on. */
export function suggestionBranch(id: string): string {
  return `symphony/refactor-${id}`;
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/**
 * The plan record for one suggestion: intent `refactor`, one Editor task bound to the one file,
 * behaviour kept exactly as it is.
 */
export function suggestionPlanRecord(
  suggestion: SuggestionRecord,
  issueNumber: number,
  at: Date,
): PlanRecord {
  const smell = suggestion.smell.replaceAll("-", " ");
  const where = suggestion.function
    ? `${suggestion.function} (${suggestion.file}, line ${suggestion.line})`
    : suggestion.file;
  const problem = `${smell[0]!.toUpperCase()}${smell.slice(1)} in ${where}: ${suggestion.title}.`;
  const keepBehaviour = "Behaviour stays exactly the same: every caller sees the same results.";
  const time = at.toISOString();
  return {
    format: 1,
    issue_number: issueNumber,
    mode: "plan",
    intent: {
      kind: "refactor",
      title: clip(suggestion.title, 200),
      problem_statement: clip(problem, 3000),
      enhanced_prompt: clip(`${problem}\n\n${suggestion.refactor}\n\n${keepBehaviour}`, 4000),
      requirements: [clip(suggestion.title, 300)],
      constraints: [keepBehaviour, `Change only ${clip(suggestion.file, 250)}.`],
      open_questions: [],
      answer: "",
    },
    plan: {
      technology_stack: [],
      components: [],
      files_to_change: [{ path: suggestion.file, action: "modify", why: clip(problem, 500) }],
      approach: clip(`${suggestion.refactor}\n\n${keepBehaviour}`, 4000),
      design_decisions: [],
      risks: ["A refactor that changes behaviour; keep every public signature and result."],
      test_plan: ["The existing tests pass unchanged."],
    },
    tasks: [
      {
        task_id: "T1",
        title: clip(suggestion.title, 200),
        description: clip(`${problem} ${suggestion.refactor} ${keepBehaviour}`, 1500),
        assigned_agent: "editor",
        priority: "medium",
        estimated_hours: 1,
        dependencies: [],
        success_criteria: [keepBehaviour, clip(`The ${smell} in ${where} is gone.`, 300)],
        technical_requirements: {
          files_to_create: [],
          files_to_modify: [suggestion.file],
          libraries: [],
          environment_variables: [],
        },
      },
    ],
    validation_notes: [],
    unverified_paths: [],
    context_notes: [],
    usage: [],
    prompt_versions: {},
    started_at: time,
    finished_at: time,
  };
}
