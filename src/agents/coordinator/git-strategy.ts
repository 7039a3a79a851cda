// How a plan's tasks become commits. Fixed by Symphony rather than chosen by the model, because
// the branch name is part of the contract with the Implement step (DESIGN.md).
import type { GitStrategy } from "./schema.js";

export function gitStrategyFor(issueNumber: number, defaultBranch = "main"): GitStrategy {
  return {
    branch: `symphony/issue-${issueNumber}`,
    commit_pattern: "<task_id>: <task title>",
    merge_target: defaultBranch,
    review_required: true,
  };
}
