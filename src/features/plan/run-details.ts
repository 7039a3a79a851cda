// The folded footer: which models ran, tokens, time, prompt versions, and how to refine.
import type { PlanRecord, PlanUsage } from "../../agents/conductor/plan-record.js";
import { AGENT_LABELS, PLAN_AGENT_NAMES, type PlanAgentName } from "../../agents/registry.js";
import { inlineCode, inlineProse, tableCell } from "../../comments/sanitise.js";

export function runDetails(record: PlanRecord, refineHint: string): string {
  const rows = record.usage.map(usageRow);
  const total = totals(record.usage);
  const lines = [
    "<details>",
    "<summary>How this was made</summary>",
    "",
    "| Agent | Model | Prompt | Tokens in / out | Time |",
    "| --- | --- | --- | --- | --- |",
    ...rows,
    "",
    total,
  ];
  // The arms of the agents that ran (`/symphony deeper` runs one; a question, the first).
  const ran = new Set(record.usage.map((usage) => usage.agent));
  const arms = (record.arms ?? []).filter((chosen) => ran.has(chosen.agent));
  if (arms.length > 0) lines.push("");
  for (const chosen of arms) {
    const agent = isPlanAgent(chosen.agent) ? AGENT_LABELS[chosen.agent] : chosen.agent;
    lines.push(
      `- The Conductor chose ${inlineCode(chosen.model)} (${inlineCode(chosen.promptVersion)}) for the ${inlineProse(agent)}: ${inlineProse(chosen.reason)}.`,
    );
  }
  if (record.context_notes.length > 0) {
    lines.push("", ...record.context_notes.map((note) => `- ${inlineProse(note)}`));
  }
  lines.push("", refineHint, "", "</details>");
  return lines.join("\n");
}

function usageRow(usage: PlanUsage): string {
  const agent = isPlanAgent(usage.agent) ? AGENT_LABELS[usage.agent] : usage.agent;
  const notes = [
    usage.fallbackUsed ? "fallback model" : "",
    usage.repairRounds > 0 ? `${usage.repairRounds} repair(s)` : "",
    usage.retries > 0 ? `${usage.retries} retr${usage.retries === 1 ? "y" : "ies"}` : "",
  ].filter(Boolean);
  const model = `${inlineCode(usage.model)}${notes.length > 0 ? ` (${notes.join(", ")})` : ""}`;
  return `| ${tableCell(agent)} | ${model.replace(/\|/g, "\\|")} | ${tableCell(usage.promptVersion)} | ${count(usage.promptTokens)} / ${count(usage.outputTokens)} | ${seconds(usage.wallMs)} |`;
}

function totals(usage: readonly PlanUsage[]): string {
  const calls = usage.length;
  const input = usage.reduce((sum, u) => sum + u.promptTokens, 0);
  const output = usage.reduce((sum, u) => sum + u.outputTokens, 0);
  const wall = usage.reduce((sum, u) => sum + u.wallMs, 0);
  return `${calls} model call${calls === 1 ? "" : "s"}, ${count(input)} tokens in, ${count(output)} out, ${seconds(wall)} in all.`;
}

function isPlanAgent(agent: string): agent is PlanAgentName {
  return (PLAN_AGENT_NAMES as readonly string[]).includes(agent);
}

function count(n: number): string {
  return Math.round(n).toLocaleString("en-US");
}

function seconds(ms: number): string {
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${Math.round((ms % 60_000) / 1000)} s`;
}
