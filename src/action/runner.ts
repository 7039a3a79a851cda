// Runs the Action and turns its result or its error into outputs, a job summary and the job's
// status: everything that can go wrong ends here as one `core.setFailed` sentence.
import * as core from "@actions/core";
import { writeFailureSummary, writeJobSummary } from "./job-summary.js";
import { main, messageOf, type ActionResult } from "./main.js";
import { judge } from "./verdict.js";
import { environmentProblem, startUpSentence } from "../app/start-up-error.js";

export async function runAction(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  let result: ActionResult;
  try {
    result = await main(env);
  } catch (error) {
    const problem = environmentProblem(error);
    const message = problem === undefined ? messageOf(error) : startUpSentence(problem, "action");
    core.setOutput("outcome", "failed");
    core.setFailed(message);
    await writeFailureSummary(message).catch(() => undefined);
    return;
  }
  const verdict = judge(result);
  setOutputs(result, verdict.outcome);
  await writeJobSummary(result, verdict).catch((error: unknown) => {
    core.warning(`Could not write the job summary: ${messageOf(error)}`);
  });
  if (verdict.outcome === "failed") core.setFailed(verdict.message);
  else if (verdict.outcome === "nothing-to-do") core.notice(verdict.message);
  else core.info(verdict.message);
}

function setOutputs(result: ActionResult, outcome: string): void {
  const { writes } = result;
  core.setOutput("outcome", outcome);
  core.setOutput("comment-url", writes.comments.at(-1)?.url ?? "");
  core.setOutput("pull-request-url", writes.pullRequests.at(-1)?.url ?? "");
  core.setOutput("issue-url", result.refresh?.issueUrl ?? writes.issues.at(-1)?.url ?? "");
  core.setOutput("prompt-tokens", String(sum(result, "promptTokens")));
  core.setOutput("output-tokens", String(sum(result, "outputTokens")));
}

function sum(result: ActionResult, field: "promptTokens" | "outputTokens"): number {
  return result.usage.list().reduce((total, row) => total + row[field], 0);
}
