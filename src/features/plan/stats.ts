// `/symphony stats`: what the Conductor has learned in this repository, one table per agent.
import type { ArmRecord } from "../../agents/conductor/bandit.js";
import { rewardRate, runs } from "../../agents/conductor/bandit.js";
import { AGENT_LABELS, type PlanAgentName } from "../../agents/registry.js";
import type { CommandInvocation, SymphonyCommand } from "../../app/commands.js";
import { upsertMarkedComment } from "../../github/marked-comment.js";
import { inlineCode } from "../../comments/sanitise.js";
import { armStatistics, learningModels } from "./conductor-arms.js";

export const statsCommand: SymphonyCommand = {
  name: "stats",
  usage: "/symphony stats",
  summary: "Show what the Conductor learned here: per agent, each model's runs and reward rate.",
  run: (invocation) => replyWithStats(invocation),
};

async function replyWithStats({ context, config, services, log }: CommandInvocation) {
  const botLogin = await services.botLogin();
  const allowedModels = services.runtime.allowedModels?.() ?? [];
  const stats = await armStatistics({
    client: context.octokit,
    repo: context.repo(),
    config,
    botLogin,
    allowedModels,
  });
  const learning = learningModels(config, allowedModels).length >= 2;
  const { created } = await upsertMarkedComment(
    context.octokit,
    context.issue(),
    { kind: "stats", key: String(context.payload.comment.id) },
    renderStats(stats, learning),
    botLogin,
  );
  log.info({ created }, "answered with the Conductor's statistics");
}

export function renderStats(
  stats: readonly { agent: PlanAgentName; arms: readonly ArmRecord[] }[],
  learning: boolean,
): string {
  const lines = [
    "**What the Conductor learned in this repository** (from 👍/👎 on plans and their pull requests merged or closed)",
    "",
    learning
      ? "Learning is on (`models.conductor` lists the models to choose among)."
      : "Learning is off: set `models.conductor` to two or more allowed models to turn it on.",
  ];
  for (const { agent, arms } of stats) {
    if (arms.length === 0) continue;
    // The arm with the highest posterior mean: what the sampling favours now.
    const best = [...arms].sort((a, b) => rewardRate(b) - rewardRate(a))[0]!;
    lines.push(
      "",
      `**${AGENT_LABELS[agent]}**`,
      "",
      "| arm | runs rated | kept | reward rate | current choice |",
      "| --- | --- | --- | --- | --- |",
      ...arms.map(
        (record) =>
          `| ${inlineCode(record.arm.model)} ${inlineCode(record.arm.promptVersion)} | ${runs(record)} | ${record.kept} | ${runs(record) === 0 ? "–" : `${Math.round((record.kept / runs(record)) * 100)}%`} | ${record === best && learning ? "✅" : ""} |`,
      ),
    );
  }
  return lines.join("\n");
}
