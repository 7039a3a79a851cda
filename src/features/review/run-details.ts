// The folded footer of the summary: which models ran, with which prompts, how many tokens and how
// long, and why each agent ran with its model.
import type { UsageRecord } from "../../runner/types.js";
import { inlineCode, inlineProse } from "../../comments/sanitise.js";

/** The model an agent of the review was asked for first, and why. */
export interface ReviewArm {
  agent: string;
  model: string;
  reason: string;
}

export interface RunDetails {
  usage: readonly UsageRecord[];
  /** Each agent's model and why; the prompt shown is the one its calls used. */
  arms?: readonly ReviewArm[];
  /** CPU milliseconds spent reading the diff and cutting it into chunks. */
  preparationMs?: number;
  /** Wall milliseconds of the whole review. */
  totalMs?: number;
}

interface Row {
  agent: string;
  model: string;
  promptVersion: string;
  calls: number;
  promptTokens: number;
  outputTokens: number;
  wallMs: number;
  fallbacks: number;
  retries: number;
}

function rows(usage: readonly UsageRecord[]): Row[] {
  const byKey = new Map<string, Row>();
  for (const record of usage) {
    const key = [record.agent, record.model, record.promptVersion].join("\u0000");
    const row = byKey.get(key) ?? {
      agent: record.agent,
      model: record.model,
      promptVersion: record.promptVersion,
      calls: 0,
      promptTokens: 0,
      outputTokens: 0,
      wallMs: 0,
      fallbacks: 0,
      retries: 0,
    };
    row.calls += 1;
    row.promptTokens += record.promptTokens;
    row.outputTokens += record.outputTokens;
    row.wallMs += record.wallMs;
    row.fallbacks += record.fallbackUsed ? 1 : 0;
    row.retries += record.retries;
    byKey.set(key, row);
  }
  return [...byKey.values()];
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
const cell = (text: string): string => inlineCode(text).replaceAll("|", "\\|");

export function renderRunDetails(details: RunDetails): string {
  const lines = [
    "<details><summary>Run details</summary>",
    "",
    "| agent | model | prompt | calls | prompt tokens | output tokens | model time | notes |",
    "| --- | --- | --- | ---: | ---: | ---: | ---: | --- |",
    ...rows(details.usage).map((row) => {
      const notes = [
        row.fallbacks > 0 ? `fallback ×${row.fallbacks}` : "",
        row.retries > 0 ? `retries ×${row.retries}` : "",
      ].filter(Boolean);
      return `| ${row.agent} | ${cell(row.model)} | ${cell(row.promptVersion)} | ${row.calls} | ${row.promptTokens} | ${row.outputTokens} | ${seconds(row.wallMs)} | ${notes.join(", ")} |`;
    }),
  ];
  const totals = [
    details.preparationMs !== undefined
      ? `diff prepared in ${Math.round(details.preparationMs)} ms CPU`
      : "",
    details.totalMs !== undefined ? `review took ${seconds(details.totalMs)}` : "",
  ].filter(Boolean);
  if (totals.length > 0) lines.push("", `${totals.join("; ")}.`);
  const chosen = armLines(details);
  if (chosen.length > 0) lines.push("", ...chosen);
  lines.push("", "</details>");
  return lines.join("\n");
}

/** One line per agent that ran, in the order its first call appears. */
function armLines(details: RunDetails): string[] {
  const lines: string[] = [];
  const named = new Set<string>();
  for (const usage of details.usage) {
    if (named.has(usage.agent)) continue;
    named.add(usage.agent);
    const arm = details.arms?.find((candidate) => candidate.agent === usage.agent);
    if (arm === undefined) continue;
    lines.push(
      `- The Conductor chose ${inlineCode(arm.model)} (${inlineCode(usage.promptVersion)}) for the ${inlineProse(arm.agent)}: ${inlineProse(arm.reason)}.`,
    );
  }
  return lines;
}
