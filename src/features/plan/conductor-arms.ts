// The Conductor's model choice for a plan: the repository's allowed arms (`models.conductor`),
// the evidence read back from GitHub, and one Thompson-sampled arm per agent.
import {
  armKey,
  chooseArm,
  routedReason,
  type Arm,
  type ArmRecord,
} from "../../agents/conductor/bandit.js";
import {
  armsOfUsage,
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
 * to those the operator allows, in its order (before any feedback the operator's routed model
 * for the agent is used when listed, else the first). Unset or `fixed`: no learning, an empty list.
 */
export function learningModels(config: RepoConfig, allowed: readonly string[]): string[] {
  const setting = config.models.conductor?.trim();
  if (setting === undefined || setting === "" || setting === "fixed") return [];
  const listed = setting.split(/[\s,]+/).filter((name) => name !== "");
  return [...new Set(listed)].filter((model) => allowed.includes(model));
}

/** A plan refined with `/symphony plan <change>`, or its issue closed as not planned: half a 👎. */
export const THROWN_AWAY_WEIGHT = 0.5;

/**
 * Every plan people rated: its reactions, the plans it replaced by refinement, its issue closed
 * as not planned, and its pull request merged or closed (docs/models.md has the mapping).
 */
export function ratedPlans(feedback: Feedback): RatedOutput[] {
  const plans = new Map<number, RatedOutput["arms"]>();
  const outputs: RatedOutput[] = [];
  const notPlanned = new Set(feedback.notPlanned);
  for (const comment of feedback.comments) {
    const record = parsePlanRecord(comment.body);
    if (!record) continue;
    const arms = armsOfUsage(record.usage);
    const issue = parseMarkers(comment.body).find((marker) => marker.kind === "plan")?.key;
    if (issue !== undefined) plans.set(Number(issue), arms);
    outputs.push({ arms, kept: verdictOfReactions(comment.plusOne, comment.minusOne) });
    for (const replaced of record.replaced ?? []) {
      outputs.push({ arms: replaced, kept: false, weight: THROWN_AWAY_WEIGHT });
    }
    if (issue !== undefined && notPlanned.has(Number(issue))) {
      outputs.push({ arms, kept: false, weight: THROWN_AWAY_WEIGHT });
    }
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
    const chosen = chooseLearnedArm({ ...input, agent, promptVersion, models, evidence });
    choice.models[agent] = chosen.model;
    choice.arms.push(chosen);
  }
  return choice;
}

export interface LearnedArmInput {
  agent: string;
  promptVersion: string;
  /** The allowed models, `learningModels`' list. */
  models: readonly string[];
  evidence: ReadonlyMap<string, readonly ArmRecord[]>;
  modelFor?: ChooseArmsInput["modelFor"];
  random?: () => number;
}

/**
 * One agent's arm, Thompson-sampled among the allowed models with its current prompt; cold
 * starts and ties go to the model the operator routes the agent to, when it is one of them.
 */
export function chooseLearnedArm(input: LearnedArmInput): ChosenArm {
  const arms: Arm[] = input.models.map((model) => ({ model, promptVersion: input.promptVersion }));
  const routed = input.modelFor?.(input.agent);
  const chosen = chooseArm({
    arms,
    records: input.evidence.get(input.agent) ?? [],
    ...(routed ? { routed } : {}),
    ...(input.random ? { random: input.random } : {}),
  });
  return { agent: input.agent, ...chosen.arm, reason: chosen.reason };
}

/** A prompt's family: its version without the number ("planner@1" → "planner"). */
const promptFamily = (promptVersion: string): string => promptVersion.replace(/[@/][^@/]*$/, "");

/**
 * What the evidence says of each arm one agent learns among, for `/symphony stats`: the allowed
 * models with the current prompt, then any arm of the same prompt family with evidence (an
 * earlier prompt version, a model no longer listed).
 */
export function armTable(
  agent: string,
  promptVersion: string,
  models: readonly string[],
  evidence: ReadonlyMap<string, readonly ArmRecord[]>,
): ArmRecord[] {
  const known = (evidence.get(agent) ?? []).filter(
    (record) => promptFamily(record.arm.promptVersion) === promptFamily(promptVersion),
  );
  const allowed: Arm[] = models.map((model) => ({ model, promptVersion }));
  const arms = [...allowed, ...known.map((record) => record.arm)].filter(
    (arm, index, all) => all.findIndex((other) => armKey(other) === armKey(arm)) === index,
  );
  return arms.map(
    (arm) =>
      known.find((record) => armKey(record.arm) === armKey(arm)) ?? { arm, kept: 0, rejected: 0 },
  );
}
