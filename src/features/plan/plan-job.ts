// One planning run on GitHub: read the issue and repository, run the Conductor's pipeline, and
// write the plan (or the failure, in plain words) into the issue's plan comment.
import { choosePlanArms } from "./conductor-arms.js";
import type { Logger } from "probot";
import { runPlanPipeline, type PlanPipelineInput } from "../../agents/conductor/plan.js";
import type { PlanRecord } from "../../agents/conductor/plan-record.js";
import type { PlanProgress } from "../../agents/conductor/plan-steps.js";
import { PLAN_AGENT_NAMES, type PlanAgentName } from "../../agents/registry.js";
import type { AppServices } from "../../app/services.js";
import type { RepoConfig } from "../../config/schema.js";
import type { GitHubClient, RepoRef } from "../../github/client.js";
import { StatusComment } from "../../github/status-comment.js";
import { renderPlanComment } from "./plan-markdown.js";
import { planMarker, renderPlanRunFailure, renderPlanStatus } from "./plan-comment.js";
import { readPlanSourcesFromGitHub } from "./plan-sources.js";

/** What to make: a plan from scratch, the previous one looked at deeper, or it re-planned with a change. */
export type PlanJobMode = NonNullable<PlanPipelineInput["mode"]>;

export interface PlanJobInput {
  client: GitHubClient;
  repo: RepoRef;
  issueNumber: number;
  config: RepoConfig;
  services: AppServices;
  mode: PlanJobMode;
  signal: AbortSignal;
  log: Logger;
  /** The plan comment, already posted by startRun; without it the job posts its own. */
  status?: StatusComment;
  onProgress?: (progress: PlanProgress) => void;
}

/**
 * Plans the issue and writes the plan into the plan comment (marker `plan:<n>`). On failure the
 * comment says which step failed and what to do, and the error is thrown again for the caller.
 */
export async function runPlanJob(
  input: PlanJobInput,
): Promise<{ record: PlanRecord; commentUrl: string }> {
  const { client, repo, issueNumber, config, services, mode, log } = input;
  const previous = mode.kind === "plan" ? undefined : mode.previous;
  const status = input.status ?? (await postStatus(input, previous));
  try {
    const sources = await readPlanSourcesFromGitHub(client, repo, issueNumber);
    const settings = planSettings(config);
    // The Conductor's arm for each agent (learned where models.conductor lists arms; the
    // config's pins win), named in the plan's details with the reason.
    const learned = await choosePlanArms({
      client,
      repo,
      config,
      botLogin: await services.botLogin(),
      allowedModels: services.runtime.allowedModels?.() ?? [],
      modelFor: (agent, requested) => services.runtime.modelFor?.(agent, requested),
    });
    const record = await runPlanPipeline(
      {
        issue: sources.issue,
        tree: sources.tree,
        readme: sources.readme,
        mode,
        defaultBranch: sources.defaultBranch,
        ...settings,
        models: { ...learned.models, ...settings.models },
        arms: learned.arms,
      },
      {
        runtime: services.runtime,
        readFile: sources.readFile,
        signal: input.signal,
        now: () => new Date(services.clock.now()),
        // Independent steps run side by side only where the hosts have slots free for them.
        slots: services.runtime.freeSlots?.() ?? 1,
        onProgress: (progress) => {
          status.update(renderPlanStatus(progress, previous));
          input.onProgress?.(progress);
        },
      },
    );
    services.limits.recordTokens(
      `${repo.owner}/${repo.repo}`,
      record.usage.reduce((sum, u) => sum + u.promptTokens + u.outputTokens, 0),
    );
    await status.flush(renderPlanComment(record));
    log.info(
      {
        issue: issueNumber,
        mode: mode.kind,
        calls: record.usage.length,
        intent: record.intent.kind,
      },
      "plan written",
    );
    return { record, commentUrl: status.url };
  } catch (error) {
    log.warn({ err: error, issue: issueNumber, mode: mode.kind }, "planning failed");
    await status.flush(renderPlanRunFailure(error, previous)).catch((failure: unknown) => {
      log.error({ err: failure }, "could not write the failure into the plan comment");
    });
    throw error;
  }
}

/** The pipeline's settings from `.github/symphony.yml`. */
export function planSettings(
  config: RepoConfig,
): Pick<PlanPipelineInput, "models" | "language" | "ignore" | "maxContextTokens"> {
  const models: Partial<Record<PlanAgentName, string>> = {};
  for (const agent of PLAN_AGENT_NAMES) {
    const model = config.models[agent];
    if (model !== undefined) models[agent] = model;
  }
  return {
    models,
    language: config.language,
    ignore: config.ignore,
    ...(config.max_context_tokens === undefined
      ? {}
      : { maxContextTokens: config.max_context_tokens }),
  };
}

async function postStatus(input: PlanJobInput, previous: PlanRecord | undefined) {
  const { client, repo, issueNumber, services, log } = input;
  return StatusComment.post(
    {
      client,
      issue: { ...repo, issue_number: issueNumber },
      marker: planMarker(issueNumber),
      author: await services.botLogin(),
      clock: services.clock,
      log,
    },
    renderPlanStatus(undefined, previous),
  );
}
