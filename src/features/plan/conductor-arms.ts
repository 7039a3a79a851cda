// The Conductor's model choice for a plan: the repository's allowed arms (`models.conductor`),
// the evidence read back from GitHub, and one Thompson-sampled arm per agent.
import {
  chooseArm,
  routedReason,
  type Arm,
  type ArmRecord,
} from "../../agents/conductor/bandit.js";
import {
  tallyEvidence,
  verdictOfReactions,
  type ChosenArm,
  type RatedOutput,
} from "../../agents/conductor/evidence.js";
import { PLAN_AGENT_NAMES, PLAN_AGENTS, type PlanAgentName } from "../../agents/registry.js";
import type { RepoConfig } from "../../config/schema.js";
import type { RoutedModel } from "../../runner/types.js";
import type { GitHubClient, RepoRef } from "../../github/client.js";
import { readFeedback, type Feedback } from "../../github/feedback.js";
import { parseMarkers } from "../../github/markers.js";
import { parsePlanRecord } from "./plan-markdown.js";

export interface ConductorChoice {
  models: Partial<Record<PlanAgentName, string>>;
  arms: ChosenArm[];
}

/**
 * The models the Conductor may choose among: `models.conductor` as a comma-separated list, kept
 * to those the operator allows, in its order (the first is the cold-start choice). Unset or
 * `fixed`: no learning, an empty list.
 */
export function learningModels(config: RepoConfig, allowed: readonly string[]): string[] {
  const setting = config.models.conductor?.trim();
  if (setting === undefined || setting === "" || setting === "fixed") return [];
  const listed = setting.split(/[\s,]+/).filter((name) => name !== "");
  return [...new Set(listed)].filter((model) => allowed.includes(model));
}

/** Every plan people reacted to, and every plan whose pull request was merged or closed. */
export function ratedPlans(feedback: Feedback): RatedOutput[] {
  const plans = new Map<number, RatedOutput["arms"]>();
  const outputs: RatedOutput[] = [];
  for (const comment of feedback.comments) {
    const record = parsePlanRecord(comment.body);
    if (!record) continue;
    const arms = record.usage.map(({ agent, model, promptVersion }) => ({
      agent,
      model,
      promptVersion,
    }));
    const issue = parseMarkers(comment.body).find((marker) => marker.kind === "plan")?.key;
    if (issue !== undefined) plans.set(Number(issue), arms);
    outputs.push({ arms, kept: verdictOfReactions(comment.plusOne, comment.minusOne) });
  }
  for (const pull of feedback.pulls) {
    const closes = /\bCloses #(\d+)\b/.exec(pull.body)?.[1];
    const arms = closes === undefined ? undefined : plans.get(Number(closes));
    if (arms) outputs.push({ arms, kept: pull.merged });
  }
  return outputs;
}

export interface ChooseArmsInput {
  client: GitHubClient;
  repo: RepoRef;
  config: RepoConfig;
  botLogin: string;
  allowedModels: readonly string[];
  /** The runtime's model for an agent where nothing is learned; without it those arms go unnamed. */
  modelFor?: (agent: string, requested?: string) => RoutedModel | undefined;
  random?: () => number;
}

/**
 * One arm per plan agent: Thompson-sampled where the repository learns (`models.conductor`) and
 * does not pin the agent; otherwise the model the runtime will use, and who named it. Only the
 * learned arms change a model (`models`); GitHub is read only while learning is on.
 */
export async function choosePlanArms(input: ChooseArmsInput): Promise<ConductorChoice> {
  const models = learningModels(input.config, input.allowedModels);
  const learning = models.length >= 2;
  const evidence = learning
    ? tallyEvidence(ratedPlans(await readFeedback(input.client, input.repo, input.botLogin)))
    : new Map<string, ArmRecord[]>();
  const choice: ConductorChoice = { models: {}, arms: [] };
  for (const agent of PLAN_AGENT_NAMES) {
    const promptVersion = PLAN_AGENTS[agent].promptVersion;
    const pinned = input.config.models[agent];
    if (!learning || pinned !== undefined) {
      const routed = input.modelFor?.(agent, pinned);
      if (routed === undefined) continue;
      const why = routedReason(agent, routed);
      const reason = pinned === undefined ? `learning is off (models.conductor): ${why}` : why;
      choice.arms.push({ agent, model: routed.model, promptVersion, reason });
      continue;
    }
    const arms: Arm[] = models.map((model) => ({ model, promptVersion }));
    const records: ArmRecord[] = evidence.get(agent) ?? [];
    const chosen = chooseArm({ arms, records, ...(input.random ? { random: input.random } : {}) });
    choice.models[agent] = chosen.arm.model;
    choice.arms.push({ agent, ...chosen.arm, reason: chosen.reason });
  }
  return choice;
}

/** Per agent, what the evidence says of each allowed arm, for `/symphony stats`. */
export async function armStatistics(
  input: Omit<ChooseArmsInput, "random">,
): Promise<{ agent: PlanAgentName; arms: ArmRecord[] }[]> {
  const models = learningModels(input.config, input.allowedModels);
  const evidence = tallyEvidence(
    ratedPlans(await readFeedback(input.client, input.repo, input.botLogin)),
  );
  return PLAN_AGENT_NAMES.map((agent) => {
    const known = evidence.get(agent) ?? [];
    const allowed = models.map((model) => ({
      model,
      promptVersion: PLAN_AGENTS[agent].promptVersion,
    }));
    const arms = [...allowed, ...known.map((record) => record.arm)].filter(
      (arm, index, all) =>
        all.findIndex(
          (other) => other.model === arm.model && other.promptVersion === arm.promptVersion,
        ) === index,
    );
    return {
      agent,
      arms: arms.map(
        (arm) =>
          known.find(
            (record) =>
              record.arm.model === arm.model && record.arm.promptVersion === arm.promptVersion,
          ) ?? { arm, kept: 0, rejected: 0 },
      ),
    };
  });
}
