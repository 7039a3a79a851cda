// Starts an implementation on an issue, whatever asked for it (`/symphony implement`, the
// implement label): the plan read back from its comment (or made first), then the tasks.
import type { Logger } from "probot";
import type { PlanRecord } from "../../agents/conductor/plan-record.js";
import type { AppServices } from "../../app/services.js";
import type { RepoConfig } from "../../config/schema.js";
import type { GitHubClient, RepoRef } from "../../github/client.js";
import type { StatusComment } from "../../github/status-comment.js";
import { NoBranchError } from "./branch.js";
import { implementPlan, NothingToImplementError } from "./implement-plan.js";
import {
  IMPLEMENT_QUEUED,
  renderImplementFailure,
  renderImplementing,
  renderImplementResult,
  renderPlanningFirst,
} from "./status.js";
import { ModelRuntimeError } from "../../runner/errors.js";
import { readStoredPlan } from "../plan/plan-comment.js";
import { runPlanJob } from "../plan/plan-job.js";
import { startRun, type RunStart } from "../../app/start-run.js";
import { statusOf } from "../../github/http-status.js";

export interface ImplementTrigger {
  client: GitHubClient;
  repo: RepoRef;
  issueNumber: number;
  config: RepoConfig;
  services: AppServices;
  event: { name: string; deliveryId: string; sender: string; commentId?: number };
  log: Logger;
}

export function implementMarker(issueNumber: number) {
  return { kind: "implement", key: String(issueNumber) };
}

export async function triggerImplement(trigger: ImplementTrigger): Promise<RunStart> {
  const outcome = await startRun({
    client: trigger.client,
    repo: trigger.repo,
    services: trigger.services,
    config: trigger.config,
    event: trigger.event,
    number: trigger.issueNumber,
    marker: implementMarker(trigger.issueNumber),
    initialStatus: IMPLEMENT_QUEUED,
    whileRunning: "ignore",
    log: trigger.log,
    run: ({ status, signal, log }) => runImplementJob({ ...trigger, log }, status, signal),
  });
  trigger.log.info({ outcome }, "implementation requested");
  return outcome;
}

async function runImplementJob(
  trigger: ImplementTrigger,
  status: StatusComment,
  signal: AbortSignal,
): Promise<void> {
  const { client, repo, issueNumber, config, services, log } = trigger;
  const planned = await planFor(trigger, status, signal);
  if (planned === undefined) return;
  try {
    const result = await implementPlan({
      client,
      repo,
      issueNumber,
      record: planned.record,
      config,
      services,
      signal,
      log,
      onProgress: (line) => status.update(renderImplementing(line, planned.fresh)),
    });
    await status.flush(renderImplementResult(result));
  } catch (error) {
    log.warn({ err: error }, "implementation failed");
    await status.flush(describeFailure(error));
  }
}

/** The stored plan, or a new one made now (its comment shows the planning); undefined after a failure. */
async function planFor(
  trigger: ImplementTrigger,
  status: StatusComment,
  signal: AbortSignal,
): Promise<{ record: PlanRecord; fresh: boolean } | undefined> {
  const { client, repo, issueNumber, services } = trigger;
  const stored = await readStoredPlan(client, repo, issueNumber, await services.botLogin());
  if (stored?.record !== undefined) return { record: stored.record, fresh: false };
  status.update(renderPlanningFirst());
  try {
    const { record } = await runPlanJob({
      client,
      repo,
      issueNumber,
      config: trigger.config,
      services,
      mode: { kind: "plan" },
      signal,
      log: trigger.log,
      onProgress: (progress) => status.update(renderPlanningFirst(progress)),
    });
    return { record, fresh: true };
  } catch {
    // The plan comment says which step failed and why; this one points there.
    await status.flush(
      renderImplementFailure(
        "planning failed, so there was nothing to implement yet",
        "see the plan comment on this issue for what went wrong, then comment `/symphony implement` again",
      ),
    );
    return undefined;
  }
}

function describeFailure(error: unknown): string {
  if (error instanceof NothingToImplementError) {
    return renderImplementFailure(
      error.message,
      "edit the issue so it asks for a change, comment `/symphony plan`, then `/symphony implement`",
    );
  }
  if (error instanceof NoBranchError) {
    return renderImplementFailure(
      error.message,
      "delete or rename one of those branches, then comment `/symphony implement` again",
    );
  }
  if (error instanceof ModelRuntimeError) {
    return renderImplementFailure(
      `the model could not be used: ${error.message}`,
      "comment `/symphony implement` again once the model is reachable",
    );
  }
  const status = statusOf(error);
  if (status === 403 || status === 404) {
    return renderImplementFailure(
      "GitHub refused to write the branch or the pull request",
      "the app needs the `contents: write` and `pull_requests: write` permissions (and `workflows: write` to change workflows); accept the new permissions in the installation settings, then comment `/symphony implement` again",
    );
  }
  const reason = error instanceof Error ? error.message : "an unexpected error";
  return renderImplementFailure(
    reason,
    "comment `/symphony implement` again; if it fails again, the app's logs have the details",
  );
}
