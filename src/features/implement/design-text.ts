// The plan's design as the Editor reads it: approach, components, files, decisions, tests.
import type { PlanRecord } from "../../agents/conductor/plan-record.js";

export function designText(record: PlanRecord): string {
  const plan = record.plan;
  if (plan === undefined) return record.intent.problem_statement;
  const list = (title: string, items: readonly string[]): string =>
    items.length === 0 ? "" : `${title}:\n${items.map((item) => `- ${item}`).join("\n")}`;
  return [
    plan.approach,
    list("Technology", plan.technology_stack),
    list(
      "Components",
      plan.components.map((c) => `${c.name}: ${c.responsibility}`),
    ),
    list(
      "Files",
      plan.files_to_change.map((f) => `${f.path} (${f.action}): ${f.why}`),
    ),
    list("Design decisions", plan.design_decisions),
    list("Test plan", plan.test_plan),
  ]
    .filter((part) => part.trim() !== "")
    .join("\n\n");
}
