// `/symphony stats`: what the Conductor has learned in this repository, one table per agent.
import type { ArmRecord } from "../../agents/conductor/bandit.js";
import { formatCount, rewardRate, runs } from "../../agents/conductor/bandit.js";
import { REVIEW_PROMPT_VERSION } from "../../agents/editor/review.js";
import { AGENT_LABELS, PLAN_AGENT_NAMES, PLAN_AGENTS } from "../../agents/registry.js";
import type { CommandInvocation, SymphonyCommand } from "../../app/commands.js";
import { upsertMarkedComment } from "../../github/marked-comment.js";
import { inlineCode } from "../../comments/sanitise.js";
import { reviewFeedback } from "../review/review-feedback.js";
import { tallyEvidence } from "../../agents/conductor/evidence.js";
import { readFeedback } from "../../github/feedback.js";
import { IMPLEMENT_PROMPT_VERSION, ratedImplementations } from "../implement/implement-arm.js";
import { armTable, learningModels, ratedPlans } from "./conductor-arms.js";

export const statsCommand: SymphonyCommand = {
  name: "stats",
  usage: "/symphony stats",
  summary: "Show what the Conductor learned here: per agent, each model's runs and reward rate.",
  run: (invocation) => replyWithStats(invocation),
};

/** One agent's table: its title, what one rated output is, and its arms. */
export interface ArmStatistics {
  title: string;
  /** What one rated output is for this agent, said under its title. */
  rated: string;
  arms: readonly ArmRecord[];
}

async function replyWithStats({ context, config, services, log }: CommandInvocation) {
  const botLogin = await services.botLogin();
  const allowedModels = services.runtime.allowedModels?.() ?? [];
  const client = context.octokit;
  const repo = context.repo();
  const models = learningModels(config, allowedModels);
  const feedback = reviewFeedback({ client, repo, botLogin, permission: config.permission, log });
  const [outcomes, reviews] = await Promise.all([
    readFeedback(client, repo, botLogin),
    feedback.evidence(),
  ]);
  const plans = tallyEvidence(ratedPlans(outcomes));
  const implementations = tallyEvidence(ratedImplementations(outcomes));
  const stats: ArmStatistics[] = [
    ...PLAN_AGENT_NAMES.map((agent) => ({
      title: AGENT_LABELS[agent],
      rated: "a plan",
      arms: armTable(agent, PLAN_AGENTS[agent].promptVersion, models, plans),
    })),
    {
      title: `${AGENT_LABELS.editor} (reviews)`,
      rated: "a finding",
      arms: armTable("editor", REVIEW_PROMPT_VERSION, models, reviews),
    },
    {
      title: `${AGENT_LABELS.editor} (implement)`,
      rated: "a draft pull request, merged or closed",
      arms: armTable("editor", IMPLEMENT_PROMPT_VERSION, models, implementations),
    },
  ];
  const { created } = await upsertMarkedComment(
    client,
    context.issue(),
    { kind: "stats", key: String(context.payload.comment.id) },
    renderStats(stats, models.length >= 2),
    botLogin,
  );
  log.info({ created }, "answered with the Conductor's statistics");
}

const rate = (record: ArmRecord): string =>
  runs(record) === 0 ? "–" : `${Math.round((record.kept / runs(record)) * 100)}%`;

export function renderStats(stats: readonly ArmStatistics[], learning: boolean): string {
  const lines = [
    "**What the Conductor learned in this repository** (from 👍/👎 on plans, plans refined or thrown away, review findings resolved, fixed or dismissed, and pull requests merged or closed; a partial verdict counts part of one, as docs/models.md explains)",
    "",
    learning
      ? "Learning is on (`models.conductor` lists the models to choose among)."
      : "Learning is off: set `models.conductor` to two or more allowed models to turn it on.",
  ];
  for (const { title, rated: unit, arms } of stats) {
    if (arms.length === 0) continue;
    // The arm with the highest posterior mean: what the sampling favours now. Before any
    // feedback the operator's routing decides, which the run details name.
    const rated = arms.some((record) => runs(record) > 0);
    const best = rated ? [...arms].sort((a, b) => rewardRate(b) - rewardRate(a))[0] : undefined;
    lines.push(
      "",
      `**${title}** (each rated output: ${unit})`,
      "",
      "| arm | rated | kept | reward rate | current choice |",
      "| --- | --- | --- | --- | --- |",
      ...arms.map(
        (record) =>
          `| ${inlineCode(record.arm.model)} ${inlineCode(record.arm.promptVersion)} | ${formatCount(runs(record))} | ${formatCount(record.kept)} | ${rate(record)} | ${record === best && learning ? "✅" : ""} |`,
      ),
    );
  }
  return lines.join("\n");
}
