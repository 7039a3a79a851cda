// Refactor suggestions as a user meets them: `/symphony refactor`, a ticked box in the rolling
// issue, and the App's own timer (`refactor.every`).
import type { Context } from "probot";
import type { CommandInvocation, SymphonyCommand } from "../../app/commands.js";
import type { AppServices, RegisterListeners } from "../../app/services.js";
import { InvalidConfigError } from "../../config/errors.js";
import { loadRepoConfigOrProblem } from "../../config/load.js";
import { hasPermission } from "../../github/permission.js";
import { inlineProse } from "../../comments/sanitise.js";
import { ModelRuntimeError } from "../../runner/errors.js";
import { parseRefactorState } from "./refactor-state.js";
import { isRollingIssue, newlyTicked } from "./rolling-issue.js";
import { startSuggestion } from "./refactor-implement.js";
import { refreshRefactorIssue, type RefreshResult } from "./refactor-run.js";
import { RefactorTimer } from "./refactor-timer.js";
import { startRun } from "../../app/start-run.js";

/** Boxes one edit may tick and still start work: a select-all is a mistake, not ten PRs. */
export const MAX_TICKS_PER_EDIT = 3;

const refactorCommand: SymphonyCommand = {
  name: "refactor",
  usage: "/symphony refactor",
  summary: "Rank hotspots and refresh the rolling issue of refactor suggestions.",
  run: startRefresh,
};

export const refactorCommands: readonly SymphonyCommand[] = [refactorCommand];

export const registerRefactorListeners: RegisterListeners = (app, services) => {
  app.on("issues.edited", (context) => onRollingIssueEdited(context, services));
  // The Action refreshes on its workflow's `schedule`; only the long-running App keeps a timer.
  if (services.mode === "app") {
    const timer = new RefactorTimer(app, services);
    // So a test that moves the clock can wait for the tick it fired.
    services.memory.background.set("refactor-timer", timer);
    timer.start();
  }
};

async function startRefresh(invocation: CommandInvocation): Promise<void> {
  const { context, config, services, log } = invocation;
  const repo = context.repo();
  const number = context.payload.issue.number;
  await startRun({
    client: context.octokit,
    repo,
    services,
    config,
    event: {
      name: "issue_comment.created",
      deliveryId: context.id,
      sender: context.payload.sender.login,
      commentId: context.payload.comment.id,
    },
    number,
    marker: { kind: "refactor", key: String(number) },
    initialStatus: "**Ranking hotspots…** then the Planner writes suggestions for the top files.",
    whileRunning: "ignore",
    log,
    run: async ({ status, signal, log: jobLog }) => {
      try {
        const result = await refreshRefactorIssue({
          client: context.octokit,
          repo,
          config,
          services,
          trigger: "command",
          signal,
          log: jobLog,
        });
        await status.flush(renderRefreshed(result));
      } catch (error) {
        jobLog.error({ err: error }, "refreshing the refactor suggestions failed");
        await status.flush(renderRefreshFailure(error));
      }
    },
  });
}

function renderRefreshed(result: RefreshResult): string {
  const verb = { created: "Opened", reopened: "Reopened", updated: "Updated", paused: "Left" }[
    result.outcome
  ];
  return `✅ ${result.summary}\n\n${verb} the rolling issue of refactor suggestions: ${result.issueUrl}`;
}

function renderRefreshFailure(error: unknown): string {
  const reason =
    error instanceof ModelRuntimeError
      ? `the Planner's model could not answer (${error.name}); the app's logs have the details`
      : error instanceof Error
        ? error.message
        : "an unexpected error";
  return [
    "**Symphony could not refresh the refactor suggestions.**",
    "",
    `- **Why:** ${inlineProse(reason)}`,
    "- **What to do:** comment `/symphony refactor` to try again.",
  ].join("\n");
}

/** A person ticked boxes in the rolling issue: each newly ticked suggestion goes to the Editor. */
async function onRollingIssueEdited(
  context: Context<"issues.edited">,
  services: AppServices,
): Promise<void> {
  const { issue, changes, sender } = context.payload;
  if (context.isBot || sender.type === "Bot") return;
  if (issue.state !== "open" || issue.user?.type !== "Bot" || !isRollingIssue(issue.body)) return;
  const before = changes.body?.from;
  if (before === undefined) return;
  const made = new Set(parseRefactorState(issue.body)?.made.map((suggestion) => suggestion.id));
  const ids = newlyTicked(before, issue.body).filter((id) => made.has(id));
  if (ids.length === 0) return;
  const log = context.log.child({ name: "symphony:refactor", issue: issue.number });

  const config = await loadRepoConfigOrProblem(context);
  if (config instanceof InvalidConfigError) return;
  if (!(await hasPermission(context, config.permission))) {
    log.info({ sender: sender.login }, "ignored a ticked box: sender lacks permission");
    return;
  }
  if (ids.length > MAX_TICKS_PER_EDIT) {
    log.info({ ticked: ids.length }, "more boxes ticked at once than are implemented");
  }
  for (const id of ids.slice(0, MAX_TICKS_PER_EDIT)) {
    await startSuggestion({
      client: context.octokit,
      repo: context.repo(),
      issueNumber: issue.number,
      id,
      config,
      services,
      // One delivery can tick several boxes; each is its own run.
      event: { name: "issues.edited", deliveryId: `${context.id}:${id}`, sender: sender.login },
      log,
    });
  }
}
