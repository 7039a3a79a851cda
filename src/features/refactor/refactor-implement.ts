// One refactor suggestion of the rolling issue handed to the Editor as a one-task plan, from a
// ticked box or `/symphony implement <id>`: a draft pull request on `symphony/refactor-<id>`.
import type { Logger } from "probot";
import type { CommandInvocation } from "../../app/commands.js";
import type { AppServices } from "../../app/services.js";
import type { RepoConfig } from "../../config/schema.js";
import type { GitHubClient, RepoRef } from "../../github/client.js";
import { upsertMarkedComment } from "../../github/marked-comment.js";
import { implementPlan, type ImplementResult } from "../implement/implement-plan.js";
import { inlineCode, inlineProse } from "../../comments/sanitise.js";
import { ModelRuntimeError } from "../../runner/errors.js";
import { parseRefactorState, type SuggestionRecord } from "./refactor-state.js";
import { isRollingIssue, linkPullRequest } from "./rolling-issue.js";
import { suggestionBranch, suggestionPlanRecord } from "./suggestion-plan.js";
import { editRollingIssueBody, fetchRollingIssue } from "./refactor-issue.js";
import { startRun, type RunStart } from "../../app/start-run.js";

const SUGGESTION_ID = /\brf-[0-9a-f]{8}\b/;

/**
 * Handles `/symphony implement` when it was typed in the rolling refactor issue; resolves to
 * false (and does nothing) for any other issue, which the plan implementation then handles.
 */
export async function implementRefactorSuggestion(invocation: CommandInvocation): Promise<boolean> {
  const { context, command, config, services, log } = invocation;
  const { issue, comment, sender } = context.payload;
  if (issue.pull_request || issue.user.type !== "Bot" || !isRollingIssue(issue.body)) return false;
  const repo = context.repo();
  const id = SUGGESTION_ID.exec(command.args)?.[0];
  const made = parseRefactorState(issue.body)?.made ?? [];
  if (id === undefined || !made.some((suggestion) => suggestion.id === id)) {
    await upsertMarkedComment(
      context.octokit,
      { ...repo, issue_number: issue.number },
      { kind: "refactor-implement", key: String(comment.id) },
      whichSuggestion(id, made),
      await services.botLogin(),
    );
    return true;
  }
  await startSuggestion({
    client: context.octokit,
    repo,
    issueNumber: issue.number,
    id,
    config,
    services,
    event: {
      name: "issue_comment.created",
      deliveryId: context.id,
      sender: sender.login,
      commentId: comment.id,
    },
    log,
  });
  return true;
}

export interface SuggestionRequest {
  client: GitHubClient;
  repo: RepoRef;
  /** The rolling issue. */
  issueNumber: number;
  id: string;
  config: RepoConfig;
  services: AppServices;
  event: { name: string; deliveryId: string; sender: string; commentId?: number };
  log: Logger;
}

/** The shared trigger path: a status comment on the rolling issue, then the Editor on the queue. */
export function startSuggestion(request: SuggestionRequest): Promise<RunStart> {
  const { client, repo, issueNumber, id, services } = request;
  return startRun({
    client,
    repo,
    services,
    config: request.config,
    event: request.event,
    number: issueNumber,
    marker: { kind: "refactor-implement", key: id },
    initialStatus: `**Implementing ${id}…** queued; Symphony starts in a moment.`,
    key: `${repo.owner}/${repo.repo}#${issueNumber}:refactor-implement:${id}`,
    whileRunning: "ignore",
    log: request.log.child({ suggestion: id }),
    run: async ({ status, signal, log }) => {
      // The body may have changed since the trigger: act on the suggestion as it is now.
      const issue = await fetchRollingIssue(client, repo, issueNumber);
      const suggestion = parseRefactorState(issue.body)?.made.find((made) => made.id === id);
      if (suggestion === undefined) {
        await status.flush(
          `${id} is no longer among the suggestions of this issue (a refresh replaced it); nothing was changed.`,
        );
        return;
      }
      let result: ImplementResult;
      try {
        result = await implementPlan({
          client,
          repo,
          issueNumber,
          record: suggestionPlanRecord(suggestion, issueNumber, new Date(services.clock.now())),
          config: request.config,
          services,
          signal,
          log,
          onProgress: (text) => status.update(`**Implementing ${id}…** ${inlineProse(text)}`),
          branchName: suggestionBranch(id),
        });
      } catch (error) {
        log.error({ err: error }, "implementing the refactor suggestion failed");
        await status.flush(renderFailure(id, error));
        return;
      }
      if (result.pullRequest !== undefined) {
        await linkSuggestion(client, repo, issueNumber, id, result.pullRequest.number);
      }
      await status.flush(renderResult(id, result));
    },
  });
}

/** The suggestion's line in the rolling issue gains the pull request link. */
async function linkSuggestion(
  client: GitHubClient,
  repo: RepoRef,
  issueNumber: number,
  id: string,
  pullNumber: number,
): Promise<void> {
  const issue = await fetchRollingIssue(client, repo, issueNumber);
  const body = linkPullRequest(issue.body, id, pullNumber);
  if (body !== undefined && body !== issue.body) {
    await editRollingIssueBody(client, repo, issueNumber, body);
  }
}

function whichSuggestion(id: string | undefined, made: readonly SuggestionRecord[]): string {
  const asked =
    id === undefined ? "Which suggestion?" : `${inlineCode(id)} is not a suggestion in this issue.`;
  const known = made.slice(0, 10).map((s) => `\`/symphony implement ${s.id}\``);
  return known.length === 0
    ? `${asked} This issue lists no suggestions right now; \`/symphony refactor\` refreshes it.`
    : `${asked} Name one of the ids in the list above, for example ${known.join(" or ")}.`;
}

function renderResult(id: string, result: ImplementResult): string {
  const task = result.tasks[0];
  if (result.pullRequest !== undefined) {
    const verb = result.pullRequest.created ? "Opened" : "Updated";
    return `✅ ${verb} draft pull request #${result.pullRequest.number} for ${inlineCode(id)} on ${inlineCode(result.branch)}.`;
  }
  const reason =
    task?.status === "failed" || task?.status === "skipped" ? task.reason : "nothing was committed";
  return [
    `**Symphony could not implement ${inlineCode(id)}**; no branch or pull request was created.`,
    "",
    `- **Why:** ${inlineProse(reason)}`,
    `- **What to do:** comment \`/symphony implement ${id}\` to try again, or dismiss the suggestion.`,
  ].join("\n");
}

function renderFailure(id: string, error: unknown): string {
  const reason =
    error instanceof ModelRuntimeError
      ? `the model could not answer (${error.name}); the app's logs have the details`
      : error instanceof Error
        ? error.message
        : "an unexpected error";
  return [
    `**Symphony could not implement ${inlineCode(id)}.**`,
    "",
    `- **Why:** ${inlineProse(reason)}`,
    `- **What to do:** comment \`/symphony implement ${id}\` to try again.`,
  ].join("\n");
}
