// The one reply a broken `.github/symphony.yml` gets: which key is wrong and what was expected.
import type { Logger } from "probot";
import { CONFIG_PATH, describeProblem, type InvalidConfigError } from "../config/errors.js";
import type { GitHubClient, IssueRef } from "../github/client.js";
import { upsertMarkedComment } from "../github/marked-comment.js";

/** What a webhook context offers for this; Probot's Context fits. */
export interface IssueContext {
  octokit: GitHubClient;
  issue(): IssueRef;
  log: Logger;
}

/**
 * One comment per issue, edited in place when the file is still broken on the next try, so a
 * repository with a bad file is never spammed.
 */
export async function reportInvalidConfig(
  context: IssueContext,
  error: InvalidConfigError,
  botLogin: string,
): Promise<void> {
  const issue = context.issue();
  await upsertMarkedComment(
    context.octokit,
    issue,
    { kind: "config-error", key: String(issue.issue_number) },
    renderConfigError(error),
    botLogin,
  );
  context.log.warn({ problems: error.problems }, "the repository's config is invalid");
}

export function renderConfigError(error: InvalidConfigError): string {
  return [
    `Symphony did nothing: \`${CONFIG_PATH}\` is invalid.`,
    "",
    ...error.problems.map((problem) => `- ${describeProblem(problem)}`),
    "",
    "Fix the file on the default branch and run the command again. " +
      "Every key, its default and its expected value: docs/configuration.md in Symphony's " +
      "repository (JSON Schema: docs/schema.json).",
  ].join("\n");
}
