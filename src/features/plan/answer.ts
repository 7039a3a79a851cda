// The comment for an issue the Enhancer-Prompt agent read as a question: the answer, not a plan.
import type { PlanRecord } from "../../agents/conductor/plan-record.js";
import { CALLER_RESERVE, GITHUB_COMMENT_LIMIT, fitSections } from "../../comments/comment-size.js";
import { planDataBlock } from "./plan-data.js";
import { runDetails } from "./run-details.js";
import { proseBlock } from "../../comments/sanitise.js";

const DATA_LIMIT = 20_000;

export function renderAnswer(record: PlanRecord, warnings: readonly string[] = []): string {
  const { intent } = record;
  const answer =
    intent.answer.trim() || "The model classified this issue as a question but gave no answer.";
  const data = planDataBlock(record, DATA_LIMIT);
  const visible = fitSections(
    [
      { head: `## Answer\n\n${proseBlock(answer)}`, priority: 0 },
      {
        head: "_Symphony read this issue as a question. For a plan instead, comment `/symphony plan <what you want changed>`._",
        priority: 0,
      },
      {
        head: runDetails(
          record,
          "Ask again after editing the issue with `/symphony plan`.",
          warnings,
        ),
        priority: 4,
      },
    ],
    GITHUB_COMMENT_LIMIT - CALLER_RESERVE - data.length - 2,
  );
  return `${visible}\n\n${data}`;
}
