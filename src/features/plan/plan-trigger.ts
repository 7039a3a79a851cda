// Starts a planning run on an issue, whatever asked for it (the label, `/symphony plan`,
// `/symphony deeper`): the previous plan read back when needed, then the shared trigger path.
import type { Logger } from "probot";
import type { AppServices } from "../../app/services.js";
import type { RepoConfig } from "../../config/schema.js";
import type { GitHubClient, RepoRef } from "../../github/client.js";
import { upsertMarkedComment } from "../../github/marked-comment.js";
import { startRun, type RunStart } from "../../app/start-run.js";
import { planMarker, readStoredPlan, renderPlanStatus } from "./plan-comment.js";
import { runPlanJob, type PlanJobMode } from "./plan-job.js";

/** What was asked for; deeper and refine build on the plan stored in the plan comment. */
export type PlanRequest =
  { kind: "plan" } | { kind: "deeper" } | { kind: "refine"; change: string };

export interface PlanTrigger {
  client: GitHubClient;
  repo: RepoRef;
  issueNumber: number;
  config: RepoConfig;
  services: AppServices;
  event: { name: string; deliveryId: string; sender: string; commentId?: number };
  request: PlanRequest;
  log: Logger;
}

/** The pipeline accepts change requests up to this length. */
const MAX_CHANGE_CHARS = 4_000;

export async function triggerPlan(trigger: PlanTrigger): Promise<RunStart | "no-plan-yet"> {
  const { services, issueNumber, log } = trigger;
  // A redelivered webhook: its run was started already; reading the plan again would be waste.
  if (services.queue.hasSeen(trigger.event.deliveryId)) return "duplicate";
  const mode = await modeFor(trigger);
  if (mode === undefined) {
    await sayNoPlanYet(trigger);
    return "no-plan-yet";
  }
  const previous = mode.kind === "plan" ? undefined : mode.previous;
  const outcome = await startRun({
    client: trigger.client,
    repo: trigger.repo,
    services,
    config: trigger.config,
    event: trigger.event,
    number: issueNumber,
    marker: planMarker(issueNumber),
    initialStatus: renderPlanStatus(undefined, previous),
    whileRunning: "ignore",
    log,
    run: async ({ status, signal, log: runLog }) => {
      try {
        await runPlanJob({
          client: trigger.client,
          repo: trigger.repo,
          issueNumber,
          config: trigger.config,
          services,
          mode,
          signal,
          log: runLog,
          status,
        });
      } catch {
        // runPlanJob wrote the failure into the plan comment and logged it; nothing is left to say.
      }
    },
  });
  log.info({ outcome, mode: mode.kind }, "plan requested");
  return outcome;
}

async function modeFor(trigger: PlanTrigger): Promise<PlanJobMode | undefined> {
  const { request } = trigger;
  if (request.kind === "plan") return { kind: "plan" };
  const stored = await readStoredPlan(
    trigger.client,
    trigger.repo,
    trigger.issueNumber,
    await trigger.services.botLogin(),
  );
  const previous = stored?.record;
  if (previous === undefined) return undefined;
  if (request.kind === "deeper") return { kind: "deeper", previous };
  return { kind: "refine", previous, change: request.change.slice(0, MAX_CHANGE_CHARS) };
}

async function sayNoPlanYet(trigger: PlanTrigger): Promise<void> {
  const next =
    trigger.request.kind === "deeper" ? "`/symphony deeper`" : "`/symphony plan <what to change>`";
  await upsertMarkedComment(
    trigger.client,
    { ...trigger.repo, issue_number: trigger.issueNumber },
    planMarker(trigger.issueNumber),
    `**There is no plan on this issue yet**, so there is nothing to build on.\n\nComment \`/symphony plan\` (or add the label \`${trigger.config.label}\`) to make one, then ${next}.`,
    await trigger.services.botLogin(),
  );
  trigger.log.info({ request: trigger.request.kind }, "no plan to build on yet");
}
